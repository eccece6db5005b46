import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";

import { openApiDocument } from "~/api/openapi";
import { SearchQueryShape } from "~/api/v1.server";
import { db } from "~/db/client.server";
import { loader as notFoundLoader } from "~/routes/api.v1.$";
import { loader as communityLoader } from "~/routes/api.v1.communities.$slug._index";
import { loader as threadLoader } from "~/routes/api.v1.communities.$slug.threads.$id";
import { loader as threadsLoader } from "~/routes/api.v1.communities.$slug.threads._index";
import { loader as communitiesLoader } from "~/routes/api.v1.communities._index";
import { action as itemAction, loader as itemLoader } from "~/routes/api.v1.items.$slug";
import { action as itemsAction, loader as itemsLoader } from "~/routes/api.v1.items._index";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.]json";
import { action as searchAction, loader as searchLoader } from "~/routes/api.v1.search";

import { createCommunity, createReply, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { readySearch, stopSearchAfterAll } from "../search/support";
import { submitForm, callLoader } from "../support/remix";

stopSearchAfterAll();

const SITE = "http://localhost:3000";
const document = openApiDocument(SITE);

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
// OpenAPI 3.1 schemas are JSON Schema 2020-12; "components" is only where they live in the document.
ajv.addVocabulary(["components"]);
ajv.addSchema({ $id: "https://procurement-commons.test/openapi.json", components: document.components });

function expectMatchesSchema(body: unknown, schemaName: string) {
  const validate = ajv.getSchema(`https://procurement-commons.test/openapi.json#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`No schema ${schemaName}`);
  const isValid = validate(body);
  expect(validate.errors ?? [], JSON.stringify(body).slice(0, 400)).toEqual([]);
  expect(isValid).toBe(true);
}

async function get(
  loader: (args: never) => unknown,
  url: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const response = await callLoader<Response>(loader as never, url, params, { headers });
  expect(response).toBeInstanceOf(Response);
  return response;
}

async function getJson(
  loader: (args: never) => unknown,
  url: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const response = await get(loader, url, params, headers);
  return { response, body: (await response.json()) as Record<string, any> };
}

let openCommunitySlug: string;
let membersOnlySlug: string;
let memberCookie: string;
let answeredThreadId: number;
let hiddenThreadId: number;
let membersOnlyThreadId: number;
let acceptedReplyId: number;

beforeAll(async () => {
  await createItem({
    type: "case-study",
    slug: "walsall-style-alliance",
    title: "A home care alliance",
    themes: ["partnership"],
    tags: ["kpis"],
    regime: "pcr2015",
    procedure: "pcr-competitive-negotiation",
    organisation_type: "local-authority",
    nation: "england",
    region: "west-midlands",
    value_band: "20m-100m",
    contract_category: "services",
    licence: "CC-BY-SA-4.0",
    published: "2026-02-10",
    updated: "2026-04-01",
    body: "## Context\n\nWe **joined up** home care.\n",
  });
  for (let index = 1; index <= 5; index += 1) {
    await createItem({
      type: "tip",
      slug: `tip-${index}`,
      tags: ["standstill"],
      published: `2026-01-0${index}`,
      updated: `2026-01-0${index}`,
    });
  }
  await createItem({ type: "tip", slug: "unpublished-draft", status: "draft" });

  const member = await createUser();
  memberCookie = await sessionCookieFor(member.id);
  const open = await createCommunity({ slug: "north-west-buyers", name: "North West buyers", kind: "region" });
  const closed = await createCommunity({
    slug: "heads-of-commercial",
    name: "Heads of commercial",
    visibility: "members",
  });
  await db
    .insertInto("community_members")
    .values({ community_id: closed.id, user_id: member.id, joined_at: "2026-01-01T00:00:00.000Z" })
    .execute();
  openCommunitySlug = open.slug;
  membersOnlySlug = closed.slug;
  for (let index = 1; index <= 3; index += 1) {
    await createThread({
      communityId: open.id,
      author: { id: member.id, role: "member" },
      kind: index === 1 ? "question" : "discussion",
      title: `Regional thread ${index}`,
      body: "How is everyone running preliminary market engagement this year?",
      themes: ["upstream"],
      tags: ["market-engagement"],
      lastActivityAt: `2026-03-0${index}T10:00:00.000Z`,
    });
  }
  const answered = await createThread({
    communityId: open.id,
    author: { id: member.id, role: "member" },
    kind: "question",
    title: "Which KPI wording works for UK9?",
    body: "Looking for **examples**.",
    createdAt: "2026-01-05T10:00:00.000Z",
  });
  answeredThreadId = answered.threadId;
  const first = await createReply({
    threadId: answered.threadId,
    parentPostId: answered.openingPostId,
    author: { id: member.id, role: "member" },
    body: "Ours are on the portal.",
    createdAt: "2026-01-10T10:00:00.000Z",
  });
  await createReply({
    threadId: answered.threadId,
    parentPostId: first.postId,
    body: "Rude remark",
    isHidden: true,
    createdAt: "2026-01-11T10:00:00.000Z",
  });
  await createReply({
    threadId: answered.threadId,
    parentPostId: answered.openingPostId,
    body: "Regretted words",
    isDeleted: true,
    createdAt: "2026-01-12T10:00:00.000Z",
  });
  acceptedReplyId = first.postId;
  await db
    .updateTable("threads")
    .set({ accepted_post_id: first.postId, reply_count: 3, last_activity_at: "2026-01-15T10:00:00.000Z" })
    .where("id", "=", answered.threadId)
    .execute();
  hiddenThreadId = (await createThread({ communityId: open.id, title: "Hidden away", isHidden: true })).threadId;
  await createThread({
    communityId: open.id,
    title: "Opening post hidden",
    body: "Rude words",
    isOpeningPostHidden: true,
    lastActivityAt: "2026-02-01T00:00:00.000Z",
  });
  membersOnlyThreadId = (
    await createThread({ communityId: closed.id, title: "Confidential savings plan", body: "Members only" })
  ).threadId;
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const { body } = await getJson(openApiLoader, "/api/v1/openapi.json");
    const validator = new Validator();
    const result = await validator.validate(body as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(body.servers).toEqual([{ url: `${SITE}/api/v1` }]);
  });

  it("documents every filter the items endpoint accepts", () => {
    const names = document.paths["/items"].get.parameters.map((parameter) => parameter.name).sort();
    expect(names).toEqual([
      "contract_category",
      "cursor",
      "limit",
      "nation",
      "organisation_type",
      "procedure",
      "regime",
      "region",
      "tag",
      "theme",
      "type",
      "updated_since",
      "value_band",
    ]);
  });
});

describe("GET /api/v1/items", () => {
  it("lists published items, newest first, matching the schema", async () => {
    const { response, body } = await getJson(itemsLoader, "/api/v1/items");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=60");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expectMatchesSchema(body, "ItemList");
    expect(body.data.map((item: { slug: string }) => item.slug)).toEqual([
      "walsall-style-alliance",
      "tip-5",
      "tip-4",
      "tip-3",
      "tip-2",
      "tip-1",
    ]);
    expect(body.next_cursor).toBeNull();
    const [alliance] = body.data;
    expect(alliance.licence).toEqual({
      id: "CC-BY-SA-4.0",
      name: "Creative Commons Attribution-ShareAlike 4.0",
      url: "https://creativecommons.org/licenses/by-sa/4.0/",
    });
    expect(alliance.url).toBe(`${SITE}/library/walsall-style-alliance`);
    expect(alliance.fields).toMatchObject({ type: "case-study", regime: "pcr2015", value_band: "20m-100m" });
  });

  it("walks every page with the opaque cursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let url: string | null = "/api/v1/items?type=tip&limit=2";
    let pages = 0;
    while (url) {
      const { body } = await getJson(itemsLoader, url);
      expectMatchesSchema(body, "ItemList");
      seen.push(...body.data.map((item: { slug: string }) => item.slug));
      url = body.next_url ? new URL(body.next_url).pathname + new URL(body.next_url).search : null;
      if (body.next_cursor) expect(body.next_url).toContain(`cursor=${body.next_cursor}`);
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["tip-5", "tip-4", "tip-3", "tip-2", "tip-1"]);
  });

  it.each([
    ["type=case-study", ["walsall-style-alliance"]],
    ["theme=partnership", ["walsall-style-alliance"]],
    ["tag=standstill&limit=2", ["tip-5", "tip-4"]],
    ["regime=pcr2015&nation=england&region=west-midlands", ["walsall-style-alliance"]],
    ["organisation_type=local-authority&procedure=pcr-competitive-negotiation", ["walsall-style-alliance"]],
    ["contract_category=services&value_band=20m-100m", ["walsall-style-alliance"]],
    ["regime=psr", []],
    ["updated_since=2026-01-04", ["walsall-style-alliance", "tip-5", "tip-4"]],
    ["updated_since=2026-03-31T23:00:00Z", ["walsall-style-alliance"]],
    ["updated_since=2026-04-01T02:00:00%2B03:00", ["walsall-style-alliance"]],
  ])("filters by %s", async (query, slugs) => {
    const { response, body } = await getJson(itemsLoader, `/api/v1/items?${query}`);
    expect(response.status).toBe(200);
    expectMatchesSchema(body, "ItemList");
    expect(body.data.map((item: { slug: string }) => item.slug)).toEqual(slugs);
  });

  it.each([
    ["colour=red", "colour", /unknown parameter/],
    ["limit=1000", "limit", /at most 100/],
    ["limit=0", "limit", /from 1/],
    ["limit=ten", "limit", /whole number/],
    ["limit=99999999999999999999", "limit", /whole number/],
    ["cursor=not-a-cursor", "cursor", /not a cursor/],
    [`cursor=${Buffer.from('["x"]').toString("base64url")}`, "cursor", /not a cursor/],
    [`cursor=${"A".repeat(5000)}`, "cursor", /not a cursor/],
    ["type=poem", "type", /./],
    ["type=tip&type=case-study", "type", /at most once/],
    ["theme=sideways", "theme", /./],
    ["region=atlantis", "region", /./],
    ["value_band=priceless", "value_band", /./],
    ["updated_since=yesterday", "updated_since", /date/],
    ["updated_since=2026-02-30", "updated_since", /date/],
    [`tag=${"x".repeat(10_000)}`, "tag", /40 characters/],
    ["tag=%00%01", "tag", /lower-case/],
  ])("answers bad query %# with a 400 naming the parameter", async (query, parameter, message) => {
    const { response, body } = await getJson(itemsLoader, `/api/v1/items?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expectMatchesSchema(body, "Error");
    expect(body.error.code).toBe("invalid_parameter");
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toMatch(message);
  });

  it("answers If-None-Match with the current ETag with a 304 and no body", async () => {
    const first = await get(itemsLoader, "/api/v1/items?type=tip");
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const second = await get(itemsLoader, "/api/v1/items?type=tip", {}, { "If-None-Match": etag! });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("ETag")).toBe(etag);
    const other = await get(itemsLoader, "/api/v1/items?type=case-study", {}, { "If-None-Match": etag! });
    expect(other.status).toBe(200);
  });

  it("refuses to write", async () => {
    const response = await submitForm(itemsAction, "/api/v1/items", { title: "New" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expectMatchesSchema(await response.json(), "Error");
  });
});

