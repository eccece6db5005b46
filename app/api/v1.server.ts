import { z } from "zod";

import { getEnv } from "~/env.server";
import {
  CONTRACT_CATEGORY_SLUGS,
  ENGLISH_REGION_SLUGS,
  ITEM_TYPE_SLUGS,
  LICENCE_URLS,
  LICENCES,
  labelFor,
  NATION_SLUGS,
  ORGANISATION_TYPE_SLUGS,
  PROCEDURE_SLUGS,
  REGIME_SLUGS,
  THEME_SLUGS,
  VALUE_BAND_SLUGS,
} from "~/models/vocabulary";
import type { FacetName, SearchFilters } from "~/search/facets";
import { MAX_QUERY_LENGTH } from "~/search/query-parser";
import { type SearchResult, runSearch } from "~/search/search.server";
import {
  getOpenCommunity,
  getOpenThread,
  listOpenCommunities,
  listOpenThreads,
  type OpenCommunity,
  type OpenReply,
  type OpenThread,
} from "~/syndication/open-discussions.server";
import { getSyndicatedItem, listPublishedItems, type SyndicatedItem } from "~/syndication/published-items.server";
import { authorPath, communityPath, feedPath, itemPath, threadPath } from "~/utils/paths";

import {
  CursorSchema,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  InvalidParameter,
  LimitSchema,
  parseQuery,
} from "./query.server";
import { apiError, apiJson, notFound } from "./responses.server";

// Version 1 of the public read-only API. Field names are snake_case and stable: add, never rename.

const API_BASE = "/api/v1";

const TagParamSchema = z
  .string()
  .max(40, "a tag is at most 40 characters")
  .regex(/^[a-z0-9-]+$/, "tags use lower-case letters, digits and hyphens");

const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });

const UpdatedSinceSchema = z
  .string()
  .refine((value) => IsoDate.safeParse(value).success || IsoDateTime.safeParse(value).success, {
    message: "give a real date (2026-01-31) or a date and time with a zone (2026-01-31T09:00:00Z)",
  })
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString());

const ItemsQueryShape = {
  type: z.enum(ITEM_TYPE_SLUGS).optional(),
  theme: z.enum(THEME_SLUGS).optional(),
  tag: TagParamSchema.optional(),
  organisation_type: z.enum(ORGANISATION_TYPE_SLUGS).optional(),
  nation: z.enum(NATION_SLUGS).optional(),
  region: z.enum(ENGLISH_REGION_SLUGS).optional(),
  regime: z.enum(REGIME_SLUGS).optional(),
  procedure: z.enum(PROCEDURE_SLUGS).optional(),
  contract_category: z.enum(CONTRACT_CATEGORY_SLUGS).optional(),
  value_band: z.enum(VALUE_BAND_SLUGS).optional(),
  updated_since: UpdatedSinceSchema.optional(),
  cursor: CursorSchema.optional(),
  limit: LimitSchema.optional(),
};

/** Search words: the same syntax as the site's search page, but an API caller hears about junk rather than having it cleaned away. */
const SearchTextSchema = z
  .string()
  .max(MAX_QUERY_LENGTH, `a search is at most ${MAX_QUERY_LENGTH} characters`)
  // Tabs and line breaks are just spaces; other control characters are never part of a search.
  .refine((value) => !/(?![\t\n\r])\p{Cc}/u.test(value), "control characters are not allowed in a search");

const SEARCH_TYPE_SLUGS = [...ITEM_TYPE_SLUGS, "question", "discussion"] as const;
const MAX_SEARCH_PAGE = 500;

export const SearchQueryShape = {
  q: SearchTextSchema.optional(),
  kind: z.enum(["item", "discussion"]).optional(),
  type: z.enum(SEARCH_TYPE_SLUGS).optional(),
  theme: z.enum(THEME_SLUGS).optional(),
  tag: TagParamSchema.optional(),
  organisation_type: z.enum(ORGANISATION_TYPE_SLUGS).optional(),
  procedure: z.enum(PROCEDURE_SLUGS).optional(),
  value_band: z.enum(VALUE_BAND_SLUGS).optional(),
  sort: z.enum(["relevance", "newest"]).optional(),
  page: z
    .string()
    .regex(/^\d{1,6}$/, "give a whole number")
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, "pages start at 1")
        .max(MAX_SEARCH_PAGE, `at most ${MAX_SEARCH_PAGE} pages of results are available; narrow the search`),
    )
    .optional(),
  limit: LimitSchema.optional(),
};

/** The API's names for the search facets (snake_case, as in /items) and the engine's. */
const SEARCH_FACET_PARAMS: Record<FacetName, keyof typeof SearchQueryShape> = {
  kind: "kind",
  type: "type",
  theme: "theme",
  tag: "tag",
  organisationType: "organisation_type",
  procedure: "procedure",
  valueBand: "value_band",
};

