import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { searchFromUrl } from "~/search/search.server";

import { addMember, createCommunity, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser } from "../factories/users";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

const QUERY = new URLSearchParams("q=marmosetic");
let member: { id: string; role: "member" };
let authorId: string;

beforeAll(async () => {
  await createItem({ title: "Marmosetic grants for small charities" });
  const community = await createCommunity({ visibility: "members" });
  const author = await createUser({ displayName: "Ada Author" });
  authorId = author.id;
  await createThread({
    communityId: community.id,
    author: { id: author.id, role: "member" },
    title: "Our marmosetic grant round",
  });
  const user = await createUser();
  await addMember({ communityId: community.id, userId: user.id });
  member = { id: user.id, role: "member" };
  await readySearch();
  await eventually(async () => {
    const page = await searchFromUrl(QUERY, { viewer: member });
    return page.state === "results" && page.total === 2;
  });
});

describe("the results cache", () => {
  it("answers a repeated search from the cache, separately for each set of communities a viewer may see", async () => {
    const anonymous = await searchFromUrl(QUERY);
    expect(await searchFromUrl(QUERY)).toBe(anonymous);
    const forMember = await searchFromUrl(QUERY, { viewer: member });
    expect(await searchFromUrl(QUERY, { viewer: member })).toBe(forMember);
    expect(forMember).not.toBe(anonymous);
    expect(anonymous.state === "results" && anonymous.total).toBe(1);
    expect(forMember.state === "results" && forMember.total).toBe(2);
    // Another member of no members-only community sees what anyone sees, from the same entry.
    const outsider = await createUser();
    expect(await searchFromUrl(QUERY, { viewer: { id: outsider.id, role: "member" } })).toBe(anonymous);
  });

  it("forgets a page when the content it shows changes, even where the index does not", async () => {
    const before = await searchFromUrl(QUERY, { viewer: member });
    // An author's name is on the result but not in the index: the content epoch moves.
    await db.updateTable("users").set({ display_name: "Ada Renamed" }).where("id", "=", authorId).execute();
    const after = await searchFromUrl(QUERY, { viewer: member });
    expect(after).not.toBe(before);
    expect(after.state === "results" && after.results.flatMap((result) => result.authors)).toContain("Ada Renamed");
  });

  it("forgets a page when the index changes", async () => {
    const before = await searchFromUrl(QUERY);
    await createItem({ title: "More marmosetic grants" });
    await eventually(async () => {
      const page = await searchFromUrl(QUERY);
      return page.state === "results" && page.total === 2;
    });
    expect(await searchFromUrl(QUERY)).not.toBe(before);
  });
});
