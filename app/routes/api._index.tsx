import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { MAX_PAGE_SIZE } from "~/api/query.server";
import { getEnv } from "~/env.server";
import { ITEM_TYPE_PLURALS, ITEM_TYPE_SLUGS, THEME_SLUGS, THEMES } from "~/models/vocabulary";
import { pageMeta } from "~/utils/meta";
import { feedPath } from "~/utils/paths";

export async function loader() {
  return { siteUrl: getEnv().SITE_URL, maxPageSize: MAX_PAGE_SIZE };
}

type Row = { name: string; meaning: string };

const ENDPOINTS: Row[] = [
  { name: "/api/v1/items", meaning: "Published items, newest first, with filters and pages." },
  { name: "/api/v1/items/{slug}", meaning: "One item: its metadata, licence, markdown and sanitised HTML." },
  {
    name: "/api/v1/search",
    meaning: "Search the library and open communities' threads, best match first, with facet counts.",
  },
  { name: "/api/v1/communities", meaning: "The open communities of practice." },
  { name: "/api/v1/communities/{slug}", meaning: "One open community." },
  { name: "/api/v1/communities/{slug}/threads", meaning: "An open community's threads, most recently active first." },
  { name: "/api/v1/communities/{slug}/threads/{id}", meaning: "One thread with its replies in order." },
  { name: "/api/v1/openapi.json", meaning: "This API described in OpenAPI 3.1, for tools and code generators." },
];

const FILTERS: Row[] = [
  { name: "type", meaning: "case-study, tip or data-story" },
  { name: "theme", meaning: "upstream, downstream or partnership" },
  { name: "tag", meaning: "a tag, such as social-value" },
  {
    name: "organisation_type, nation, region, regime, procedure, contract_category, value_band",
    meaning: "a case study's structured fields, using the values listed in the OpenAPI document",
  },
  { name: "updated_since", meaning: "a date (2026-01-31) or date and time with a zone (2026-01-31T09:00:00Z)" },
  { name: "limit", meaning: "how many per page, 1 to 100 (default 20)" },
  { name: "cursor", meaning: "the next_cursor from the previous page" },
];

const SEARCH_PARAMETERS: Row[] = [
  { name: "q", meaning: "what to search for, at most 400 characters, no control characters" },
  { name: "kind", meaning: "item or discussion" },
  { name: "type", meaning: "case-study, tip, data-story, question or discussion" },
  { name: "theme, tag, organisation_type, procedure, value_band", meaning: "as for the list of items" },
  { name: "sort", meaning: "relevance (the default) or newest" },
  { name: "page", meaning: "which page of results, from 1 (follow next_url)" },
  { name: "limit", meaning: "how many per page, 1 to 100 (default 20)" },
];

