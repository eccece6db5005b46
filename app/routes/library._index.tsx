import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { FacetGroup, removeFilterHref } from "~/components/facets";
import { ItemList } from "~/components/item-card";
import { Pagination } from "~/components/pagination";
import { listLibrary } from "~/models/item.server";
import { isOneOf, ITEM_TYPE_PLURALS, ITEM_TYPES, labelFor, THEMES } from "~/models/vocabulary";
import { countOf } from "~/utils/counts";
import { pageMeta } from "~/utils/meta";
import type { FeedScope } from "~/utils/paths";
import { readPage, readParam } from "~/utils/query";

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const filters = {
    type: readParam(params, "type"),
    theme: readParam(params, "theme"),
    tag: readParam(params, "tag"),
  };
  const library = await listLibrary({ filters, page: readPage(params) });
  return { filters, ...library };
}

export default function Library() {
  const { filters, items, total, page, pageCount, facets } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const active = (
    [
      ["type", filters.type, filters.type ? labelFor(ITEM_TYPES, filters.type) : ""],
      ["theme", filters.theme, filters.theme ? labelFor(THEMES, filters.theme) : ""],
      ["tag", filters.tag, filters.tag ?? ""],
    ] as const
  ).filter(([, value]) => value !== undefined);
  const heading = filters.type ? labelFor(ITEM_TYPE_PLURALS, filters.type) : "The library";

  return (
    <div className="library">
      <h1>{heading}</h1>
      <p className="lede">
        Case studies, tips and data stories written by practitioners. Filter by type, theme or tag; every filter is part
        of the address, so you can share what you found.
      </p>
      <div className="library__layout">
        <aside className="library__filters" aria-label="Filters">
          <h2>Filter</h2>
          <FacetGroup
            title="Type"
            name="type"
            basePath="/library"
            searchParams={searchParams}
            selected={filters.type}
            options={facets.type.map((f) => ({ ...f, label: labelFor(ITEM_TYPES, f.value) }))}
          />
          <FacetGroup
            title="Theme"
            name="theme"
            basePath="/library"
            searchParams={searchParams}
            selected={filters.theme}
            options={facets.theme.map((f) => ({ ...f, label: labelFor(THEMES, f.value) }))}
          />
          <FacetGroup
            title="Tag"
            name="tag"
            basePath="/library"
            searchParams={searchParams}
            selected={filters.tag}
            shownFirst={10}
            options={facets.tag.map((f) => ({ ...f, label: f.value }))}
          />
        </aside>
        <section className="library__results" aria-labelledby="results-heading">
          <h2 id="results-heading" className="results-count" aria-live="polite">
            {countOf(total, "item")}
            {active.length > 0 ? " matching your filters" : ""}
          </h2>
          {active.length > 0 ? (
            <ul className="active-filters" aria-label="Active filters">
              {active.map(([name, , label]) => (
                <li key={name}>
                  <Link to={removeFilterHref("/library", searchParams, name)}>Remove filter: {label}</Link>
                </li>
              ))}
              <li>
                <Link to="/library">Clear all filters</Link>
              </li>
            </ul>
          ) : null}
          {items.length > 0 ? (
            <ItemList items={items} headingLevel={3} />
          ) : (
            <div className="empty-state">
              <h3>Nothing matches</h3>
              {total > 0 ? (
                <p>
                  There is no page {page} of these results.{" "}
                  <Link to={removeFilterHref("/library", searchParams, "page")}>Go to the first page</Link>.
                </p>
              ) : (
                <p>
                  No published items match these filters. Try removing a filter, or{" "}
                  <Link to="/library">see everything in the library</Link>.
                </p>
              )}
            </div>
          )}
          <Pagination page={page} pageCount={pageCount} searchParams={searchParams} basePath="/library" />
        </section>
      </div>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, ...context }) => {
  const type = data?.filters.type;
  return pageMeta({
    context,
    canonicalPath: libraryCanonicalPath(data?.filters, data?.page),
    feeds: [libraryFeed(data?.filters)],
    title: type ? labelFor(ITEM_TYPE_PLURALS, type) : "Library",
    description:
      "Browse case studies, tips and data stories on UK public procurement, filtered by type, theme and tag.",
  });
};

function libraryCanonicalPath(filters: { type?: string; theme?: string; tag?: string } | undefined, page = 1) {
  const query = new URLSearchParams();
  for (const name of ["type", "theme", "tag"] as const) {
    const value = filters?.[name];
    if (value) query.set(name, value);
  }
  if (page > 1) query.set("page", String(page));
  return query.size > 0 ? `/library?${query.toString()}` : "/library";
}

function libraryFeed(filters: { type?: string; theme?: string; tag?: string } | undefined): {
  title: string;
  scope: FeedScope;
} {
  if (filters?.tag) return { title: `Tagged ${filters.tag}`, scope: { kind: "tag", tag: filters.tag } };
  if (filters?.theme && isOneOf(THEMES, filters.theme))
    return { title: `${THEMES[filters.theme]} theme`, scope: { kind: "theme", theme: filters.theme } };
  if (filters?.type && isOneOf(ITEM_TYPES, filters.type))
    return { title: ITEM_TYPE_PLURALS[filters.type], scope: { kind: "type", type: filters.type } };
  return { title: "Everything new", scope: { kind: "everything" } };
}
