import { sql } from "kysely";
import { z } from "zod";

import { db } from "~/db/client.server";
import { ITEM_TYPES, type Theme } from "~/models/vocabulary";

import { plainTextOf } from "./analysis";
import {
  FACET_PARAMS,
  type FacetCount,
  type FacetName,
  RESULTS_PER_PAGE,
  type SearchFilters,
  type SearchSort,
} from "./facets";
import { parseQuery } from "./query-parser";
import { getSearchService } from "./service.server";
import { highlight, type SnippetSegment, snippetOf } from "./snippet";
import { MAX_THREAD_TEXT, threadTextOf } from "./sources.server";

// What the search page and its JSON twin need: read the URL, ask the engine, and turn the refs
// it returns into readable results with highlighted snippets (read from the database per page).

const MAX_PAGE = 500;

const FacetValueSchema = z
  .string()
  .trim()
  .max(80)
  .transform((value) => value || undefined)
  .optional()
  .catch(undefined);

const SearchParamsSchema = z.object({
  q: z.string().catch("").default(""),
  sort: z.enum(["relevance", "newest"]).catch("relevance").default("relevance"),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1).default(1),
  ...Object.fromEntries(Object.values(FACET_PARAMS).map((name) => [name, FacetValueSchema])),
});

export type SearchResult = {
  ref: string;
  kind: "item" | "discussion";
  typeLabel: string;
  href: string;
  title: SnippetSegment[];
  snippet: SnippetSegment[];
  themes: Theme[];
  authors: string[];
  date: string | null;
  community: string | null;
};

export type SearchPage =
  | { state: "empty"; q: string; notes: string[] }
  | { state: "warming"; q: string; notes: string[] }
  | {
      state: "results";
      q: string;
      notes: string[];
      sort: SearchSort;
      filters: SearchFilters;
      total: number;
      page: number;
      pageCount: number;
      results: SearchResult[];
      facets: Record<FacetName, FacetCount[]>;
      durationMs: number;
    };

function readSearchParams(params: URLSearchParams) {
  const raw = Object.fromEntries([...params.keys()].map((key) => [key, params.get(key) ?? undefined]));
  const parsed = SearchParamsSchema.parse(raw) as { q: string; sort: SearchSort; page: number } & Record<
    string,
    string | undefined
  >;
  const filters: SearchFilters = {};
  for (const [name, param] of Object.entries(FACET_PARAMS) as Array<[FacetName, string]>) {
    const value = parsed[param];
    if (value) filters[name] = value;
  }
  return { q: parsed.q, sort: parsed.sort, page: parsed.page, filters };
}

/** Runs the search described by a URL's query string. Never throws for any input. */
export async function searchFromUrl(params: URLSearchParams): Promise<SearchPage> {
  return runSearch(readSearchParams(params));
}

/** Runs a search already read from somewhere (the page's URL, or the API's stricter one). Never throws for any q. */
export async function runSearch({
  q,
  sort,
  page,
  filters,
  perPage = RESULTS_PER_PAGE,
}: {
  q: string;
  sort: SearchSort;
  page: number;
  filters: SearchFilters;
  perPage?: number;
}): Promise<SearchPage> {
  const query = parseQuery(q);
  const hasFilters = Object.keys(filters).length > 0;
  if (query.words.length === 0 && !hasFilters) return { state: "empty", q: query.cleaned, notes: query.notes };
  const service = getSearchService();
  if (!service.isReady) return { state: "warming", q: query.cleaned, notes: query.notes };

  const started = performance.now();
  const outcome = service.search({
    query,
    filters,
    sort: query.words.length === 0 ? "newest" : sort,
    offset: (page - 1) * perPage,
    limit: perPage,
  });
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const terms = new Set(outcome.terms);
  return {
    state: "results",
    q: query.cleaned,
    notes: query.notes,
    sort,
    filters,
    total: outcome.total,
    page,
    pageCount: Math.max(1, Math.ceil(outcome.total / perPage)),
    results: await resultsFor(
      outcome.hits.map((hit) => hit.ref),
      terms,
    ),
    facets: outcome.facets,
    durationMs,
  };
}

