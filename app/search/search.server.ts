import { sql } from "kysely";
import { z } from "zod";

import { db, rawSqlite } from "~/db/client.server";
import { contentEpochReader } from "~/http/content-epoch.server";
import type { Viewer } from "~/models/actor.server";
import { canModerate, communityIsVisible, threadIsVisible } from "~/models/discussion-access.server";
import { ITEM_TYPES, type Theme } from "~/models/vocabulary";
import { itemPath, postPath, threadPath } from "~/utils/paths";

import { plainTextOf } from "./analysis";
import { detailLinesOf } from "./details";
import { type Highlighting, PUBLIC_ONLY, type SearchHit, type Visibility } from "./engine";
import {
  FACET_PARAMS,
  type FacetCount,
  type FacetName,
  RESULTS_PER_PAGE,
  type SearchFilters,
  type SearchSort,
} from "./facets";
import { postOfPart } from "./parts";
import { parseQuery } from "./query-parser";
import { getSearchService } from "./service.server";
import {
  type DetailLine,
  detailsSnippet,
  highlight,
  matchesIn,
  matchStrength,
  type SnippetSegment,
  snippetFrom,
} from "./snippet";
import { MAX_THREAD_TEXT, threadTextOf } from "./sources.server";

// What the search page and its JSON twin need: read the URL, work out what the viewer may see,
// ask the engine, and turn the refs it returns into readable results with highlighted snippets
// (read from the database per page). Pages of results are kept for repeated searches until the
// index or the content changes.

const MAX_PAGE = 500;
const CACHED_PAGES = 500;

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
  /** From a members-only community: only its members see it. */
  isMembersOnly: boolean;
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
      /** Other names for what was typed that were searched for too ("CFP" for "competitive flexible procedure"). */
      alsoSearchedFor: string[];
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

/** Runs the search described by a URL's query string, as `viewer` may see it. Never throws for any input. */
export async function searchFromUrl(params: URLSearchParams, { viewer = null }: { viewer?: Viewer } = {}) {
  return runSearch({ ...readSearchParams(params), viewer });
}

/** The members-only communities whose threads the viewer may find (decision 0009's one rule). */
async function visibilityFor(viewer: Viewer): Promise<Visibility> {
  if (!viewer) return PUBLIC_ONLY;
  const communities = await db
    .selectFrom("communities")
    .select("communities.id")
    .where("communities.visibility", "<>", "open")
    .where(communityIsVisible(viewer))
    .execute();
  return { isEverything: canModerate(viewer), communities: new Set(communities.map((community) => community.id)) };
}

type ResultsPage = Extract<SearchPage, { state: "results" }>;

declare global {
  // Pages of results for repeated searches, shared by the routes of one process.
  var __commonsSearchResults: ResultCache | undefined;
}

/**
 * Recent pages of results, by what was asked and which members-only communities the viewer may
 * see (so two members of the same communities share them), each valid while the index and the
 * content epoch are as they were when it was made.
 */
class ResultCache {
  private readonly pages = new Map<string, { validity: string; page: ResultsPage }>();
  private readonly readEpoch = contentEpochReader(rawSqlite());

  validity(indexVersion: string) {
    return `${indexVersion}:${this.readEpoch() ?? "none"}`;
  }

  get(key: string, validity: string) {
    const entry = this.pages.get(key);
    if (!entry) return null;
    this.pages.delete(key);
    if (entry.validity !== validity) return null;
    this.pages.set(key, entry);
    return entry.page;
  }

  set(key: string, validity: string, page: ResultsPage) {
    this.pages.delete(key);
    this.pages.set(key, { validity, page });
    while (this.pages.size > CACHED_PAGES) this.pages.delete(this.pages.keys().next().value!);
  }
}

function resultCache() {
  globalThis.__commonsSearchResults ??= new ResultCache();
  return globalThis.__commonsSearchResults;
}

/** Runs a search already read from somewhere (the page's URL, or the API's stricter one). Never throws for any q. */
export async function runSearch({
  q,
  sort,
  page,
  filters,
  perPage = RESULTS_PER_PAGE,
  viewer = null,
}: {
  q: string;
  sort: SearchSort;
  page: number;
  filters: SearchFilters;
  perPage?: number;
  viewer?: Viewer;
}): Promise<SearchPage> {
  const query = parseQuery(q);
  const hasFilters = Object.keys(filters).length > 0;
  if (query.words.length === 0 && !hasFilters) return { state: "empty", q: query.cleaned, notes: query.notes };
  const service = getSearchService();
  if (!service.isReady) return { state: "warming", q: query.cleaned, notes: query.notes };

  const started = performance.now();
  const visibility = await visibilityFor(viewer);
  const audience = visibility.isEverything ? "everything" : [...visibility.communities].sort((a, b) => a - b).join(",");
  const sortedFilters = Object.fromEntries(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : 1)));
  const key = JSON.stringify([query.cleaned, sort, page, perPage, sortedFilters, audience]);
  const cache = resultCache();
  const validity = cache.validity(service.engine.version);
  const cached = cache.get(key, validity);
  if (cached) return cached;

  const outcome = service.search({
    query,
    filters,
    sort: query.words.length === 0 ? "newest" : sort,
    offset: (page - 1) * perPage,
    limit: perPage,
    visibility,
  });
  const results = await resultsFor(outcome.hits, outcome.highlighting, viewer);
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const found: ResultsPage = {
    state: "results",
    q: query.cleaned,
    notes: query.notes,
    sort,
    filters,
    total: outcome.total,
    page,
    pageCount: Math.max(1, Math.ceil(outcome.total / perPage)),
    results,
    facets: outcome.facets,
    alsoSearchedFor: query.alsoSearchedFor,
    durationMs,
  };
  // Only if nothing changed while we looked: a page made across a change could mix old and new.
  if (cache.validity(service.engine.version) === validity) cache.set(key, validity, found);
  return found;
}

