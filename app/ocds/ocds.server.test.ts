import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { DataProblem } from "~/datasets/data-table";

import {
  awardValueByBuyer,
  awardValueByCpvDivision,
  awardValueByYear,
  listAwards,
  readOcdsJson,
  releasesByStage,
  smeAndVcseShare,
  stripContactPoints,
  supplierSummary,
  toOcdsPackage,
  topSuppliers,
  valueByStage,
} from "./ocds.server";

function load(file: string) {
  return toOcdsPackage(readOcdsJson(readFileSync(`content/data/${file}`, "utf8"), file), file);
}

const awards = load("contracts-finder-awards-2018-2020.ocds.json");
const barnet = load("ocds-fictional-barnet-cycle-lanes.json");
const pence = (pounds: number) => Math.round(pounds * 100);

// Figures hand-checked by the seed data stories' author (with jq and awk) against these bytes.
describe("Contracts Finder awards 2018–2020", () => {
  it("finds 100 awards worth £4,747,109,143.07, 94 of them above £0, though every release is tagged tender", () => {
    const list = listAwards(awards);
    expect(list).toHaveLength(100);
    expect(list.reduce((total, award) => total + award.pence, 0)).toBe(pence(4_747_109_143.07));
    expect(list.filter((award) => award.hasValue)).toHaveLength(94);
    expect(new Set(awards.releases.flatMap((release) => release.tag))).toEqual(new Set(["tender"]));
  });

  it("groups award value by buyer: 75 buyers, East Riding of Yorkshire first at £1,512,000,000.00", () => {
    const table = awardValueByBuyer(awards);
    expect(table.rows).toHaveLength(75);
    expect(table.rows[0]).toEqual(["East Riding of Yorkshire", 2, 1_512_000_000]);
    expect(table.rows[1]).toEqual(["Cambridgeshire County Council", 3, 954_762_755]);
    // Entities in names are decoded (Telford &amp; Wrekin).
    expect(table.rows[3]).toEqual(["Telford & Wrekin Council", 2, 339_500_000]);
  });

  it("groups award value by the division of each award's first CPV code", () => {
    const rows = new Map(awardValueByCpvDivision(awards).rows.map((row) => [row[1], row]));
    expect(rows.get("45")).toEqual(["45 Construction work", "45", "Construction work", 13, 2_153_839_000]);
    expect(rows.get("85")).toEqual([
      "85 Health and social work services",
      "85",
      "Health and social work services",
      14,
      1_056_097_119,
    ]);
    expect(rows.size).toBe(28);
    expect([...rows.values()].reduce((total, row) => total + (row[3] as number), 0)).toBe(100);
  });

  it("groups award value by award year", () => {
    expect(awardValueByYear(awards).rows).toEqual([
      ["2018", 2, 2, 20_225_000],
      ["2019", 14, 12, 968_162_741.4],
      ["2020", 84, 80, 3_758_721_401.67],
    ]);
  });

  it("counts 789 supplier entries, 309 flagged SME and 52 VCO, from the flags on parties", () => {
    const summary = supplierSummary(awards);
    expect(summary.entries).toBe(789);
    expect(summary.distinctSuppliers).toBe(771);
    expect(summary.sme).toEqual({ flagged: 789, yes: 309 });
    expect(summary.vco).toEqual({ flagged: 789, yes: 52 });
    expect(smeAndVcseShare(awards).rows).toEqual([
      ["SME", 309, 480, 39.2],
      ["VCSE (vco)", 52, 737, 6.6],
    ]);
  });

  it("ranks suppliers: no supplier appears more than twice, so the top 18 hold 36 of 789 entries", () => {
    const rows = topSuppliers(awards).rows;
    expect(rows.filter((row) => row[1] === 2)).toHaveLength(18);
    expect(rows[0]![1]).toBe(2);
    expect(rows[0]![2]).toBe(0.3);
  });

  it("counts releases at the award stage by what they contain, not their tender tag", () => {
    expect(releasesByStage(awards).rows).toEqual([
      ["2017", 0, 0, 1, 0, 0],
      ["2018", 0, 0, 5, 0, 0],
      ["2019", 0, 0, 54, 0, 0],
      ["2020", 0, 0, 40, 0, 0],
    ]);
  });
});