async function resultsFor(refs: string[], terms: ReadonlySet<string>): Promise<SearchResult[]> {
  const itemIds = refs.flatMap((ref) => (ref.startsWith("item:") ? [Number(ref.slice(5))] : []));
  const threadIds = refs.flatMap((ref) => (ref.startsWith("thread:") ? [Number(ref.slice(7))] : []));
  const found = new Map<string, SearchResult>();

  if (itemIds.length > 0) {
    const [items, themes, authors] = await Promise.all([
      db
        .selectFrom("items")
        .select(["id", "type", "slug", "title", "summary", "body_markdown", "published_at"])
        .where("id", "in", itemIds)
        .where("status", "=", "published")
        .execute(),
      db.selectFrom("item_themes").select(["item_id", "theme"]).where("item_id", "in", itemIds).execute(),
      db
        .selectFrom("item_authors")
        .innerJoin("authors", "authors.id", "item_authors.author_id")
        .select(["item_authors.item_id", "authors.name"])
        .where("item_authors.item_id", "in", itemIds)
        .orderBy("item_authors.position")
        .execute(),
    ]);
    for (const item of items) {
      found.set(`item:${item.id}`, {
        ref: `item:${item.id}`,
        kind: "item",
        typeLabel: ITEM_TYPES[item.type],
        href: `/library/${item.slug}`,
        title: highlight(item.title, terms),
        snippet:
          snippetOf(item.summary, terms) ??
          snippetOf(plainTextOf(item.body_markdown), terms) ??
          highlight(item.summary, terms),
        themes: themes.filter((row) => row.item_id === item.id).map((row) => row.theme),
        authors: authors.filter((row) => row.item_id === item.id).map((row) => row.name),
        date: item.published_at,
        community: null,
      });
    }
  }

  if (threadIds.length > 0) {
    const [threads, posts, themes] = await Promise.all([
      db
        .selectFrom("threads")
        .innerJoin("communities", "communities.id", "threads.community_id")
        .leftJoin("users", "users.id", "threads.author_user_id")
        .select([
          "threads.id",
          "threads.kind",
          "threads.slug",
          "threads.title",
          "threads.created_at",
          "communities.slug as community_slug",
          "communities.name as community_name",
          "communities.visibility",
          "users.display_name",
        ])
        .where("threads.id", "in", threadIds)
        .where("threads.is_hidden", "=", 0)
        .execute(),
      // Only the posts that make up the text search keeps (MAX_THREAD_TEXT), not a busy thread's every reply.
      db
        .selectFrom((eb) =>
          eb
            .selectFrom("posts")
            .select([
              "thread_id",
              "body_markdown",
              "created_at",
              "id",
              sql<number>`sum(length(body_markdown)) over (partition by thread_id order by created_at, id) - length(body_markdown)`.as(
                "text_before",
              ),
            ])
            .where("thread_id", "in", threadIds)
            .where("is_hidden", "=", 0)
            .where("deleted_at", "is", null)
            .as("thread_posts"),
        )
        .select(["thread_id", "body_markdown"])
        .where("text_before", "<", MAX_THREAD_TEXT)
        .orderBy("created_at")
        .orderBy("id")
        .execute(),
      db.selectFrom("thread_themes").select(["thread_id", "theme"]).where("thread_id", "in", threadIds).execute(),
    ]);
    for (const thread of threads) {
      // Checked again here so a community made members-only a moment ago is never shown.
      if (thread.visibility !== "open") continue;
      const text = threadTextOf(posts.filter((post) => post.thread_id === thread.id).map((post) => post.body_markdown));
      found.set(`thread:${thread.id}`, {
        ref: `thread:${thread.id}`,
        kind: "discussion",
        typeLabel: thread.kind === "question" ? "Question" : "Discussion",
        href: `/communities/${thread.community_slug}/threads/${thread.id}-${thread.slug}`,
        title: highlight(thread.title, terms),
        snippet: snippetOf(text, terms) ?? [{ text: text.slice(0, 240), isMatch: false }],
        themes: themes.filter((row) => row.thread_id === thread.id).map((row) => row.theme),
        authors: thread.display_name ? [thread.display_name] : [],
        date: thread.created_at,
        community: thread.community_name,
      });
    }
  }
  return refs.flatMap((ref) => {
    const result = found.get(ref);
    return result ? [result] : [];
  });
}