const PageQueryShape = { cursor: CursorSchema.optional(), limit: LimitSchema.optional() };

function absolute(path: string) {
  return `${getEnv().SITE_URL}${path}`;
}

function licenceOf(id: string) {
  return { id, name: labelFor(LICENCES, id), url: (LICENCE_URLS as Record<string, string>)[id] ?? null };
}

function pageUrl(request: Request, cursor: string | null) {
  if (!cursor) return null;
  const url = new URL(request.url);
  url.searchParams.set("cursor", cursor);
  return absolute(`${url.pathname}?${url.searchParams.toString()}`);
}

function serialiseItemSummary(item: SyndicatedItem) {
  return {
    id: item.id,
    slug: item.slug,
    type: item.type,
    title: item.title,
    summary: item.summary,
    url: absolute(itemPath(item.slug)),
    api_url: absolute(`${API_BASE}/items/${item.slug}`),
    published_at: item.publishedAt,
    updated_at: item.updatedAt,
    review_by: item.reviewBy,
    word_count: item.wordCount,
    themes: item.themes,
    tags: item.tags,
    authors: item.authors.map((author) => ({
      name: author.name,
      organisation: author.organisation,
      role: author.role,
      url: absolute(authorPath(author.slug)),
    })),
    licence: licenceOf(item.licence),
    fields: item.fields,
  };
}

function serialiseCommunity(community: OpenCommunity) {
  return {
    slug: community.slug,
    name: community.name,
    description: community.description,
    kind: community.kind,
    url: absolute(communityPath(community.slug)),
    api_url: absolute(`${API_BASE}/communities/${community.slug}`),
    threads_url: absolute(`${API_BASE}/communities/${community.slug}/threads`),
    feed_url: absolute(feedPath({ kind: "community", slug: community.slug }, "atom")),
    created_at: community.createdAt,
    thread_count: community.threadCount,
    last_activity_at: community.lastActivityAt,
  };
}

function serialiseThread(thread: OpenThread) {
  return {
    id: thread.id,
    slug: thread.slug,
    kind: thread.kind,
    title: thread.title,
    url: absolute(threadPath({ communitySlug: thread.communitySlug, id: thread.id, slug: thread.slug })),
    community: thread.communitySlug,
    author: thread.authorName === null ? null : { name: thread.authorName },
    created_at: thread.createdAt,
    last_activity_at: thread.lastActivityAt,
    reply_count: thread.replyCount,
    is_answered: thread.isAnswered,
    themes: thread.themes,
    tags: thread.tags,
    body_html: thread.openingPostHtml,
    api_url: absolute(`${API_BASE}/communities/${thread.communitySlug}/threads/${thread.id}`),
  };
}

function serialiseReply(reply: OpenReply) {
  return {
    id: reply.id,
    parent_id: reply.parentId,
    author: reply.authorName === null ? null : { name: reply.authorName },
    created_at: reply.createdAt,
    edited_at: reply.editedAt,
    is_accepted: reply.isAccepted,
    is_removed: reply.isRemoved,
    body_html: reply.bodyHtml,
  };
}

/** Turns a bad parameter into the API's 400; anything else is rethrown. */
function invalidParameterResponse(error: unknown) {
  if (error instanceof InvalidParameter) {
    return apiError(400, { code: "invalid_parameter", parameter: error.parameter, message: error.message });
  }
  throw error;
}