describe("GET /api/v1/items/{slug}", () => {
  it("returns the item's metadata, licence, markdown and HTML", async () => {
    const { response, body } = await getJson(itemLoader, "/api/v1/items/walsall-style-alliance", {
      slug: "walsall-style-alliance",
    });
    expect(response.status).toBe(200);
    expectMatchesSchema(body, "ItemResponse");
    expect(body.data.body.markdown).toBe("## Context\n\nWe **joined up** home care.\n");
    expect(body.data.body.html).toContain("<strong>joined up</strong>");
    expect(body.data.licence.id).toBe("CC-BY-SA-4.0");
    expect(body.data.toc).toEqual([{ id: "context", text: "Context", depth: 2 }]);
  });

  it("404s for drafts and unknown slugs, as JSON", async () => {
    for (const slug of ["unpublished-draft", "nope", "x".repeat(5000)]) {
      const { response, body } = await getJson(itemLoader, `/api/v1/items/${slug}`, { slug });
      expect(response.status).toBe(404);
      expectMatchesSchema(body, "Error");
    }
  });

  it("redirects a renamed item's old slug", async () => {
    const { id } = await db.selectFrom("items").select("id").where("slug", "=", "tip-1").executeTakeFirstOrThrow();
    await db.insertInto("item_slug_redirects").values({ slug: "old-tip-1", item_id: id }).execute();
    const response = await get(itemLoader, "/api/v1/items/old-tip-1", { slug: "old-tip-1" });
    expect(response.status).toBe(301);
    expect(response.headers.get("Location")).toBe("/api/v1/items/tip-1");
  });

  it("takes no parameters", async () => {
    const { response, body } = await getJson(itemLoader, "/api/v1/items/tip-2?fields=all", { slug: "tip-2" });
    expect(response.status).toBe(400);
    expect(body.error.parameter).toBe("fields");
  });

  it("refuses to write", async () => {
    const response = await submitForm(itemAction, "/api/v1/items/tip-2", {}, { params: { slug: "tip-2" } });
    expect(response.status).toBe(405);
  });
});

