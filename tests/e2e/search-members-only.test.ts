import { get } from "node:http";

import { beforeAll, describe, expect, it } from "vitest";

import { addMember, createCommunity, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl } from "./support/browser";

// Members' own communities in search, over HTTP against the production server: two members of
// different members-only communities and an outsider each see only what they may read, in the
// page, /search.json (totals and facet counts) and never in the public API.

type SearchJson = {
  state: string;
  total: number;
  results: Array<{ ref: string; title: Array<{ text: string }>; isMembersOnly: boolean }>;
  facets: Record<string, Array<{ value: string; count: number }>>;
};

const WORD = `kittiwake${Date.now().toString(36)}`;
const PRIVATE_WORD = `guillemot${Date.now().toString(36)}`;

/**
 * One GET on a connection of its own: the server's processes take connections in turn, and each
 * keeps its own search index, so a kept-alive connection would only ever ask one of them.
 */
function request(path: string, cookie: string | null) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const call = get(
      new URL(path, baseUrl()),
      { agent: false, headers: cookie ? { Cookie: cookie } : {} },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      },
    );
    call.on("error", reject);
  });
}

async function searchJson(q: string, cookie: string | null): Promise<SearchJson> {
  const response = await request(`/search.json?q=${encodeURIComponent(q)}`, cookie);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as SearchJson;
}

const counts = (page: SearchJson, facet: string) =>
  Object.fromEntries((page.facets[facet] ?? []).map(({ value, count }) => [value, count]));
const titles = (page: SearchJson) => page.results.map((result) => result.title.map((part) => part.text).join(""));

/** Waits until `check` passes on four connections in a row, so every server process has caught up. */
async function eventually(check: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  let passes = 0;
  while (passes < 4) {
    passes = (await check()) ? passes + 1 : 0;
    if (passes === 0 && Date.now() > deadline) throw new Error("Search did not catch up within 10 s");
    if (passes === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let alder: { cookie: string; id: string };
let birch: { cookie: string; id: string };
let outsider: string;
let alderCommunity: number;

beforeAll(async () => {
  const alderPrivate = await createCommunity({ visibility: "members", name: `Alder circle ${WORD}` });
  const birchPrivate = await createCommunity({ visibility: "members", name: `Birch circle ${WORD}` });
  const open = await createCommunity({ visibility: "open" });
  alderCommunity = alderPrivate.id;
  await createThread({ communityId: alderPrivate.id, kind: "question", title: `Alder question about ${WORD}` });
  await createThread({
    communityId: alderPrivate.id,
    kind: "discussion",
    title: "Alder discussion",
    body: `Our ${WORD} notes, and the ${PRIVATE_WORD} we keep to ourselves.`,
  });
  await createThread({ communityId: birchPrivate.id, kind: "discussion", title: `Birch discussion of ${WORD}` });
  await createThread({ communityId: open.id, kind: "question", title: `Open question about ${WORD}` });
  await createItem({ type: "tip", title: `A tip on ${WORD}` });

  const makeMember = async (communityId: number) => {
    const user = await createUser();
    await addMember({ communityId, userId: user.id });
    return { id: user.id, cookie: await sessionCookieFor(user.id) };
  };
  alder = await makeMember(alderPrivate.id);
  birch = await makeMember(birchPrivate.id);
  outsider = await sessionCookieFor((await createUser()).id);
  await eventually(async () => (await searchJson(WORD, alder.cookie)).total === 4);
});

describe("members' own communities in search", () => {
  it("shows each member their own members-only threads, with totals and facets to match", async () => {
    const forAlder = await searchJson(WORD, alder.cookie);
    expect(forAlder.total).toBe(4);
    expect(titles(forAlder).sort()).toEqual(
      ["A tip on", "Alder discussion", "Alder question about", "Open question about"]
        .map((title) => (title === "Alder discussion" ? title : `${title} ${WORD}`))
        .sort(),
    );
    expect(counts(forAlder, "kind")).toEqual({ item: 1, discussion: 3 });
    expect(counts(forAlder, "type")).toEqual({ question: 2, discussion: 1, tip: 1 });
    expect(forAlder.results.filter((result) => result.isMembersOnly)).toHaveLength(2);

    const forBirch = await searchJson(WORD, birch.cookie);
    expect(forBirch.total).toBe(3);
    expect(titles(forBirch).sort()).toEqual([
      `A tip on ${WORD}`,
      `Birch discussion of ${WORD}`,
      `Open question about ${WORD}`,
    ]);
    expect(counts(forBirch, "kind")).toEqual({ item: 1, discussion: 2 });
    expect(counts(forBirch, "type")).toEqual({ question: 1, discussion: 1, tip: 1 });
  });

  it("shows an outsider and an anonymous visitor public results only", async () => {
    for (const cookie of [outsider, null]) {
      const page = await searchJson(WORD, cookie);
      expect(page.total).toBe(2);
      expect(titles(page).sort()).toEqual([`A tip on ${WORD}`, `Open question about ${WORD}`]);
      expect(counts(page, "kind")).toEqual({ item: 1, discussion: 1 });
      expect(counts(page, "type")).toEqual({ question: 1, tip: 1 });
    }
    // A word only a members-only community uses is unknown to everyone else, not "corrected".
    expect((await searchJson(PRIVATE_WORD, alder.cookie)).total).toBe(1);
    expect((await searchJson(PRIVATE_WORD, birch.cookie)).total).toBe(0);
    expect((await searchJson(PRIVATE_WORD, null)).total).toBe(0);
  });

  it("renders the page for the member who may see it, and keeps it from the others", async () => {
    const pageFor = async (cookie: string | null) => (await request(`/search?q=${WORD}`, cookie)).body;
    const forAlder = await pageFor(alder.cookie);
    expect(forAlder).toContain("4 results");
    expect(forAlder).toContain("Alder question about");
    expect(forAlder).toContain("Members only");
    for (const html of [await pageFor(birch.cookie), await pageFor(outsider), await pageFor(null)]) {
      expect(html).not.toContain("Alder question about");
      expect(html).not.toContain("Alder discussion");
    }
  });

  it("keeps the public API public for everyone", async () => {
    const response = await request(`/api/v1/search?q=${WORD}`, alder.cookie);
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { total: number };
    expect(body.total).toBe(2);
  });

  it("follows membership: joining shows a community's threads at once, leaving hides them", async () => {
    await addMember({ communityId: alderCommunity, userId: birch.id });
    expect((await searchJson(WORD, birch.cookie)).total).toBe(5);
    const { db } = await import("~/db/client.server");
    await db
      .deleteFrom("community_members")
      .where("community_id", "=", alderCommunity)
      .where("user_id", "=", birch.id)
      .execute();
    expect((await searchJson(WORD, birch.cookie)).total).toBe(3);
  });
});
