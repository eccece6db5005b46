import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";

import { FacetGroup, removeFilterHref } from "~/components/facets";
import { Pagination } from "~/components/pagination";
import { FACET_TITLES, facetLabel, SearchForm, SearchResultList } from "~/components/search";
import { FACET_NAMES, FACET_PARAMS, type FacetName, RESULTS_PER_PAGE } from "~/search/facets";
import { type SearchPage, searchFromUrl } from "~/search/search.server";
import { pageMeta } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  return searchFromUrl(new URL(request.url).searchParams);
}

export default function Search() {
  const page = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const isSearching = navigation.state === "loading" && navigation.location.pathname === "/search";
  const hiddenParams = [...searchParams].filter(([name]) => name !== "q" && name !== "page");

  return (
    <div className="search-page">
      <h1>Search</h1>
      <SearchForm q={page.q} hiddenParams={hiddenParams} />
      {page.notes.length > 0 ? (
        <div className="notice" role="note">
          {page.notes.map((note) => (
            <p key={note}>{note}</p>
          ))}
        </div>
      ) : null}
      {page.state === "empty" ? <EmptySearch /> : null}
      {page.state === "warming" ? (
        <div className="empty-state" role="status">
          <h2>Search is getting ready</h2>
          <p>The search index is being prepared after a restart. Please try again in a few seconds.</p>
        </div>
      ) : null}
      {page.state === "results" ? (
        <div className="library__layout" aria-busy={isSearching}>
          <aside className="library__filters" aria-label="Filters">
            <h2>Filter</h2>
            <SortChoice sort={page.sort} searchParams={searchParams} />
            {FACET_NAMES.map((name) =>
              page.facets[name].length > 0 || page.filters[name] ? (
                <FacetGroup
                  key={name}
                  title={FACET_TITLES[name]}
                  name={FACET_PARAMS[name]}
                  basePath="/search"
                  searchParams={searchParams}
                  selected={page.filters[name]}
                  options={withSelected(page.facets[name], page.filters[name]).map((facet) => ({
                    ...facet,
                    label: facetLabel(name, facet.value),
                  }))}
                />
              ) : null,
            )}
          </aside>
          <section className="library__results" aria-labelledby="results-heading" data-results-for={resultsFor(page)}>
            <h2 id="results-heading" className="visually-hidden">
              Results
            </h2>
            <p className="results-count" role="status">
              {resultCount(page.total)}
              {page.q ? (
                <>
                  {" for "}
                  <q>{page.q}</q>
                </>
              ) : null}
            </p>
            <ActiveFilters filters={page.filters} searchParams={searchParams} />
            {page.results.length > 0 ? (
              <SearchResultList results={page.results} startAt={(page.page - 1) * RESULTS_PER_PAGE + 1} />
            ) : (
              <NoResults page={page} searchParams={searchParams} />
            )}
            <Pagination page={page.page} pageCount={page.pageCount} searchParams={searchParams} basePath="/search" />
          </section>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The search these results answer (query, filters, sort and page, in one stable order): with
 * JavaScript the address changes before the new results render, so browser tests wait for this.
 */
function resultsFor(page: Extract<SearchPage, { state: "results" }>) {
  const params = new URLSearchParams();
  if (page.q) params.set("q", page.q);
  for (const name of FACET_NAMES) {
    const value = page.filters[name];
    if (value) params.set(FACET_PARAMS[name], value);
  }
  if (page.sort !== "relevance") params.set("sort", page.sort);
  if (page.page > 1) params.set("page", String(page.page));
  return params.toString();
}

function resultCount(total: number) {
  return total === 1 ? "1 result" : `${total.toLocaleString("en-GB")} results`;
}

function withSelected(options: Array<{ value: string; count: number }>, selected: string | undefined) {
  if (!selected || options.some((option) => option.value === selected)) return options;
  return [{ value: selected, count: 0 }, ...options];
}

function hrefWith(searchParams: URLSearchParams, changes: Record<string, string | null>) {
  const params = new URLSearchParams(searchParams);
  params.delete("page");
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  return query ? `/search?${query}` : "/search";
}

function SortChoice({ sort, searchParams }: { sort: string; searchParams: URLSearchParams }) {
  return (
    <section className="facet" aria-labelledby="facet-sort">
      <h3 id="facet-sort">Sort by</h3>
      <ul>
        {(
          [
            ["relevance", "Best match"],
            ["newest", "Newest first"],
          ] as const
        ).map(([value, label]) => (
          <li key={value}>
            <Link
              to={hrefWith(searchParams, { sort: value === "relevance" ? null : value })}
              aria-current={sort === value ? "true" : undefined}
              className={sort === value ? "facet__option facet__option--selected" : "facet__option"}
              preventScrollReset
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ActiveFilters({
  filters,
  searchParams,
}: {
  filters: Partial<Record<FacetName, string>>;
  searchParams: URLSearchParams;
}) {
  const active = FACET_NAMES.filter((name) => filters[name] !== undefined);
  if (active.length === 0) return null;
  return (
    <ul className="active-filters" aria-label="Active filters">
      {active.map((name) => (
        <li key={name}>
          <Link to={removeFilterHref("/search", searchParams, FACET_PARAMS[name])}>
            Remove filter: {facetLabel(name, filters[name]!)}
          </Link>
        </li>
      ))}
      <li>
        <Link to={hrefWith(searchParams, Object.fromEntries(active.map((name) => [FACET_PARAMS[name], null])))}>
          Clear all filters
        </Link>
      </li>
    </ul>
  );
}

function NoResults({
  page,
  searchParams,
}: {
  page: Extract<SearchPage, { state: "results" }>;
  searchParams: URLSearchParams;
}) {
  const hasFilters = Object.keys(page.filters).length > 0;
  if (page.total > 0) {
    return (
      <div className="empty-state">
        <h3>No more results</h3>
        <p>
          There is no page {page.page} of these results.{" "}
          <Link to={hrefWith(searchParams, {})}>Go to the first page</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <h3>Nothing matched</h3>
      <ul>
        {hasFilters ? (
          <li>
            <Link to={`/search?q=${encodeURIComponent(page.q)}`}>Search again without filters</Link>
          </li>
        ) : null}
        {/[+"-]/.test(page.q) ? (
          <li>
            Words starting with <code>+</code>, in quotes or starting with <code>-</code> must (or must not) appear:{" "}
            <Link to={`/search?q=${encodeURIComponent(page.q.replace(/[+"]|(^|\s)-\S*/g, " ").trim())}`}>
              search for any of the words instead
            </Link>
            .
          </li>
        ) : null}
        <li>Check the spelling, or try fewer or more general words.</li>
        <li>
          Add <code>*</code> to find words that start the same way, like <code>procur*</code>.
        </li>
        <li>
          Browse <Link to="/library">the library</Link> or <Link to="/themes">its three themes</Link>.
        </li>
      </ul>
    </div>
  );
}

function EmptySearch() {
  const examples = ["social value", "standstill", "title:uk9", "dynamic market", "net zero -fleet"];
  return (
    <div className="empty-state">
      <h2>Find what practitioners have learned</h2>
      <p>
        Search every case study, tip and data story, and the discussions in open communities. Some searches to start
        with:
      </p>
      <ul>
        {examples.map((example) => (
          <li key={example}>
            <Link to={`/search?q=${encodeURIComponent(example)}`}>{example}</Link>
          </li>
        ))}
      </ul>
      <p>
        Or <Link to="/library">browse the library</Link> by type, theme and tag.
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const q = data && "q" in data ? data.q : "";
  return pageMeta({
    title: q ? `Search: ${q.slice(0, 60)}` : "Search",
    description: "Search case studies, tips, data stories and discussions on UK public procurement.",
  });
};
