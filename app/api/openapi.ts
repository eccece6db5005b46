import {
  CONTRACT_CATEGORY_SLUGS,
  ENGLISH_REGION_SLUGS,
  ITEM_TYPE_SLUGS,
  LICENCE_SLUGS,
  NATION_SLUGS,
  ORGANISATION_TYPE_SLUGS,
  PROCEDURE_SLUGS,
  REGIME_SLUGS,
  THEME_SLUGS,
  VALUE_BAND_SLUGS,
} from "~/models/vocabulary";
import { MAX_QUERY_LENGTH } from "~/search/query-parser";

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./query.server";

// Kept here rather than imported from v1.server so the document stays free of server code.
const SEARCH_TYPES = [...ITEM_TYPE_SLUGS, "question", "discussion"];
const MAX_SEARCH_PAGE = 500;

// The API's contract, served at /api/v1/openapi.json. Tests check real responses against these
// schemas, so a change to what the API returns has to be made here too.

const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: "null" }] });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const dateTime = { type: "string", format: "date-time" };
const date = { type: "string", format: "date" };
const uri = { type: "string", format: "uri" };

const enumParameter = (name: string, values: readonly string[], description: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: { type: "string", enum: [...values] },
});

const errorResponses = {
  "400": {
    description: "A parameter is unknown, repeated or invalid. The body names it and says why.",
    content: { "application/json": { schema: ref("Error") } },
  },
  "405": {
    description: "The API is read-only: only GET and HEAD are allowed.",
    content: { "application/json": { schema: ref("Error") } },
  },
};

const notModified = { "304": { description: "Not modified: the If-None-Match header named the current ETag." } };

const cachingHeaders = {
  ETag: { description: "Validator for conditional requests (If-None-Match).", schema: { type: "string" } },
  "Cache-Control": { description: "How long the response may be reused.", schema: { type: "string" } },
};

const pageParameters = [
  {
    name: "limit",
    in: "query",
    required: false,
    description: `How many results to return, 1 to ${MAX_PAGE_SIZE}. Defaults to ${DEFAULT_PAGE_SIZE}.`,
    schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  },
  {
    name: "cursor",
    in: "query",
    required: false,
    description: "Opaque position to continue from: the next_cursor of the previous page.",
    schema: { type: "string" },
  },
];

