import { Link } from "@remix-run/react";

export type FacetOption = { value: string; label: string; count: number };

function hrefWith(basePath: string, searchParams: URLSearchParams, name: string, value: string | null) {
  const params = new URLSearchParams(searchParams);
  params.delete("page");
  if (value === null) params.delete(name);
  else params.set(name, value);
  const query = params.toString();
  return query ? `${basePath}?${query}` : basePath;
}

/** One filter dimension as links with counts: shareable, and usable without JavaScript. */
export function FacetGroup({
  title,
  name,
  options,
  selected,
  basePath,
  searchParams,
}: {
  title: string;
  name: string;
  options: FacetOption[];
  selected: string | undefined;
  basePath: string;
  searchParams: URLSearchParams;
}) {
  const headingId = `facet-${name}`;
  return (
    <section className="facet" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <ul>
        {options.map((option) => {
          const isSelected = option.value === selected;
          return (
            <li key={option.value}>
              <Link
                to={hrefWith(basePath, searchParams, name, isSelected ? null : option.value)}
                aria-current={isSelected ? "true" : undefined}
                className={isSelected ? "facet__option facet__option--selected" : "facet__option"}
                preventScrollReset
              >
                <span>
                  {option.label}
                  {isSelected ? <span className="visually-hidden"> (selected, select to remove)</span> : null}
                </span>
                <span className="facet__count">
                  {option.count}
                  <span className="visually-hidden"> {option.count === 1 ? "item" : "items"}</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function removeFilterHref(basePath: string, searchParams: URLSearchParams, name: string) {
  return hrefWith(basePath, searchParams, name, null);
}
