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
  shownFirst,
  noun = title.toLowerCase(),
}: {
  title: string;
  name: string;
  options: FacetOption[];
  selected: string | undefined;
  basePath: string;
  searchParams: URLSearchParams;
  /** Show this many (the most used, and the one selected) and the rest behind "Show all". */
  shownFirst?: number;
  /** What one option is, for "Show all 40 tags". */
  noun?: string;
}) {
  const headingId = `facet-${name}`;
  const option = (entry: FacetOption) => (
    <FacetOptionLink
      key={entry.value}
      option={entry}
      isSelected={entry.value === selected}
      href={hrefWith(basePath, searchParams, name, entry.value === selected ? null : entry.value)}
    />
  );
  const first =
    shownFirst === undefined || options.length <= shownFirst
      ? options
      : [...options]
          .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
          .filter((entry, index) => index < shownFirst || entry.value === selected);
  const rest = options.filter((entry) => !first.includes(entry));
  return (
    <section className="facet" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <ul>{first.map(option)}</ul>
      {rest.length > 0 ? (
        <details className="facet__more">
          <summary>
            Show all {options.length} {noun}s
          </summary>
          <ul>{rest.map(option)}</ul>
        </details>
      ) : null}
    </section>
  );
}

function FacetOptionLink({ option, isSelected, href }: { option: FacetOption; isSelected: boolean; href: string }) {
  return (
    <li>
      <Link
        to={href}
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
}

export function removeFilterHref(basePath: string, searchParams: URLSearchParams, name: string) {
  return hrefWith(basePath, searchParams, name, null);
}