export function openApiDocument(siteUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Procurement Commons API",
      version: "1.0.0",
      summary:
        "Read-only open data: the library of case studies, tips and data stories, and open communities' threads.",
      description:
        "Everything here is public: no authentication is needed and none is accepted. Each item states its own licence (Creative Commons Attribution 4.0 unless its author chose another); reuse it on those terms. Responses carry an ETag: send it back in If-None-Match to get a 304 when nothing changed.",
      license: {
        name: "Creative Commons Attribution 4.0, unless an item's licence field says otherwise",
        identifier: "CC-BY-4.0",
      },
    },
    servers: [{ url: `${siteUrl}/api/v1` }],
    paths: {
      "/items": {
        get: {
          operationId: "listItems",
          summary: "List published items, newest first",
          parameters: [
            enumParameter("type", ITEM_TYPE_SLUGS, "Only items of this type."),
            enumParameter("theme", THEME_SLUGS, "Only items with this theme."),
            {
              name: "tag",
              in: "query",
              required: false,
              description: "Only items with this tag.",
              schema: { type: "string", pattern: "^[a-z0-9-]+$", maxLength: 40 },
            },
            enumParameter("organisation_type", ORGANISATION_TYPE_SLUGS, "Case studies from this kind of organisation."),
            enumParameter("nation", NATION_SLUGS, "Case studies from this nation."),
            enumParameter("region", ENGLISH_REGION_SLUGS, "Case studies from this English region."),
            enumParameter("regime", REGIME_SLUGS, "Case studies under this legal regime."),
            enumParameter("procedure", PROCEDURE_SLUGS, "Case studies that used this procedure."),
            enumParameter("contract_category", CONTRACT_CATEGORY_SLUGS, "Case studies of this contract category."),
            enumParameter("value_band", VALUE_BAND_SLUGS, "Case studies in this value band."),
            {
              name: "updated_since",
              in: "query",
              required: false,
              description: "Only items updated at or after this date (YYYY-MM-DD) or date-time with a zone.",
              schema: { type: "string" },
            },
            ...pageParameters,
          ],
          responses: {
            "200": {
              description: "A page of items. Follow next_url (or pass next_cursor) for the next page.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("ItemList") } },
            },
            ...notModified,
            ...errorResponses,
          },
        },
      },
      "/items/{slug}": {
        get: {
          operationId: "getItem",
          summary: "One published item, with its markdown and HTML",
          parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "The item.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("ItemResponse") } },
            },
            "301": { description: "The item was renamed: Location gives its current address." },
            ...notModified,
            "404": {
              description: "No published item has this slug.",
              content: { "application/json": { schema: ref("Error") } },
            },
            ...errorResponses,
          },
        },
      },
      "/search": {
        get: {
          operationId: "search",
          summary: "Search published items and open communities' threads",
          description:
            'The same search as the site\'s search page: word stems and prefixes (procure*), one typo forgiven in longer words, title:word, +required, -excluded and "quoted phrases". Members-only communities are never searched. Give q, at least one filter, or both; without q results come newest first. Facet counts cover the whole result set, not just this page.',
          parameters: [
            {
              name: "q",
              in: "query",
              required: false,
              description: `What to search for, at most ${MAX_QUERY_LENGTH} characters, without control characters.`,
              schema: { type: "string", maxLength: MAX_QUERY_LENGTH },
            },
            enumParameter("kind", ["item", "discussion"], "Only library items, or only discussion threads."),
            enumParameter(
              "type",
              SEARCH_TYPES,
              "Only items of this type, or threads of this kind (question, discussion).",
            ),
            enumParameter("theme", THEME_SLUGS, "Only results with this theme."),
            {
              name: "tag",
              in: "query",
              required: false,
              description: "Only results with this tag.",
              schema: { type: "string", pattern: "^[a-z0-9-]+$", maxLength: 40 },
            },
            enumParameter("organisation_type", ORGANISATION_TYPE_SLUGS, "Case studies from this kind of organisation."),
            enumParameter("procedure", PROCEDURE_SLUGS, "Case studies that used this procedure."),
            enumParameter("value_band", VALUE_BAND_SLUGS, "Case studies in this value band."),
            enumParameter("sort", ["relevance", "newest"], "Best match first (the default) or newest first."),
            {
              name: "page",
              in: "query",
              required: false,
              description: `Which page of results, 1 to ${MAX_SEARCH_PAGE}. Defaults to 1; follow next_url for the next.`,
              schema: { type: "integer", minimum: 1, maximum: MAX_SEARCH_PAGE, default: 1 },
            },
            pageParameters[0]!,
          ],
          responses: {
            "200": {
              description: "A page of results, best match first, with facet counts for the whole result set.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("SearchResults") } },
            },
            ...notModified,
            ...errorResponses,
            "503": {
              description:
                "The search index is still being prepared after a restart: try again after Retry-After seconds.",
              content: { "application/json": { schema: ref("Error") } },
            },
          },
        },
      },
      "/communities": {
        get: {
          operationId: "listCommunities",
          summary: "Open communities of practice",
          responses: {
            "200": {
              description: "Every open community. Members-only communities are never listed.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("CommunityList") } },
            },
            ...notModified,
            ...errorResponses,
          },
        },
      },
      "/communities/{slug}": {
        get: {
          operationId: "getCommunity",
          summary: "One open community",
          parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "The community.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("CommunityResponse") } },
            },
            ...notModified,
            "404": {
              description: "No open community has this slug.",
              content: { "application/json": { schema: ref("Error") } },
            },
            ...errorResponses,
          },
        },
      },
      "/communities/{slug}/threads": {
        get: {
          operationId: "listCommunityThreads",
          summary: "An open community's threads, most recently active first",
          parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }, ...pageParameters],
          responses: {
            "200": {
              description: "A page of threads.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("ThreadList") } },
            },
            ...notModified,
            "404": {
              description: "No open community has this slug.",
              content: { "application/json": { schema: ref("Error") } },
            },
            ...errorResponses,
          },
        },
      },
      "/communities/{slug}/threads/{id}": {
        get: {
          operationId: "getCommunityThread",
          summary: "One thread of an open community, with its replies in order",
          parameters: [
            { name: "slug", in: "path", required: true, schema: { type: "string" } },
            { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
          ],
          responses: {
            "200": {
              description:
                "The thread and its replies. Removed replies keep their place but lose their words and author.",
              headers: cachingHeaders,
              content: { "application/json": { schema: ref("ThreadResponse") } },
            },
            ...notModified,
            "404": {
              description: "No visible thread with this id in an open community with this slug.",
              content: { "application/json": { schema: ref("Error") } },
            },
            ...errorResponses,
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["status", "code", "message"],
              properties: {
                status: { type: "integer" },
                code: {
                  type: "string",
                  enum: ["invalid_parameter", "not_found", "method_not_allowed", "search_unavailable"],
                },
                message: { type: "string" },
                parameter: { type: "string", description: "The query parameter that was wrong." },
              },
            },
          },
        },
        Licence: {
          type: "object",
          required: ["id", "name", "url"],
          properties: {
            id: { type: "string", enum: [...LICENCE_SLUGS], description: "SPDX identifier." },
            name: { type: "string" },
            url: nullable(uri),
          },
        },
        Author: {
          type: "object",
          required: ["name", "organisation", "role", "url"],
          properties: {
            name: { type: "string" },
            organisation: nullable({ type: "string" }),
            role: nullable({ type: "string" }),
            url: uri,
          },
        },
        ItemSummary: {
          type: "object",
          required: [
            "id",
            "slug",
            "type",
            "title",
            "summary",
            "url",
            "api_url",
            "published_at",
            "updated_at",
            "review_by",
            "word_count",
            "themes",
            "tags",
            "authors",
            "licence",
            "fields",
          ],
          properties: {
            id: { type: "integer" },
            slug: { type: "string" },
            type: { type: "string", enum: [...ITEM_TYPE_SLUGS] },
            title: { type: "string" },
            summary: { type: "string", maxLength: 280 },
            url: { ...uri, description: "The item's page." },
            api_url: uri,
            published_at: dateTime,
            updated_at: dateTime,
            review_by: nullable(date),
            word_count: { type: "integer", minimum: 0 },
            themes: { type: "array", items: { type: "string", enum: [...THEME_SLUGS] }, minItems: 1 },
            tags: { type: "array", items: { type: "string" } },
            authors: { type: "array", items: ref("Author") },
            licence: ref("Licence"),
            fields: {
              type: "object",
              required: ["type"],
              description:
                "The type's structured fields: for case studies organisation_type, nation, region, regime, lifecycle_stages, procedure, contract_category, value_band, notices_used, outcomes and lessons; for tips applies_to, basis and sources; for data stories datasets, method and caveats.",
              properties: { type: { type: "string", enum: [...ITEM_TYPE_SLUGS] } },
            },
          },
        },
        ItemDetail: {
          allOf: [
            ref("ItemSummary"),
            {
              type: "object",
              required: ["version", "body", "toc"],
              properties: {
                version: { type: "integer", minimum: 1 },
                body: {
                  type: "object",
                  required: ["markdown", "html"],
                  properties: {
                    markdown: { type: "string", description: "The author's markdown." },
                    html: { type: "string", description: "The sanitised HTML the site shows." },
                  },
                },
                toc: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["id", "text", "depth"],
                    properties: { id: { type: "string" }, text: { type: "string" }, depth: { type: "integer" } },
                  },
                },
              },
            },
          ],
        },
        ItemList: {
          type: "object",
          required: ["data", "next_cursor", "next_url"],
          properties: {
            data: { type: "array", items: ref("ItemSummary") },
            next_cursor: nullable({ type: "string" }),
            next_url: nullable(uri),
          },
        },
        ItemResponse: { type: "object", required: ["data"], properties: { data: ref("ItemDetail") } },
        Community: {
          type: "object",
          required: [
            "slug",
            "name",
            "description",
            "kind",
            "url",
            "api_url",
            "threads_url",
            "feed_url",
            "created_at",
            "thread_count",
            "last_activity_at",
          ],
          properties: {
            slug: { type: "string" },
            name: { type: "string" },
            description: { type: "string" },
            kind: { type: "string", enum: ["region", "sector", "topic"] },
            url: uri,
            api_url: uri,
            threads_url: uri,
            feed_url: { ...uri, description: "Atom feed of the community's new threads." },
            created_at: dateTime,
            thread_count: { type: "integer", minimum: 0 },
            last_activity_at: nullable(dateTime),
          },
        },
        CommunityList: {
          type: "object",
          required: ["data"],
          properties: { data: { type: "array", items: ref("Community") } },
        },
        CommunityResponse: { type: "object", required: ["data"], properties: { data: ref("Community") } },
        Thread: {
          type: "object",
          required: [
            "id",
            "slug",
            "kind",
            "title",
            "url",
            "community",
            "author",
            "created_at",
            "last_activity_at",
            "reply_count",
            "is_answered",
            "themes",
            "tags",
            "body_html",
            "api_url",
          ],
          properties: {
            id: { type: "integer" },
            slug: { type: "string" },
            kind: { type: "string", enum: ["discussion", "question"] },
            title: { type: "string" },
            url: uri,
            community: { type: "string", description: "The community's slug." },
            author: nullable({ type: "object", required: ["name"], properties: { name: { type: "string" } } }),
            created_at: dateTime,
            last_activity_at: dateTime,
            reply_count: { type: "integer", minimum: 0 },
            is_answered: { type: "boolean", description: "A question with an accepted answer." },
            themes: { type: "array", items: { type: "string", enum: [...THEME_SLUGS] } },
            tags: { type: "array", items: { type: "string" } },
            body_html: { type: "string", description: "The opening post, sanitised; empty if it was removed." },
            api_url: uri,
          },
        },
        Reply: {
          type: "object",
          required: ["id", "parent_id", "author", "created_at", "edited_at", "is_accepted", "is_removed", "body_html"],
          properties: {
            id: { type: "integer" },
            parent_id: nullable({
              type: "integer",
              description: "The reply this answers; null for a reply to the opening post.",
            }),
            author: nullable({ type: "object", required: ["name"], properties: { name: { type: "string" } } }),
            created_at: dateTime,
            edited_at: nullable(dateTime),
            is_accepted: { type: "boolean", description: "The accepted answer to a question." },
            is_removed: { type: "boolean", description: "Deleted by its author or hidden by a moderator." },
            body_html: { type: "string" },
          },
        },
        ThreadDetail: {
          allOf: [
            ref("Thread"),
            { type: "object", required: ["replies"], properties: { replies: { type: "array", items: ref("Reply") } } },
          ],
        },
        ThreadResponse: { type: "object", required: ["data"], properties: { data: ref("ThreadDetail") } },
        FacetCounts: {
          type: "array",
          items: {
            type: "object",
            required: ["value", "count"],
            properties: { value: { type: "string" }, count: { type: "integer", minimum: 1 } },
          },
        },
        SearchResult: {
          type: "object",
          required: [
            "kind",
            "id",
            "type_label",
            "title",
            "snippet",
            "snippet_highlights",
            "url",
            "api_url",
            "themes",
            "authors",
            "date",
            "community",
          ],
          properties: {
            kind: { type: "string", enum: ["item", "discussion"] },
            id: { type: "integer", description: "The item's or thread's id." },
            type_label: { type: "string", description: "Case study, Tip, Data story, Question or Discussion." },
            title: { type: "string" },
            snippet: { type: "string", description: "Plain text around the matched words." },
            snippet_highlights: {
              type: "array",
              description: "The snippet in pieces; match is true for the words that matched the search.",
              items: {
                type: "object",
                required: ["text", "match"],
                properties: { text: { type: "string" }, match: { type: "boolean" } },
              },
            },
            url: { ...uri, description: "The item's or thread's page." },
            api_url: { ...uri, description: "The same item or thread in this API." },
            themes: { type: "array", items: { type: "string", enum: [...THEME_SLUGS] } },
            authors: { type: "array", items: { type: "string" } },
            date: nullable(dateTime),
            community: nullable({ type: "string", description: "The community's name, for a thread." }),
          },
        },
        SearchResults: {
          type: "object",
          required: ["data", "query", "total", "page", "page_count", "next_url", "facets"],
          properties: {
            data: { type: "array", items: ref("SearchResult") },
            query: {
              type: "object",
              required: ["q", "sort", "notes"],
              properties: {
                q: { type: "string", description: "The search as understood, cleaned." },
                sort: { type: "string", enum: ["relevance", "newest"] },
                notes: { type: "array", items: { type: "string" }, description: "What was ignored, in plain English." },
              },
            },
            total: { type: "integer", minimum: 0 },
            page: { type: "integer", minimum: 1 },
            page_count: { type: "integer", minimum: 1 },
            next_url: nullable(uri),
            facets: {
              type: "object",
              required: ["kind", "type", "theme", "tag", "organisation_type", "procedure", "value_band"],
              additionalProperties: false,
              properties: Object.fromEntries(
                ["kind", "type", "theme", "tag", "organisation_type", "procedure", "value_band"].map((name) => [
                  name,
                  ref("FacetCounts"),
                ]),
              ),
            },
          },
        },
        ThreadList: {
          type: "object",
          required: ["data", "next_cursor", "next_url"],
          properties: {
            data: { type: "array", items: ref("Thread") },
            next_cursor: nullable({ type: "string" }),
            next_url: nullable(uri),
          },
        },
      },
    },
  };
}