/** A two-column table of names in code and what they mean, scrollable on small screens. */
function ReferenceTable({
  id,
  caption,
  columns,
  rows,
}: {
  id: string;
  caption: string;
  columns: [string, string];
  rows: Row[];
}) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{columns[0]}</th>
            <th scope="col">{columns[1]}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <td>
                <code>{row.name}</code>
              </td>
              <td>{row.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ApiGuide() {
  const { siteUrl, maxPageSize } = useLoaderData<typeof loader>();
  return (
    <div className="prose-page">
      <h1>Open data: feeds and the API</h1>
      <p className="lede">
        Everything published in the library, and every open community's threads, can be followed in a feed reader or
        read by a script. No account or key is needed.
      </p>

      <h2 id="licence">Reusing what you find</h2>
      <p>
        Each item states its licence on its page, in its feed entry and in the API (the <code>licence</code> field).
        Most are shared under Creative Commons Attribution 4.0: you may reuse them if you credit the authors and link to
        the item. Members-only communities never appear in feeds or the API.
      </p>

      <h2 id="feeds">Feeds</h2>
      <p>
        Each feed comes as Atom and as RSS 2.0, with the full text of every entry. Feed readers also find them from the
        home, library, theme and tag pages.
      </p>
      <ul>
        <li>
          Everything new: <a href={feedPath({ kind: "everything" }, "atom")}>Atom</a>,{" "}
          <a href={feedPath({ kind: "everything" }, "rss")}>RSS</a>
        </li>
        {ITEM_TYPE_SLUGS.map((type) => (
          <li key={type}>
            {ITEM_TYPE_PLURALS[type]}: <a href={feedPath({ kind: "type", type }, "atom")}>Atom</a>,{" "}
            <a href={feedPath({ kind: "type", type }, "rss")}>RSS</a>
          </li>
        ))}
        {THEME_SLUGS.map((theme) => (
          <li key={theme}>
            {THEMES[theme]} theme: <a href={feedPath({ kind: "theme", theme }, "atom")}>Atom</a>,{" "}
            <a href={feedPath({ kind: "theme", theme }, "rss")}>RSS</a>
          </li>
        ))}
        <li>
          A tag: <code>/feeds/tags/&#123;tag&#125;.atom</code> or <code>.rss</code>, for example{" "}
          <code>/feeds/tags/social-value.atom</code> (every tag is listed on the <Link to="/tags">tags page</Link>)
        </li>
        <li>
          An open community's new threads: <code>/feeds/communities/&#123;slug&#125;.atom</code> or <code>.rss</code>
        </li>
      </ul>

      <h2 id="api">The JSON API</h2>
      <p>
        The API is read-only and answers <code>GET</code> and <code>HEAD</code> requests with JSON. It is described in
        full, with every allowed value, by its <a href="/api/v1/openapi.json">OpenAPI 3.1 document</a>.
      </p>
      <ReferenceTable id="endpoints" caption="Endpoints" columns={["Address", "What it returns"]} rows={ENDPOINTS} />

      <h3 id="filters">Filtering the list of items</h3>
      <ReferenceTable
        id="filters"
        caption="Query parameters of /api/v1/items"
        columns={["Parameter", "Value"]}
        rows={FILTERS}
      />
      <p>For example, case studies under the Procurement Act 2023 about social value:</p>
      <pre>
        <code>{`curl '${siteUrl}/api/v1/items?type=case-study&regime=pa23&tag=social-value'`}</code>
      </pre>

      <h3 id="search">Searching</h3>
      <p>
        <code>/api/v1/search</code> runs the same search as the <Link to="/search">search page</Link>, with the same{" "}
        <Link to="/search/help">syntax</Link>: stems and prefixes (<code>procure*</code>), a forgiven typo,{" "}
        <code>title:</code>, <code>+required</code>, <code>-excluded</code> and quoted phrases. Members-only communities
        are never searched.
      </p>
      <ReferenceTable
        id="search"
        caption="Query parameters of /api/v1/search"
        columns={["Parameter", "Value"]}
        rows={SEARCH_PARAMETERS}
      />
      <p>
        Give <code>q</code>, a filter, or both. The response has the results (<code>data</code>), the <code>total</code>
        , counts for each filter value across all results (<code>facets</code>) and <code>next_url</code> for the next
        page. For example, tips about standstill:
      </p>
      <pre>
        <code>{`curl '${siteUrl}/api/v1/search?q=standstill&type=tip'`}</code>
      </pre>

      <h3 id="pages">Pages</h3>
      <p>
        A list returns at most {maxPageSize} results. When there are more, <code>next_cursor</code> and{" "}
        <code>next_url</code> say where the next page starts; they are <code>null</code> on the last page. Treat the
        cursor as opaque: it is only meaningful to this API.
      </p>

      <h3 id="errors">Errors</h3>
      <p>
        An unknown parameter, a parameter given twice, a value that is not allowed, a cursor this API did not give out
        or a page size over {maxPageSize} gets a <code>400</code> response whose body names the parameter and says what
        is wrong:
      </p>
      <pre>
        <code>{`{ "error": { "status": 400, "code": "invalid_parameter", "parameter": "limit",
  "message": "at most ${maxPageSize} results come in one page; follow next_cursor for more" } }`}</code>
      </pre>

      <h3 id="caching">Caching and conditional requests</h3>
      <p>
        Feed and API responses carry an <code>ETag</code> and a <code>Cache-Control</code> header. Send the ETag back in
        an <code>If-None-Match</code> header and you get <code>304 Not Modified</code>, with no body, when nothing has
        changed. Please poll feeds no more than every 15 minutes.
      </p>

      <h2 id="crawlers">For search engines</h2>
      <p>
        The <a href="/sitemap.xml">sitemap</a> lists every public page with when it last changed, and{" "}
        <a href="/robots.txt">robots.txt</a> points to it.
      </p>
    </div>
  );
}

export const meta: MetaFunction = (context) =>
  pageMeta({
    context,
    title: "Open data: feeds and the API",
    description:
      "Follow Procurement Commons in a feed reader, or read its library and open communities as JSON through a documented, read-only API.",
    feeds: [{ title: "Everything new", scope: { kind: "everything" } }],
  });
