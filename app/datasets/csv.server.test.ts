import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { prepareChartData } from "~/charts/chart-data";
import { ChartSpecSchema } from "~/charts/chart-spec";

import { readCsv } from "./csv.server";
import { DataProblem } from "./data-table";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("the Cabinet Office monthly spend file", () => {
  const { table, notes } = readCsv(readFileSync("content/data/cabinet-office-spend-over-25k-monthly.csv"), "spend.csv");

  it("reads 148 months and repairs the mis-encoded pound sign in the header, saying so", () => {
    expect(table.rows).toHaveLength(148);
    expect(table.columns).toEqual(["Month (YYYY-MM)", "Total (£)", "Relevant URLs (space separated)"]);
    expect(notes).toEqual(['spend.csv, line 1: repaired mis-encoded text ("Â£" read as "£").']);
    expect(table.rows.find((row) => row[0] === "2017-10")).toEqual(["2017-10", "0.00", null]);
  });

  it("totals financial years exactly, leaving out October 2017 as missing", () => {
    const spec = ChartSpecSchema.parse({
      kind: "column",
      title: "By year",
      dataset: "spend.csv",
      label: "Month",
      values: "Total",
      group: "financial-year",
      units: "gbp",
      "zero-means-missing": true,
    });
    const data = prepareChartData(spec, table, "spend.csv");
    const totals = Object.fromEntries(data.categories.map((year, i) => [year, data.series[0]!.values[i]]));
    expect(data.categories).toHaveLength(13);
    expect(totals["2020-21"]).toBe(1_407_086_083.78);
    expect(totals["2017-18"]).toBe(534_158_610.8);
    expect(totals["2010-11"]).toBe(383_628_496.78);
    const monthly = prepareChartData({ ...spec, kind: "line", group: undefined }, table, "spend.csv");
    expect(monthly.series[0]!.values[monthly.categories.indexOf("2017-10")]).toBeNull();
  });
});

describe("malformed CSV", () => {
  it("names the line of a ragged row", () => {
    expect(() => readCsv(utf8("Month,Total\n2020-01,5\n2020-02,6,7\n"), "ragged.csv")).toThrow(
      "ragged.csv, line 3: this row has 3 cells, but the header has 2 columns.",
    );
  });

  it("names the line of an unclosed quote", () => {
    expect(() => readCsv(utf8('Name,Total\n"Open,5\nNext,6\n'), "quotes.csv")).toThrow(
      /quotes\.csv, line \d: the CSV could not be read: a quoted cell is never closed/,
    );
  });

  it("reads Windows-1252 (not UTF-8) text, and says it did", () => {
    const bytes = Buffer.concat([Buffer.from("Item,Cost "), Buffer.from([0xa3]), Buffer.from("\nPens,5\n")]);
    const { table, notes } = readCsv(bytes, "latin1.csv");
    expect(table.columns).toEqual(["Item", "Cost £"]);
    expect(notes[0]).toMatch(/latin1\.csv is not UTF-8 text, so it was read as Windows-1252/);
  });

  it("accepts thousands separators, pound signs, brackets and blank cells, and says which cell is not a number", () => {
    const { table } = readCsv(utf8('Buyer,Value\nA,"£1,234,567.50"\nB,\nC,(250)\nD,12%\nE,n/a\n'), "values.csv");
    const spec = ChartSpecSchema.parse({ kind: "line", title: "t", csv: "x", label: "Buyer", values: ["Value"] });
    expect(prepareChartData(spec, table, "values.csv").series[0]!.values).toEqual([1_234_567.5, null, -250, 12, null]);
    const { table: bad } = readCsv(utf8("Buyer,Value\nA,5\nB,lots\n"), "bad.csv");
    expect(() => prepareChartData(spec, bad, '"bad.csv"')).toThrow(
      '"bad.csv", line 3, column "Value": "lots" is not a number.',
    );
  });

  it.each([
    ["", /empty\.csv is empty/],
    ["Month,Total\n", /has a header row but no data rows/],
    ["Month,,Total\n1,2,3\n", /column 2 has no name/],
    ["Total,Total\n1,2\n", /two columns are called "Total"/],
  ])("rejects %j with a message", (text, message) => {
    expect(() => readCsv(utf8(text), "empty.csv")).toThrow(message);
  });

  it("refuses 5 MB of binary junk quickly, saying it is not a CSV file", () => {
    const junk = new Uint8Array(5 * 1024 * 1024);
    for (let i = 0; i < junk.length; i += 1) junk[i] = (i * 7919) % 256;
    const started = performance.now();
    expect(() => readCsv(junk, "junk.csv")).toThrow(DataProblem);
    expect(() => readCsv(junk, "junk.csv")).toThrow(/junk\.csv does not look like a CSV file: it contains binary data/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