describe("communities and threads", () => {
  it("lists only open communities", async () => {
    const { body } = await getJson(communitiesLoader, "/api/v1/communities");
    expectMatchesSchema(body, "CommunityList");
    expect(body.data.map((community: { slug: string }) => community.slug)).toEqual([openCommunitySlug]);
    expect(body.data[0]).toMatchObject({
      thread_count: 5,
      kind: "region",
      last_activity_at: "2026-03-03T10:00:00.000Z",
    });
  });

  it("shows an open community and 404s a members-only one as if it did not exist", async () => {
    const open = await getJson(communityLoader, `/api/v1/communities/${openCommunitySlug}`, {
      slug: openCommunitySlug,
    });
    expectMatchesSchema(open.body, "CommunityResponse");
    const closed = await getJson(communityLoader, `/api/v1/communities/${membersOnlySlug}`, { slug: membersOnlySlug });
    const missing = await getJson(communityLoader, "/api/v1/communities/nope", { slug: "nope" });
    expect(closed.response.status).toBe(404);
    expect(closed.body).toEqual(missing.body);
  });

  it("pages through an open community's visible threads, most recently active first", async () => {
    const first = await getJson(threadsLoader, `/api/v1/communities/${openCommunitySlug}/threads?limit=3`, {
      slug: openCommunitySlug,
    });
    expectMatchesSchema(first.body, "ThreadList");
    expect(first.body.data.map((thread: { title: string }) => thread.title)).toEqual([
      "Regional thread 3",
      "Regional thread 2",
      "Regional thread 1",
    ]);
    expect(first.body.data[2]).toMatchObject({
      kind: "question",
      themes: ["upstream"],
      tags: ["market-engagement"],
      reply_count: 0,
      is_answered: false,
    });
    expect(first.body.data[2].body_html).toContain("How is everyone running preliminary market engagement this year?");
    const second = await getJson(
      threadsLoader,
      `/api/v1/communities/${openCommunitySlug}/threads?limit=3&cursor=${first.body.next_cursor}`,
      { slug: openCommunitySlug },
    );
    expectMatchesSchema(second.body, "ThreadList");
    expect(
      second.body.data.map((thread: { title: string; body_html: string }) => [thread.title, thread.body_html]),
    ).toEqual([
      ["Opening post hidden", ""],
      ["Which KPI wording works for UK9?", "<p>Looking for <strong>examples</strong>.</p>\n"],
    ]);
    expect(second.body.next_cursor).toBeNull();
    expect(JSON.stringify([first.body, second.body])).not.toContain("Hidden away");
  });

  it("returns one thread with its replies in order, removed replies reduced to their place", async () => {
    const url = `/api/v1/communities/${openCommunitySlug}/threads/${answeredThreadId}`;
    const { response, body } = await getJson(threadLoader, url, {
      slug: openCommunitySlug,
      id: String(answeredThreadId),
    });
    expect(response.status).toBe(200);
    expectMatchesSchema(body, "ThreadResponse");
    expect(body.data).toMatchObject({ title: "Which KPI wording works for UK9?", kind: "question", is_answered: true });
    expect(body.data.replies).toEqual([
      expect.objectContaining({
        id: acceptedReplyId,
        parent_id: null,
        is_accepted: true,
        is_removed: false,
        body_html: "<p>Ours are on the portal.</p>\n",
      }),
      expect.objectContaining({ parent_id: acceptedReplyId, is_removed: true, author: null, body_html: "" }),
      expect.objectContaining({ parent_id: null, is_removed: true, author: null, body_html: "" }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/Rude remark|Regretted words/);
  });

  it("404s hidden threads, members-only threads, threads of another community and nonsense ids", async () => {
    for (const [slug, id] of [
      [openCommunitySlug, String(hiddenThreadId)],
      [membersOnlySlug, String(membersOnlyThreadId)],
      [openCommunitySlug, String(membersOnlyThreadId)],
      [openCommunitySlug, "abc"],
      [openCommunitySlug, "9".repeat(40)],
    ] as const) {
      const { response, body } = await getJson(
        threadLoader,
        `/api/v1/communities/${slug}/threads/${id}`,
        { slug, id },
        { Cookie: memberCookie },
      );
      expect(response.status, `${slug}/${id}`).toBe(404);
      expectMatchesSchema(body, "Error");
      expect(JSON.stringify(body)).not.toContain("Confidential");
    }
  });

  it("404s a members-only community's threads, even for a signed-in member of it", async () => {
    const response = await get(
      threadsLoader,
      `/api/v1/communities/${membersOnlySlug}/threads`,
      { slug: membersOnlySlug },
      { Cookie: memberCookie },
    );
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Confidential");
  });

  it.each(["limit=500", "cursor=%%%", "page=2"])("rejects threads?%s with a 400", async (query) => {
    const { response, body } = await getJson(
      threadsLoader,
      `/api/v1/communities/${openCommunitySlug}/threads?${query}`,
      { slug: openCommunitySlug },
    );
    expect(response.status).toBe(400);
    expectMatchesSchema(body, "Error");
  });
});

describe("GET /api/v1/search", () => {
  beforeAll(async () => {
    await readySearch();
  });

  const titles = (body: Record<string, any>) => body.data.map((result: { title: string }) => result.title);

  it("is documented with every parameter it accepts", () => {
    const names = document.paths["/search"].get.parameters.map((parameter) => parameter.name).sort();
    expect(names).toEqual(Object.keys(SearchQueryShape).sort());
  });

  it("finds items and open threads, matching the schema, with caching headers", async () => {
    const { response, body } = await getJson(searchLoader, "/api/v1/search?q=kpi");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=60");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("ETag")).toMatch(/^"[\w-]+"$/);
    expectMatchesSchema(body, "SearchResults");
    expect(titles(body)).toEqual(expect.arrayContaining(["Which KPI wording works for UK9?", "A home care alliance"]));
    const thread = body.data.find((result: { kind: string }) => result.kind === "discussion");
    expect(thread).toMatchObject({
      id: answeredThreadId,
      type_label: "Question",
      community: "North West buyers",
      api_url: `${SITE}/api/v1/communities/${openCommunitySlug}/threads/${answeredThreadId}`,
    });
    expect(thread.url).toMatch(new RegExp(`^${SITE}/communities/${openCommunitySlug}/threads/${answeredThreadId}-`));
    const item = body.data.find((result: { kind: string }) => result.kind === "item");
    expect(item).toMatchObject({
      url: `${SITE}/library/walsall-style-alliance`,
      api_url: `${SITE}/api/v1/items/walsall-style-alliance`,
    });
    expect(body.facets.kind).toEqual(
      expect.arrayContaining([
        { value: "item", count: 1 },
        { value: "discussion", count: 1 },
      ]),
    );
    expect(body.query).toEqual({ q: "kpi", sort: "relevance", notes: [] });

    const again = await get(
      searchLoader,
      "/api/v1/search?q=kpi",
      {},
      { "If-None-Match": response.headers.get("ETag")! },
    );
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("combines the words with filters, and searches by filter alone, newest first", async () => {
    const filtered = await getJson(
      searchLoader,
      "/api/v1/search?q=kpi&kind=item&organisation_type=local-authority&value_band=20m-100m",
    );
    expectMatchesSchema(filtered.body, "SearchResults");
    expect(titles(filtered.body)).toEqual(["A home care alliance"]);
    const questions = await getJson(searchLoader, "/api/v1/search?type=question&sort=newest");
    expectMatchesSchema(questions.body, "SearchResults");
    expect(questions.body.data.length).toBeGreaterThan(0);
    expect(
      questions.body.data.every((result: { kind: string; type_label: string }) => result.type_label === "Question"),
    ).toBe(true);
  });

  it("pages with page and limit, next_url leading to the next page until the last", async () => {
    const seen: string[] = [];
    let url: string | null = "/api/v1/search?tag=standstill&limit=2";
    let pages = 0;
    while (url) {
      const { response, body } = await getJson(searchLoader, url);
      expect(response.status).toBe(200);
      expectMatchesSchema(body, "SearchResults");
      expect(body.total).toBe(5);
      expect(body.page_count).toBe(3);
      seen.push(...body.data.map((result: { url: string }) => result.url));
      url = body.next_url ? new URL(body.next_url).pathname + new URL(body.next_url).search : null;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it("never returns members-only or hidden threads, even to a signed-in member", async () => {
    for (const q of ["confidential", "savings plan", "members only", "hidden away", "title:confidential"]) {
      const anonymous = await getJson(searchLoader, `/api/v1/search?q=${encodeURIComponent(q)}`);
      const member = await getJson(
        searchLoader,
        `/api/v1/search?q=${encodeURIComponent(q)}`,
        {},
        { Cookie: memberCookie },
      );
      for (const { response, body } of [anonymous, member]) {
        expect(response.status, q).toBe(200);
        expectMatchesSchema(body, "SearchResults");
        expect(JSON.stringify(body.data)).not.toMatch(/Confidential|Members only|Hidden away/);
        expect(JSON.stringify(body.data)).not.toContain(membersOnlySlug);
      }
      expect(member.response.headers.get("Set-Cookie")).toBeNull();
      expect(
        await (
          await get(searchLoader, `/api/v1/search?q=${encodeURIComponent(q)}`, {}, { Cookie: memberCookie })
        ).text(),
      ).toBe(JSON.stringify(anonymous.body));
    }
    const discussions = await getJson(searchLoader, "/api/v1/search?kind=discussion&limit=100");
    expect(discussions.body.total).toBe(5);
    expect(JSON.stringify(discussions.body)).not.toMatch(/Confidential|Hidden away/);
  });

  it("answers operator soup and Lunr syntax with a 200", async () => {
    for (const q of ["+-~^*:title:", "proc*~5^10", '"unclosed', "*ment", "title:", "a".repeat(400), "ünïcödé 🙂"]) {
      const { response, body } = await getJson(
        searchLoader,
        `/api/v1/search?q=${encodeURIComponent(q)}&theme=partnership`,
      );
      expect(response.status, q).toBe(200);
      expectMatchesSchema(body, "SearchResults");
    }
  });

  it.each([
    [`q=${"procurement ".repeat(834)}`, "q", /at most 400 characters/],
    [`q=${encodeURIComponent("a".repeat(10_000))}`, "q", /at most 400 characters/],
    ["q=kpi%00", "q", /control characters/],
    ["q=kpi%1B%5B31m", "q", /control characters/],
    ["q=%7F", "q", /control characters/],
    ["q=", "q", /give some words/],
    ["q=the%20and%20of", "q", /./],
    ["", "q", /give some words/],
    ["q=kpi&q=uk9", "q", /at most once/],
    ["q=kpi&colour=red", "colour", /unknown parameter/],
    ["q=kpi&cursor=abc", "cursor", /unknown parameter/],
    ["q=kpi&organisation=local-authority", "organisation", /unknown parameter/],
    ["q=kpi&kind=poem", "kind", /./],
    ["q=kpi&type=poem", "type", /./],
    ["q=kpi&theme=sideways", "theme", /./],
    [`q=kpi&tag=${"x".repeat(10_000)}`, "tag", /40 characters/],
    ["q=kpi&sort=oldest", "sort", /./],
    ["q=kpi&page=0", "page", /start at 1/],
    ["q=kpi&page=501", "page", /at most 500 pages/],
    ["q=kpi&page=two", "page", /whole number/],
    ["q=kpi&limit=1000", "limit", /at most 100/],
  ])("answers bad search %# with a 400 naming the parameter", async (query, parameter, message) => {
    const { response, body } = await getJson(searchLoader, `/api/v1/search?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expectMatchesSchema(body, "Error");
    expect(body.error.code).toBe("invalid_parameter");
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toMatch(message);
  });

  it("refuses to write", async () => {
    const response = await submitForm(searchAction, "/api/v1/search", { q: "kpi" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expectMatchesSchema(await response.json(), "Error");
  });
});

describe("no authentication", () => {
  it("answers a signed-in member exactly as anyone else, and sets no cookie", async () => {
    for (const [loader, url, params] of [
      [itemsLoader, "/api/v1/items", {}],
      [communitiesLoader, "/api/v1/communities", {}],
      [threadsLoader, `/api/v1/communities/${openCommunitySlug}/threads`, { slug: openCommunitySlug }],
    ] as const) {
      const anonymous = await get(loader, url, params);
      const signedIn = await get(loader, url, params, { Cookie: memberCookie, Authorization: "Bearer whatever" });
      expect(signedIn.headers.get("Set-Cookie")).toBeNull();
      expect(signedIn.headers.get("Vary")).toBeNull();
      expect(signedIn.headers.get("ETag")).toBe(anonymous.headers.get("ETag"));
      expect(await signedIn.text()).toBe(await anonymous.text());
    }
  });

  it("answers unknown API addresses with a JSON 404", async () => {
    const response = await notFoundLoader();
    expect(response.status).toBe(404);
    expectMatchesSchema(await response.json(), "Error");
  });
});
