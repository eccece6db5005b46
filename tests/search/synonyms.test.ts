import { beforeAll, describe, expect, it } from "vitest";

import { parseQuery } from "~/search/query-parser";
import { searchFromUrl } from "~/search/search.server";

import { createItem } from "../factories/items";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

// The domain's other names (issue 15, item 5): a query for either form searches for both and
// says so. Each pair is the list; the typed form's plural or case must not matter.

stopSearchAfterAll();

const PAIRS: Array<[string, string]> = [
  ["CFP", "competitive flexible procedure"],
  ["PME", "preliminary market engagement"],
  ["DPS", "dynamic purchasing system"],
  ["DM", "dynamic market"],
  ["PSR", "Provider Selection Regime"],
  ["TUPE", "transfer of undertakings"],
  ["SME", "small and medium enterprise"],
  ["VCSE", "voluntary, community and social enterprise"],
  ["KPI", "key performance indicator"],
  ["PPN", "procurement policy note"],
  ["PA23", "Procurement Act"],
  ["UK2", "preliminary market engagement notice"],
  ["UK6", "contract award notice"],
  ["UK17", "contract payments notice"],
  ["CPN", "competitive procedure with negotiation"],
];

describe("each name searches for its other forms", () => {
  it.each(PAIRS)("%s and %s", (short, long) => {
    expect(parseQuery(short).alsoSearchedFor).toContain(long);
    expect(parseQuery(short.toLowerCase()).alsoSearchedFor).toContain(long);
    expect(parseQuery(long).alsoSearchedFor).toContain(short);
    expect(parseQuery(`"${long}"`).alsoSearchedFor).toContain(short);
  });

  it("takes plurals and hyphens as the same name", () => {
    expect(parseQuery("KPIs").alsoSearchedFor).toEqual(["key performance indicator"]);
    expect(parseQuery("key performance indicators").alsoSearchedFor).toEqual(["KPI"]);
    expect(parseQuery("SMEs").alsoSearchedFor).toContain("small and medium-sized enterprise");
    expect(parseQuery("small and medium-sized enterprises").alsoSearchedFor).toContain("SME");
  });

  it("does not offer other names for an excluded word, a prefix or a name's single word", () => {
    expect(parseQuery("-DPS").alsoSearchedFor).toEqual([]);
    expect(parseQuery("DP*").alsoSearchedFor).toEqual([]);
    expect(parseQuery("dynamic").alsoSearchedFor).toEqual([]);
    expect(parseQuery("net zero").alsoSearchedFor).toEqual([]);
  });
});

describe("a search for one form finds documents that use only the other", () => {
  beforeAll(async () => {
    await createItem({
      slug: "tupe-only",
      title: "Staff moving with the service",
      body: "TUPE applied to eleven drivers when the routes moved to the new operator.",
    });
    await createItem({
      slug: "undertakings-only",
      title: "Drivers moving with the routes",
      body: "The transfer of undertakings regulations covered the depot staff as well.",
    });
    await createItem({
      slug: "award-notice-only",
      title: "Publishing the award",
      body: "We published the contract award notice on a Monday, which was day one of standstill.",
    });
    await createItem({
      slug: "uk6-only",
      title: "Counting the standstill",
      body: "Our UK6 went out late in the afternoon, and the eight working days still began that day.",
    });
    await readySearch();
    await eventually(async () => {
      const page = await searchFromUrl(new URLSearchParams({ q: "standstill" }));
      return page.state === "results" && page.total === 2;
    });
  });

  const slugsFor = async (q: string) => {
    const page = await searchFromUrl(new URLSearchParams({ q }));
    if (page.state !== "results") throw new Error(`Expected results for ${q}, got ${page.state}`);
    return page.results.map((result) => result.href.replace("/library/", "")).sort();
  };

  it.each([
    ["TUPE", ["tupe-only", "undertakings-only"]],
    ["transfer of undertakings", ["tupe-only", "undertakings-only"]],
    ["+TUPE", ["tupe-only", "undertakings-only"]],
    ["UK6", ["award-notice-only", "uk6-only"]],
    ['"contract award notice"', ["award-notice-only", "uk6-only"]],
  ])("%s finds %j", async (q, slugs) => {
    expect(await slugsFor(q)).toEqual(slugs);
  });

  it("excludes both forms when one is excluded", async () => {
    expect(await slugsFor("drivers -TUPE")).toEqual([]);
    expect(await slugsFor("standstill -UK6")).toEqual([]);
  });
});
