import { beforeAll, describe, expect, it } from "vitest";

import { searchFromUrl } from "~/search/search.server";

import { importSeedLibrary, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

beforeAll(async () => {
  await importSeedLibrary();
  await readySearch();
});

/** Searches, and fails unless something was found: every query here should find items in the seed library. */
async function search(query: string) {
  const page = await searchFromUrl(new URLSearchParams(query));
  if (page.state !== "results") throw new Error(`Expected results for ${query}, got ${page.state}`);
  if (page.results.length === 0) throw new Error(`Expected results for ${query}, found none`);
  return page;
}

const titleOf = (result: { title: Array<{ text: string }> }) => result.title.map((part) => part.text).join("");

describe("relevance on the seed library", () => {
  it("puts the item whose title matches first", async () => {
    const page = await search("q=fleet maintenance");
    expect(titleOf(page.results[0]!)).toMatch(/fleet maintenance/i);
  });

  it("finds stems both ways: procure and procurement", async () => {
    const procure = await search("q=procure");
    const procurement = await search("q=procurement");
    expect(procure.total).toBeGreaterThan(5);
    expect(procure.total).toBe(procurement.total);
  });

  it("completes a prefix, with or without a star", async () => {
    const partial = await search("q=standst");
    expect(partial.results.some((result) => /standstill/i.test(titleOf(result)))).toBe(true);
    const star = await search("q=transpar*");
    expect(star.total).toBeGreaterThan(0);
  });

  it("forgives one typo in a longer word", async () => {
    const typo = await search("q=procurment");
    expect(typo.total).toBeGreaterThan(5);
    const swapped = await search("q=standstlil");
    expect(swapped.results.some((result) => /standstill/i.test(titleOf(result)))).toBe(true);
  });

  it("highlights matched words in titles and snippets", async () => {
    const page = await search("q=social value");
    const marked = page.results
      .flatMap((result) => [...result.title, ...result.snippet])
      .filter((part) => part.isMatch);
    expect(marked.map((part) => part.text.toLowerCase())).toContain("social");
  });

  it("honours title:, +required and -excluded", async () => {
    const inTitle = await search("q=title:standstill");
    expect(inTitle.results.every((result) => /standstill/i.test(titleOf(result)))).toBe(true);
    const everything = await search("q=contract");
    const without = await search("q=contract -fleet");
    expect(without.total).toBeLessThan(everything.total);
    expect(without.results.some((result) => /fleet/i.test(titleOf(result)))).toBe(false);
    const both = await search("q=%2Bcontract %2Bfleet");
    expect(both.total).toBeGreaterThan(0);
    expect(both.total).toBeLessThan(everything.total);
  });
});