describe("the fictional Barnet cycle-lane process", () => {
  it("reads six releases of one process, each at its own stage", () => {
    expect(releasesByStage(barnet).rows).toEqual([
      ["2009", 1, 0, 0, 0, 0],
      ["2010", 0, 2, 1, 1, 0],
      ["2011", 0, 0, 0, 0, 1],
    ]);
  });

  it("counts its one award once, though three releases repeat it", () => {
    expect(listAwards(barnet)).toHaveLength(1);
    expect(awardValueByYear(barnet).rows).toEqual([["2010", 1, 1, 11_000_000]]);
    expect(awardValueByCpvDivision(barnet).rows).toEqual([
      ["45 Construction work", "45", "Construction work", 1, 11_000_000],
    ]);
  });

  it("follows the money from budget to payments", () => {
    expect(valueByStage(barnet).rows).toEqual([
      ["Planning: budget", 6_700_000],
      ["Tender: estimated value", 1_100_000],
      ["Award: award value", 11_000_000],
      ["Contract: contract value", 11_000_000],
      ["Implementation: paid", 60_000],
    ]);
  });

  it("strips every contact point (names, emails, phones) wherever it appears", () => {
    const json = readOcdsJson(readFileSync("content/data/ocds-fictional-barnet-cycle-lanes.json", "utf8"), "barnet");
    const before = JSON.stringify(json);
    expect(before).toMatch(/example\.com/);
    expect(stripContactPoints(json)).toBe(12);
    const after = JSON.stringify(json);
    expect(after).not.toMatch(/contactPoint|telephone|"email"/);
    expect(toOcdsPackage(json, "barnet").releases).toHaveLength(6);
  });
});

describe("record packages and JSON that is not OCDS", () => {
  it("reads a record package through its compiled releases", () => {
    const release = JSON.parse(readFileSync("content/data/ocds-fictional-barnet-cycle-lanes.json", "utf8")).releases;
    const record = { records: [{ ocid: release[0].ocid, releases: release, compiledRelease: release[5] }] };
    const ocds = toOcdsPackage(record, "record.json");
    expect(ocds.kind).toBe("record package");
    expect(awardValueByBuyer(ocds).rows).toEqual([["London Borough of Barnet", 1, 11_000_000]]);
    expect(releasesByStage(ocds).rows).toHaveLength(3);
  });

  it.each([
    ["[1, 2, 3]", /not an OCDS package: expected an object/],
    ['{"data": []}', /has no "releases" or "records" list/],
    ['{"releases": []}', /release package with no releases/],
    ['{"releases": [{"id": "1"}]}', /releases\[0\]\.ocid has no ocid/],
    ['{"releases": [{"ocid": "x", "awards": "lots"}]}', /releases\[0\]\.awards/],
  ])("explains what is wrong with %s", (text, message) => {
    expect(() => toOcdsPackage(readOcdsJson(text, "upload.json"), "upload.json")).toThrow(message);
  });

  it("will not add up award values in other currencies", () => {
    const ocds = toOcdsPackage(
      {
        releases: [
          { ocid: "a", awards: [{ id: "1", value: { amount: 10, currency: "GBP" } }] },
          { ocid: "b", awards: [{ id: "1", value: { amount: 20, currency: "EUR" } }] },
        ],
      },
      "mixed.json",
    );
    expect(() => awardValueByBuyer(ocds)).toThrow(
      "award values are in EUR as well as GBP; award tables here add up pounds (GBP) only.",
    );
    expect(releasesByStage(ocds).rows).toEqual([["No date", 0, 0, 2, 0, 0]]);
  });

  it("says where JSON stops being JSON", () => {
    expect(() => readOcdsJson('{\n  "releases": [\n    {"ocid": }\n  ]\n}', "broken.json")).toThrow(DataProblem);
    expect(() => readOcdsJson('{\n  "releases": [\n    {"ocid": }\n  ]\n}', "broken.json")).toThrow(
      /broken\.json is not valid JSON at line 3, column 14: value expected/,
    );
  });
});

describe("JSON that OCDS checks cannot trust", () => {
  it("refuses an object that names a key twice, however the second is spelled, saying where", () => {
    const twice = '{\n"releases": [\n{"ocid": "a", "parties": [], "p\\u0061rties": []}\n]\n}';
    expect(() => readOcdsJson(twice, "twice.json")).toThrow(
      new DataProblem(
        'twice.json, line 3: releases[0] has "parties" twice, and only one of them would be read. Keep one.',
      ),
    );
    expect(readOcdsJson('{"a": {"b": 1}, "b": {"a": 2}}', "fine.json")).toEqual({ a: { b: 1 }, b: { a: 2 } });
  });

  it("refuses nesting deeper than OCDS goes before parsing it, whatever the brackets hide in strings", () => {
    expect(() => readOcdsJson(`${"[".repeat(10_000)}${"]".repeat(10_000)}`, "deep.json")).toThrow(DataProblem);
    const bracketsInStrings = `{"releases": [{"ocid": "a", "note": "${"[{".repeat(1000)}"}]}`;
    expect(readOcdsJson(bracketsInStrings, "fine.json")).toMatchObject({ releases: [{ ocid: "a" }] });
  });
});
