import { readFileSync } from "node:fs";

import { type Document, type Element, isTag } from "domhandler";
import { findAll, findOne, getAttributeValue, textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";

import { renderItemBodySync as renderItemBody } from "~/rendering/item-body.server";

import { formatCompact, formatExact } from "./format";
import { type ChartDataset, MAX_CHARTS } from "./render-chart.server";
import { SERIES_COLOURS } from "./svg.server";

const ocdsDataset: ChartDataset = {
  fileName: "awards.json",
  title: "Contracts Finder awards",
  publisher: "Crown Commercial Service",
  attribution: "Contains public sector information licensed under the Open Government Licence v2.0",
  format: "ocds",
  content: readFileSync("content/data/contracts-finder-awards-2018-2020.ocds.json"),
};
const spendDataset: ChartDataset = {
  fileName: "spend.csv",
  title: "Cabinet Office spend",
  publisher: "Cabinet Office",
  attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
  format: "csv",
  content: readFileSync("content/data/cabinet-office-spend-over-25k-monthly.csv"),
};

function render(body: string, datasets: ChartDataset[] = [ocdsDataset, spendDataset]) {
  const rendered = renderItemBody(body, { slug: "a-story", datasets });
  return { ...rendered, dom: parseDocument(rendered.html) };
}

const all = (dom: Document, test: (element: Element) => boolean) => findAll(test, dom.children);
const one = (dom: Document | Element, test: (element: Element) => boolean) =>
  findOne(test, "children" in dom ? dom.children : [], true);
const byTag = (name: string) => (element: Element) => element.name === name;
const byClass = (name: string) => (element: Element) =>
  (getAttributeValue(element, "class") ?? "").split(" ").includes(name);

const chart = (yaml: string) => `\`\`\`chart\n${yaml.trim()}\n\`\`\``;

describe("a chart of an OCDS computed table", () => {
  const { html, dom, charts, chartProblems } = render(
    `Intro paragraph.\n\n${chart(`
kind: bar
title: Top buyers by award value
dataset: awards.json
table: award-value-by-buyer
label: Buyer
values: Award value (£)
units: gbp
sort: descending
limit: 5
`)}\n\nClosing paragraph.`,
  );

  it("is a figure with a caption first, an SVG named and described, a table and a CSV link", () => {
    expect(chartProblems).toEqual([]);
    const figure = one(dom, byTag("figure"))!;
    expect(getAttributeValue(figure, "id")).toBe("chart-1");
    const firstChild = figure.children.find(isTag)!;
    expect(firstChild.name).toBe("figcaption");
    expect(textContent(firstChild)).toBe("Chart 1: Top buyers by award value");

    const svg = one(figure, byTag("svg"))!;
    expect(getAttributeValue(svg, "role")).toBe("img");
    expect(getAttributeValue(svg, "aria-labelledby")).toBe("chart-1-title chart-1-desc");
    expect(getAttributeValue(svg, "viewbox")).toMatch(/^0 0 360 \d+/);
    expect(textContent(one(svg, (e) => getAttributeValue(e, "id") === "chart-1-title")!)).toBe(
      "Top buyers by award value",
    );
    expect(textContent(one(svg, (e) => getAttributeValue(e, "id") === "chart-1-desc")!)).toBe(
      "Bar chart of Award value (£) by Buyer, 5 entries. Highest: East Riding of Yorkshire, £1.5bn. Lowest: NHS Shared Business Services Ltd (NHS SBS), £310m.",
    );

    const details = one(figure, byTag("details"))!;
    expect(textContent(one(details, byTag("summary"))!)).toBe("Show the numbers in chart 1 as a table");
    const rows = all(dom, byTag("tr")).map((row) => row.children.filter(isTag).map((cell) => textContent(cell)));
    expect(rows[0]).toEqual(["Buyer", "Award value (£)"]);
    expect(rows[1]).toEqual(["East Riding of Yorkshire", "£1,512,000,000.00"]);
    expect(rows).toHaveLength(6);

    const link = one(figure, (e) => e.name === "a" && textContent(e).startsWith("Download these numbers (CSV)"))!;
    expect(getAttributeValue(link, "href")).toBe("/library/a-story/charts/1.csv");
    expect(textContent(one(figure, byClass("chart__source"))!)).toContain(ocdsDataset.attribution);
  });

  it("labels every bar with its name and a value as people read it", () => {
    const texts = all(dom, byTag("text")).map((e) => textContent(e));
    expect(texts).toEqual(
      expect.arrayContaining(["East Riding of Yorkshire", "£1.5bn", "Cambridgeshire County Council", "£954.8m"]),
    );
  });

  it("keeps the numbers for the CSV download, and leaves the rest of the story in place", () => {
    expect(charts).toEqual([
      expect.objectContaining({
        position: 1,
        title: "Top buyers by award value",
        csv: expect.stringMatching(/^Buyer,Award value \(£\)\r\nEast Riding of Yorkshire,1512000000\r\n/),
      }),
    ]);
    expect(html).toMatch(/<p>Intro paragraph\.<\/p>[\s\S]*<figure[\s\S]*<\/figure>[\s\S]*<p>Closing paragraph\.<\/p>/);
  });
});

describe("each kind of chart", () => {
  it.each(["bar", "column", "line", "stacked-bar"])(
    "draws a %s chart with several series told apart by pattern and legend",
    (kind) => {
      const { dom, chartProblems } = render(
        chart(`
kind: ${kind}
title: Spend by quarter
csv: |
  Quarter,Goods,Services
  Q1,"1,200",800
  Q2,1500,
  Q3,900,1100
label: Quarter
values: [Goods, Services]
units: count
`),
      );
      expect(chartProblems).toEqual([]);
      const texts = all(dom, byTag("text")).map((e) => textContent(e));
      expect(texts).toEqual(expect.arrayContaining(["Goods", "Services", "Q1", "Q2", "Q3"]));
      if (kind === "line") {
        expect(all(dom, byTag("path")).some((path) => getAttributeValue(path, "stroke-dasharray"))).toBe(true);
      } else {
        expect(all(dom, byTag("pattern"))).toHaveLength(2);
        expect(
          all(dom, (e) => e.name === "rect" && getAttributeValue(e, "fill") === "url(#chart-1-fill-1)").length,
        ).toBeGreaterThan(0);
      }
      const cells = all(dom, byTag("td")).map((e) => textContent(e));
      expect(cells).toEqual(["1,200", "800", "1,500", "no data", "900", "1,100"]);
    },
  );

  it("thins the labels of a long line chart so none overlap, and leaves a gap for missing months", () => {
    const { dom } = render(
      chart(`
kind: line
title: Monthly spend
dataset: spend.csv
label: Month
values: Total
units: gbp
zero-means-missing: true
`),
    );
    const labels = all(dom, (e) => e.name === "text" && /^\d{4}-\d{2}$/.test(textContent(e)));
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.length).toBeLessThan(12);
    const xs = labels.map((label) => Number(getAttributeValue(label, "x")));
    for (let i = 1; i < xs.length; i += 1) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(7 * 13 * 0.6);
    const path = getAttributeValue(
      one(dom, (e) => e.name === "path" && getAttributeValue(e, "fill") === "none")!,
      "d",
    )!;
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it("rotates column labels that would not fit side by side", () => {
    const { dom } = render(
      chart(`
kind: column
title: By financial year
dataset: spend.csv
label: Month
values: Total
group: financial-year
units: gbp
zero-means-missing: true
`),
    );
    const labels = all(dom, (e) => e.name === "text" && /^\d{4}-\d{2}$/.test(textContent(e)));
    expect(labels.map((e) => textContent(e))).toHaveLength(13);
    expect(labels.every((e) => getAttributeValue(e, "transform")?.includes("rotate(-45)"))).toBe(true);
    expect(textContent(one(dom, byTag("thead"))!)).toBe("Financial yearTotal (£)");
  });
});

describe("hostile labels", () => {
  it("escapes everything a writer or a data file can put in a chart", () => {
    const { html, dom } = render(
      chart(`
kind: bar
title: "</title><script>alert('title')</script>"
description: "<img src=x onerror=alert(1)>"
note: "<a href='javascript:alert(1)'>note</a>"
csv: |
  "<b>Name</b>","Value ""&"" <i>"
  "<script>alert(1)</script>",5
  """><img src=x onerror=alert(2)>",7
label: "<b>Name</b>"
values: "Value \\"&\\" <i>"
`),
    );
    expect(html).not.toMatch(/<script|<img|<b>|<i>|<a href='javascript/i);
    const texts = all(dom, byTag("text")).map((e) => textContent(e));
    expect(texts).toContain("<script>alert(1)</script>");
    expect(texts).toContain('"><img src=x onerror=alert(2)>');
    expect(textContent(one(dom, byTag("title"))!)).toBe("</title><script>alert('title')</script>");
    expect(textContent(one(dom, byTag("th"))!)).toBe("<b>Name</b>");
  });
});

describe("broken chart blocks", () => {
  it.each([
    [
      "a missing column",
      "kind: bar\ntitle: T\ndataset: spend.csv\nlabel: Month\nvalues: Totl",
      'values: "Totl" is not a column of "spend.csv". Its columns are: "Month (YYYY-MM)", "Total (£)", "Relevant URLs (space separated)".',
    ],
    [
      "a missing dataset",
      "kind: bar\ntitle: T\ndataset: nowhere.csv\nlabel: A\nvalues: B",
      'dataset: "nowhere.csv" is not attached to this story. Attached datasets: "awards.json", "spend.csv".',
    ],
    [
      "an unknown kind",
      "kind: pie\ntitle: T\ndataset: spend.csv\nlabel: A\nvalues: B",
      "kind: must be one of bar, column, line or stacked-bar",
    ],
    ["YAML that is not YAML", "kind: [bar\ntitle: T", "the block is not valid YAML"],
    [
      "an OCDS file without a table",
      "kind: bar\ntitle: T\ndataset: awards.json\nlabel: Buyer\nvalues: Awards",
      '"awards.json" is OCDS: say which table: to chart',
    ],
    [
      "an unknown OCDS table",
      "kind: bar\ntitle: T\ndataset: awards.json\ntable: pies\nlabel: Buyer\nvalues: Awards",
      'table: "pies" is not a table we compute from OCDS',
    ],
    [
      "too many bars",
      "kind: bar\ntitle: T\ndataset: spend.csv\nlabel: Month\nvalues: Total",
      "a bar chart can show at most 60 bars, and this one has 148. Add limit: or group: to the chart.",
    ],
    [
      "a ragged inline CSV",
      "kind: bar\ntitle: T\nlabel: A\nvalues: B\ncsv: |\n  A,B\n  x,1,2",
      "the chart's csv:, line 2: this row has 3 cells, but the header has 2 columns.",
    ],
    ["neither dataset nor csv", "kind: bar\ntitle: T\nlabel: A\nvalues: B", "dataset: give either dataset:"],
  ])("explains %s in place, and keeps the rest of the story", (_, yaml, message) => {
    const body = `# Story\n\nBefore.\n\n${chart(yaml)}\n\nAfter.\n\n${chart("kind: column\ntitle: Good one\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B")}\n`;
    const { html, dom, chartProblems, charts } = render(body);
    expect(chartProblems).toHaveLength(1);
    expect(chartProblems[0]).toMatchObject({ position: 1, line: 5 });
    expect(chartProblems[0]!.message).toContain(message);
    const error = one(dom, byClass("chart-error"))!;
    expect(textContent(error)).toContain(
      "Chart 1 could not be drawn (the chart block starting on line 5 of the story's text).",
    );
    expect(textContent(error)).toContain(message);
    expect(html).toContain("<p>After.</p>");
    expect(charts.map((c) => c.position)).toEqual([2]);
    expect(textContent(one(dom, byTag("figcaption"))!)).toBe("Chart 2: Good one");
  });
});

describe("number formats", () => {
  it.each([
    [4_747_109_143.07, "gbp", "£4.7bn", "£4,747,109,143.07"],
    [262_188_305.18, "gbp", "£262.2m", "£262,188,305.18"],
    [950, "gbp", "£950", "£950.00"],
    [12_345, "count", "12,345", "12,345"],
    [39.2, "percent", "39.2%", "39.2%"],
    [2_500_000, "number", "2.5m", "2,500,000"],
  ] as const)("shows %d (%s) as %s on the chart and %s in the table", (value, units, compact, exact) => {
    expect(formatCompact(value, units)).toBe(compact);
    expect(formatExact(value, units)).toBe(exact);
  });
});

describe("series colours", () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };

  it.each(SERIES_COLOURS)("%s has at least 4.5:1 contrast with the white page and with white text", (colour) => {
    expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("reading time", () => {
  it("counts the story's words, not the chart's YAML", () => {
    const { wordCount } = render(
      `One two three.\n\n${chart("kind: bar\ntitle: Many words in a title here\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B")}\n\nFour five.`,
    );
    expect(wordCount).toBe(5);
  });
});

describe("limits on the work one story's charts can make (issue 13, item 2)", () => {
  const spendChart = (name: string) =>
    chart(`kind: column\ntitle: Spend by year\ndataset: ${name}\nlabel: Month\nvalues: Total\ngroup: year`);

  it("reads a dataset once however its name is typed, and draws every chart from it", () => {
    const names = ["spend.csv", "Spend.csv", "sPEND.csv", "SPEND.CSV"];
    const { charts, chartProblems, datasetsRead } = render(names.map(spendChart).join("\n\n"));
    expect(chartProblems).toEqual([]);
    expect(charts.map((c) => c.position)).toEqual([1, 2, 3, 4]);
    expect(datasetsRead).toBe(1);
  });

  it("reads a broken dataset once too, and says so at every chart that names it", () => {
    const broken: ChartDataset = { ...spendDataset, fileName: "broken.csv", content: Buffer.from("A,B\nx,1,2\n") };
    const { chartProblems, datasetsRead } = render(
      ["broken.csv", "BROKEN.csv", "Broken.csv"].map(spendChart).join("\n\n"),
      [broken],
    );
    expect(chartProblems.map((problem) => problem.position)).toEqual([1, 2, 3]);
    expect(chartProblems[2]!.message).toContain('"broken.csv", line 2: this row has 3 cells');
    expect(datasetsRead).toBe(1);
  });

  it(`draws at most ${MAX_CHARTS} charts, says so at the next, and counts them all`, () => {
    const inline = chart("kind: column\ntitle: Small\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B");
    const { charts, chartProblems, chartBlockCount, dom } = render(
      Array.from({ length: MAX_CHARTS + 5 }, () => inline).join("\n\n"),
    );
    expect(charts).toHaveLength(MAX_CHARTS);
    expect(chartBlockCount).toBe(MAX_CHARTS + 5);
    expect(chartProblems).toEqual([
      {
        position: MAX_CHARTS + 1,
        line: MAX_CHARTS * 10 + 1,
        message: `a story can have at most ${MAX_CHARTS} charts, so this one was not drawn. Split the story, or remove charts.`,
      },
    ]);
    expect(all(dom, byClass("chart-error"))).toHaveLength(5);
  });

  it("gives each broken block its own line, even when two blocks say the same", () => {
    const same = chart("kind: pie\ntitle: T\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B");
    const { chartProblems } = render(`Intro.\n\n${same}\n\nMiddle.\n\n${same}\n`);
    expect(chartProblems.map((problem) => problem.line)).toEqual([3, 15]);
  });
});