export async function respondWithItems(request: Request) {
  let query;
  try {
    query = parseQuery(new URL(request.url).searchParams, ItemsQueryShape);
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const { cursor, limit = DEFAULT_PAGE_SIZE, updated_since, ...filters } = query;
  const { items, next } = await listPublishedItems({
    filters: { ...filters, updatedSince: updated_since },
    after: cursor,
    limit,
  });
  const nextCursor = next ? encodeCursor(next.sortKey, next.id) : null;
  return apiJson(request, {
    data: items.map(serialiseItemSummary),
    next_cursor: nextCursor,
    next_url: pageUrl(request, nextCursor),
  });
}

export async function respondWithItem(request: Request, slug: string) {
  try {
    parseQuery(new URL(request.url).searchParams, {});
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const lookup = await getSyndicatedItem({ slug: slug.slice(0, 200) });
  if (lookup.kind === "moved") {
    return new Response(null, {
      status: 301,
      headers: {
        Location: `${API_BASE}/items/${lookup.slug}`,
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "public, max-age=3600",
      },
    });
  }
  if (lookup.kind === "missing") return notFound("There is no published item with that slug.");
  const { item } = lookup;
  return apiJson(request, {
    data: {
      ...serialiseItemSummary(item),
      version: item.version,
      body: { markdown: item.bodyMarkdown, html: item.bodyHtml },
      toc: item.toc,
    },
  });
}

export async function respondWithCommunities(request: Request) {
  try {
    parseQuery(new URL(request.url).searchParams, {});
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const communities = await listOpenCommunities();
  return apiJson(request, { data: communities.map(serialiseCommunity) });
}

export async function respondWithCommunity(request: Request, slug: string) {
  try {
    parseQuery(new URL(request.url).searchParams, {});
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const community = await getOpenCommunity({ slug: slug.slice(0, 200) });
  if (!community) return notFound("There is no open community with that slug.");
  return apiJson(request, { data: serialiseCommunity(community) });
}

export async function respondWithThreads(request: Request, slug: string) {
  let query;
  try {
    query = parseQuery(new URL(request.url).searchParams, PageQueryShape);
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const community = await getOpenCommunity({ slug: slug.slice(0, 200) });
  if (!community) return notFound("There is no open community with that slug.");
  const { threads, next } = await listOpenThreads({
    communitySlug: community.slug,
    orderBy: "activity",
    after: query.cursor,
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
  });
  const nextCursor = next ? encodeCursor(next.sortKey, next.id) : null;
  return apiJson(request, {
    data: threads.map(serialiseThread),
    next_cursor: nextCursor,
    next_url: pageUrl(request, nextCursor),
  });
}

export async function respondWithThread(request: Request, slug: string, id: string) {
  try {
    parseQuery(new URL(request.url).searchParams, {});
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const threadId = /^\d{1,12}$/.test(id) ? Number(id) : null;
  const found = threadId === null ? null : await getOpenThread({ communitySlug: slug.slice(0, 200), id: threadId });
  if (!found) return notFound("There is no visible thread with that id in an open community with that slug.");
  return apiJson(request, { data: { ...serialiseThread(found.thread), replies: found.replies.map(serialiseReply) } });
}

function plainText(segments: SearchResult["title"]) {
  return segments.map((segment) => segment.text).join("");
}

function serialiseSearchResult(result: SearchResult) {
  const id = Number(result.ref.slice(result.ref.indexOf(":") + 1));
  const thread = result.kind === "discussion" ? /^\/communities\/([^/]+)\/threads\//.exec(result.href) : null;
  const itemSlug = result.kind === "item" ? result.href.replace(/^\/library\//, "") : null;
  return {
    kind: result.kind,
    id,
    type_label: result.typeLabel,
    title: plainText(result.title),
    snippet: plainText(result.snippet),
    snippet_highlights: result.snippet.map((segment) => ({ text: segment.text, match: segment.isMatch })),
    url: absolute(result.href),
    api_url: thread
      ? absolute(`${API_BASE}/communities/${thread[1]}/threads/${id}`)
      : absolute(`${API_BASE}/items/${itemSlug}`),
    themes: result.themes,
    authors: result.authors,
    date: result.date,
    community: result.community,
  };
}

export async function respondWithSearch(request: Request) {
  let query;
  try {
    query = parseQuery(new URL(request.url).searchParams, SearchQueryShape);
  } catch (error) {
    return invalidParameterResponse(error);
  }
  const filters: SearchFilters = {};
  for (const [name, param] of Object.entries(SEARCH_FACET_PARAMS) as Array<
    [FacetName, keyof typeof SearchQueryShape]
  >) {
    const value = query[param];
    if (typeof value === "string") filters[name] = value;
  }
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const page = query.page ?? 1;
  const sort = query.sort ?? "relevance";
  const result = await runSearch({ q: query.q ?? "", sort, page, filters, perPage: limit });
  if (result.state === "empty") {
    return apiError(400, {
      code: "invalid_parameter",
      parameter: "q",
      message:
        result.notes.length > 0
          ? `nothing left to search for: ${result.notes.join(" ")}`
          : "give some words to search for in q, or at least one filter",
    });
  }
  if (result.state === "warming") {
    return apiError(
      503,
      {
        code: "search_unavailable",
        message: "The search index is being prepared after a restart. Try again in a few seconds.",
      },
      { "Retry-After": "5" },
    );
  }
  const nextUrl = page < Math.min(result.pageCount, MAX_SEARCH_PAGE) ? pageNumberUrl(request, page + 1) : null;
  return apiJson(request, {
    data: result.results.map(serialiseSearchResult),
    query: { q: result.q, sort: result.sort, notes: result.notes },
    total: result.total,
    page,
    page_count: result.pageCount,
    next_url: nextUrl,
    facets: Object.fromEntries(
      (Object.entries(SEARCH_FACET_PARAMS) as Array<[FacetName, string]>).map(([name, param]) => [
        param,
        result.facets[name],
      ]),
    ),
  });
}

function pageNumberUrl(request: Request, page: number) {
  const url = new URL(request.url);
  url.searchParams.set("page", String(page));
  return absolute(`${url.pathname}?${url.searchParams.toString()}`);
}
