import { beforeAll, describe, expect, it } from "vitest";

import { searchFromUrl } from "~/search/search.server";

import { importSeedLibrary, readySearch, stopSearchAfterAll } from "./support";

// The seed library's own words, each of which search used to lose: it kept only 48 terms of a
// body, guessed typos for words it had thrown away, and did not know the domain's acronyms.

stopSearchAfterAll();

beforeAll(async () => {
  await importSeedLibrary();
  await readySearch();
});

async function search(q: string) {
  const page = await searchFromUrl(new URLSearchParams({ q }));
  if (page.state !== "results") throw new Error(`Expected results for ${q}, got ${page.state}`);
  return page;
}

const slugsOf = (page: Awaited<ReturnType<typeof search>>) =>
  page.results.map((result) => result.href.replace("/library/", ""));
const marked = (segments: Array<{ text: string; isMatch: boolean }>) =>
  segments.filter((segment) => segment.isMatch).map((segment) => segment.text.toLowerCase());

const PENFRO = "penfro-newydd-school-food-lots";

describe("a word that appears once in a body is found", () => {
  it.each([
    ["poultry", PENFRO],
    ["departmental", "dri-ev-charging-open-framework"],
    ["denominator", "contracts-finder-awards-buyers-suppliers-sme"],
  ])("%s finds %s, with the word marked in its snippet", async (word, slug) => {
    const page = await search(word);
    expect(slugsOf(page)).toEqual([slug]);
    expect(marked(page.results[0]!.snippet)).toContain(word);
  });

  it("takes a word the library uses as it is, never as a typo of another", async () => {
    // "healthy" used to become "health" (12 items) and "recovered" "remov".
    const healthy = await search("healthy");
    expect(slugsOf(healthy)).toEqual([PENFRO]);
    expect(marked(healthy.results[0]!.snippet)).toEqual(["healthy"]);
    const recovered = await search("recovered");
    expect(slugsOf(recovered)).toContain("kestrel-valley-retrofit-contract-recovery");
    expect(recovered.results.flatMap((result) => marked(result.snippet))).not.toContain("removed");
  });
});

describe("the domain's acronyms and names", () => {
  it("finds the competitive flexible procedure for CFP, and says so", async () => {
    const page = await search("CFP");
    expect(page.alsoSearchedFor).toEqual(["competitive flexible procedure"]);
    expect(slugsOf(page)[0]).toBe(PENFRO);
    expect(marked(page.results[0]!.snippet)).toContain("competitive flexible procedure");
  });

  it("finds preliminary market engagement for PME", async () => {
    const page = await search("PME");
    expect(page.alsoSearchedFor).toEqual(["preliminary market engagement"]);
    expect(slugsOf(page)[0]).toBe("preliminary-market-engagement-uk2-checklist");
  });

  it("finds the case study about leaving a dynamic purchasing system for DPS", async () => {
    const page = await search("DPS");
    expect(page.alsoSearchedFor).toEqual(["dynamic purchasing system"]);
    expect(slugsOf(page)).toContain("mercian-valleys-community-transport-dynamic-market");
  });

  it("searches for the acronym when the name is typed", async () => {
    const page = await search("preliminary market engagement");
    expect(page.alsoSearchedFor).toEqual(["PME"]);
  });
});

describe("ranking", () => {
  it("puts the case study that ran a competitive flexible procedure above tips that only apply to one", async () => {
    const page = await search("competitive flexible procedure");
    const slugs = slugsOf(page);
    expect(slugs[0]).toBe(PENFRO);
    // The tips match only in their "applies to" details, and the snippet shows that passage.
    const tips = page.results.filter(
      (result) => result.typeLabel === "Tip" && /Procedures:/.test(result.snippet[0]!.text),
    );
    expect(tips.length).toBeGreaterThanOrEqual(3);
    for (const tip of tips) {
      expect(tip.snippet.map((segment) => segment.text).join("")).toMatch(
        /^Procedures: .*Competitive flexible procedure/,
      );
      expect(marked(tip.snippet)).toContain("competitive flexible procedure");
    }
  });
});

describe("phrases and hyphens", () => {
  it('matches the phrase "net zero" only where the words stand together', async () => {
    const phrase = await search('"net zero"');
    // The spend data story says "October 2017 is missing, not zero": no match for the phrase.
    expect(slugsOf(phrase)).not.toContain("cabinet-office-spend-over-25k-2010-2022");
    expect(phrase.total).toBeGreaterThanOrEqual(3);
    for (const result of phrase.results) {
      expect(marked([...result.title, ...result.snippet]).some((text) => /net.zero/.test(text))).toBe(true);
    }
  });

  it("treats net-zero and net zero alike", async () => {
    const hyphenated = await search("net-zero");
    const spaced = await search("net zero");
    expect(slugsOf(hyphenated)).toEqual(slugsOf(spaced));
    const quoted = await search('"net-zero"');
    expect(slugsOf(quoted)).toEqual(slugsOf(await search('"net zero"')));
  });
});