type SnippetSource = { strength: number; snippet: () => SnippetSegment[] | null };

function textSource(text: string, highlighting: Highlighting): SnippetSource {
  const matches = matchesIn(text, highlighting);
  return { strength: matches.strength, snippet: () => snippetFrom(matches) };
}

function detailsSource(lines: DetailLine[], highlighting: Highlighting): SnippetSource {
  return {
    strength: matchStrength(lines.map((line) => line.value).join(" · "), highlighting),
    snippet: () => detailsSnippet(lines, highlighting),
  };
}

/** The passage to show: from the text that matches most, the first of them on a tie. */
function bestSnippet(sources: SnippetSource[]) {
  let best: SnippetSource | null = null;
  for (const source of sources) if (source.strength > (best?.strength ?? 0)) best = source;
  return best?.snippet() ?? null;
}

async function resultsFor(hits: SearchHit[], highlighting: Highlighting, viewer: Viewer): Promise<SearchResult[]> {
  const refs = hits.map((hit) => hit.ref);
  // Threads found by a later post: show that post, and link to it.
  const partPosts = new Map(hits.flatMap((hit) => (hit.part ? [[hit.ref, postOfPart(hit.part)!] as const] : [])));
  const itemIds = refs.flatMap((ref) => (ref.startsWith("item:") ? [Number(ref.slice(5))] : []));
  const threadIds = refs.flatMap((ref) => (ref.startsWith("thread:") ? [Number(ref.slice(7))] : []));
  const found = new Map<string, SearchResult>();

  if (itemIds.length > 0) {
    const [items, themes, tags, authors] = await Promise.all([
      db
        .selectFrom("items")
        .select(["id", "type", "slug", "title", "summary", "body_markdown", "fields_json", "published_at"])
        .where("id", "in", itemIds)
        .where("status", "=", "published")
        .execute(),
      db.selectFrom("item_themes").select(["item_id", "theme"]).where("item_id", "in", itemIds).execute(),
      db.selectFrom("item_tags").select(["item_id", "tag"]).where("item_id", "in", itemIds).execute(),
      db
        .selectFrom("item_authors")
        .innerJoin("authors", "authors.id", "item_authors.author_id")
        .select(["item_authors.item_id", "authors.name"])
        .where("item_authors.item_id", "in", itemIds)
        .orderBy("item_authors.position")
        .execute(),
    ]);
    for (const item of items) {
      const body = plainTextOf(item.body_markdown);
      const details = detailLinesOf(
        item.fields_json,
        tags.filter((row) => row.item_id === item.id).map((row) => row.tag),
      );
      found.set(`item:${item.id}`, {
        ref: `item:${item.id}`,
        kind: "item",
        typeLabel: ITEM_TYPES[item.type],
        href: itemPath(item.slug),
        title: highlight(item.title, highlighting),
        snippet:
          bestSnippet([
            textSource(item.summary, highlighting),
            textSource(body, highlighting),
            detailsSource(details, highlighting),
          ]) ?? highlight(item.summary, highlighting),
        themes: themes.filter((row) => row.item_id === item.id).map((row) => row.theme),
        authors: authors.filter((row) => row.item_id === item.id).map((row) => row.name),
        date: item.published_at,
        community: null,
        isMembersOnly: false,
      });
    }
  }

  if (threadIds.length > 0) {
    const [threads, posts, themes, tags, foundPosts] = await Promise.all([
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
        // Checked again here, so a community made members-only (or left) a moment ago is never shown.
        .where(threadIsVisible(viewer))
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
      db.selectFrom("thread_tags").select(["thread_id", "tag"]).where("thread_id", "in", threadIds).execute(),
      partPosts.size === 0
        ? Promise.resolve([])
        : db
            .selectFrom("posts")
            .select(["id", "thread_id", "body_markdown"])
            .where("id", "in", [...partPosts.values()])
            .where("is_hidden", "=", 0)
            .where("deleted_at", "is", null)
            .execute(),
    ]);
    for (const thread of threads) {
      const foundPost = foundPosts.find(
        (post) => post.thread_id === thread.id && post.id === partPosts.get(`thread:${thread.id}`),
      );
      const text = foundPost
        ? plainTextOf(foundPost.body_markdown)
        : threadTextOf(posts.filter((post) => post.thread_id === thread.id).map((post) => post.body_markdown));
      const threadTags = tags.filter((row) => row.thread_id === thread.id).map((row) => row.tag);
      const details = threadTags.length > 0 ? [{ label: "Tags", value: threadTags.join(", ") }] : [];
      const address = { id: thread.id, slug: thread.slug, communitySlug: thread.community_slug };
      found.set(`thread:${thread.id}`, {
        ref: `thread:${thread.id}`,
        kind: "discussion",
        typeLabel: thread.kind === "question" ? "Question" : "Discussion",
        href: foundPost ? postPath(address, foundPost.id) : threadPath(address),
        title: highlight(thread.title, highlighting),
        snippet: bestSnippet([textSource(text, highlighting), detailsSource(details, highlighting)]) ?? [
          { text: text.slice(0, 240), isMatch: false },
        ],
        themes: themes.filter((row) => row.thread_id === thread.id).map((row) => row.theme),
        authors: thread.display_name ? [thread.display_name] : [],
        date: thread.created_at,
        community: thread.community_name,
        isMembersOnly: thread.visibility !== "open",
      });
    }
  }
  return refs.flatMap((ref) => {
    const result = found.get(ref);
    return result ? [result] : [];
  });
}
