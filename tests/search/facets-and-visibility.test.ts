import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { searchFromUrl, type SearchPage } from "~/search/search.server";

import { createCommunity, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser } from "../factories/users";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

async function search(query: string) {
  const page = await searchFromUrl(new URLSearchParams(query));
  if (page.state !== "results") throw new Error(`Expected results for ${query}, got ${page.state}`);
  return page;
}

const counts = (page: Extract<SearchPage, { state: "results" }>, facet: keyof typeof page.facets) =>
  Object.fromEntries(page.facets[facet].map(({ value, count }) => [value, count]));

describe("facets", () => {
  beforeAll(async () => {
    await createItem({ type: "tip", themes: ["upstream"], tags: ["kpis"], body: "Quokkaware pipeline notes." });
    await createItem({ type: "tip", themes: ["downstream"], tags: ["kpis", "uk9"], body: "Quokkaware scoring." });
    await createItem({
      type: "case-study",
      themes: ["upstream", "partnership"],
      tags: ["uk9"],
      procedure: "dynamic-market",
      value_band: "2m-5m",
      organisation_type: "nhs-trust",
      body: "Quokkaware in a dynamic market.",
    });
    await readySearch();
  });

  it("counts every facet value among the matches", async () => {
    const page = await search("q=quokkaware");
    expect(page.total).toBe(3);
    expect(counts(page, "type")).toEqual({ tip: 2, "case-study": 1 });
    expect(counts(page, "theme")).toEqual({ upstream: 2, downstream: 1, partnership: 1 });
    expect(counts(page, "tag")).toEqual({ kpis: 2, uk9: 2 });
    expect(counts(page, "kind")).toEqual({ item: 3 });
    expect(counts(page, "procedure")).toEqual({ "dynamic-market": 1 });
    expect(counts(page, "valueBand")).toEqual({ "2m-5m": 1 });
    expect(counts(page, "organisationType")).toEqual({ "nhs-trust": 1 });
  });

  it("combines filters with the query and each other, counting each facet under the other filters", async () => {
    const tips = await search("q=quokkaware&type=tip");
    expect(tips.total).toBe(2);
    // The type facet still offers case studies (under the query alone), so it can be switched.
    expect(counts(tips, "type")).toEqual({ tip: 2, "case-study": 1 });
    expect(counts(tips, "theme")).toEqual({ upstream: 1, downstream: 1 });

    const both = await search("q=quokkaware&type=tip&tag=uk9");
    expect(both.total).toBe(1);
    expect(counts(both, "tag")).toEqual({ kpis: 2, uk9: 1 });
    expect(counts(both, "type")).toEqual({ tip: 1, "case-study": 1 });
  });

  it("lists everything matching the filters when there are no words, newest first", async () => {
    const page = await search("procedure=dynamic-market");
    expect(page.total).toBeGreaterThanOrEqual(1);
    const none = await search("q=quokkaware&organisation=police-fire");
    expect(none.total).toBe(0);
  });

  it("sorts by newest when asked", async () => {
    const page = await search("q=quokkaware&sort=newest");
    const dates = page.results.map((result) => result.date ?? "");
    expect(dates).toEqual([...dates].sort().reverse());
  });
});

describe("discussions", () => {
  let openThread: number;
  let membersThread: number;
  let openCommunity: number;

  beforeAll(async () => {
    const user = await createUser({ displayName: "Priya Practitioner" });
    const author = { id: user.id, role: "member" as const };
    openCommunity = (await createCommunity({ visibility: "open", slug: "open-community" })).id;
    const membersCommunity = await createCommunity({ visibility: "members", slug: "members-community" });
    openThread = (
      await createThread({
        communityId: openCommunity,
        author,
        title: "Has anyone published a wombatine UK9?",
        body: "Yes, wombatine ratings went out in May.",
      })
    ).threadId;
    membersThread = (
      await createThread({
        communityId: membersCommunity.id,
        author,
        title: "Private wombatine question",
        body: "Members-only wombatine detail.",
      })
    ).threadId;
    await readySearch();
  });

  it("finds threads in open communities by title and reply, and never members-only ones", async () => {
    await eventually(async () => (await search("q=wombatine")).total === 1);
    const page = await search("q=wombatine");
    expect(page.results.map((result) => result.ref)).toEqual([`thread:${openThread}`]);
    expect(page.results[0]!.href).toMatch(/^\/communities\/open-community\/threads\/\d+-/);
    expect(counts(page, "kind")).toEqual({ discussion: 1 });
    const json = JSON.stringify(await search("q=private"));
    expect(json).not.toContain(`thread:${membersThread}`);
  });

  it("drops a thread when its community becomes members-only, or when it is hidden", async () => {
    await db.updateTable("communities").set({ visibility: "members" }).where("id", "=", openCommunity).execute();
    await eventually(async () => (await search("q=wombatine")).total === 0);
    await db.updateTable("communities").set({ visibility: "open" }).where("id", "=", openCommunity).execute();
    await eventually(async () => (await search("q=wombatine")).total === 1);
    await db.updateTable("threads").set({ is_hidden: 1 }).where("id", "=", openThread).execute();
    await eventually(async () => (await search("q=wombatine")).total === 0);
  });
});
