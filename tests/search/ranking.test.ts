import { beforeAll, describe, expect, it } from "vitest";

import { searchFromUrl } from "~/search/search.server";

import { createItem } from "../factories/items";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

async function search(q: string) {
  const page = await searchFromUrl(new URLSearchParams({ q }));
  if (page.state !== "results") throw new Error(`Expected results for ${q}, got ${page.state}`);
  return page;
}

const slugsOf = (page: Awaited<ReturnType<typeof search>>) =>
  page.results.map((result) => result.href.replace("/library/", ""));

describe("ranking over full postings", () => {
  beforeAll(async () => {
    // A library where one word is in a quarter of the titles: it must not drown a rare word's document.
    for (let number = 0; number < 240; number += 1) {
      const isAboutContracts = number % 4 === 0;
      await createItem({
        title: isAboutContracts ? `Contract management lesson ${number}` : `Workshop note ${number}`,
        summary: isAboutContracts ? "What we learned about managing the contract." : "What we learned in the workshop.",
        body: isAboutContracts
          ? `The contract had its problems. We met the contract manager every month about contract ${number}.`
          : `Notes from workshop ${number} on planning.`,
      });
    }
    await createItem({
      slug: "rare-in-the-body",
      title: "Replacing the fleet workshop",
      body: "Most of the contract was ordinary. One supplier proposed xylocarpous hoses, which we had never heard of.",
    });
    await createItem({ slug: "rare-in-the-title", title: "Xylocarpous hoses in the fleet workshop" });
    await readySearch();
    await eventually(async () => (await search("xylocarpous")).total === 2);
  });

  it("ranks a document whose body has a rare word and a common one in the top 20 for both", async () => {
    const page = await search("xylocarpous contract");
    expect(page.total).toBe(62);
    expect(page.results[0]!.href).toBe("/library/rare-in-the-title");
    expect(slugsOf(page).slice(0, 20)).toContain("rare-in-the-body");
  });

  it("keeps title matches on top", async () => {
    expect(slugsOf(await search("xylocarpous contract")).slice(0, 2)).toEqual([
      "rare-in-the-title",
      "rare-in-the-body",
    ]);
    expect(slugsOf(await search("xylocarpous"))).toEqual(["rare-in-the-title", "rare-in-the-body"]);
  });

  it("counts and finds every document using a common word, however many there are", async () => {
    expect((await search("contract")).total).toBe(61);
    expect((await search("+contract +manager")).total).toBe(60);
    expect((await search('"contract manager"')).total).toBe(60);
    expect((await search('"manager contract"')).total).toBe(0);
  });
});
