import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { serialiseContentFile } from "~/models/content-file.server";
import { ContentValidationError, syncContent } from "~/models/content-sync.server";

import { buildItemMeta } from "../factories/items";

// The checksums content/data/README.md publishes for the three files.
const PUBLISHED_SHA256 = {
  "contracts-finder-awards-2018-2020.ocds.json": "f667b4a9a5789376214d1678d9bf5f2d9f34306af7da78449eed295ef13c2982",
  "cabinet-office-spend-over-25k-monthly.csv": "de3a728d025ee8d0c937689b0b9ea84a2b7efa28bf697e3f5851a668af5585de",
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "commons-stories-"));
  cpSync("content", root, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function datasetRows() {
  return db
    .selectFrom("datasets")
    .innerJoin("items", "items.id", "datasets.item_id")
    .select(["datasets.id", "items.slug", "datasets.file_name", "datasets.sha256", "datasets.size_bytes", "datasets.origin", "datasets.updated_at"])
    .orderBy("items.slug")
    .execute();
}

describe("importing the seed data stories", () => {
  it("stores each story's data files with their checksums, and draws every chart without a problem", async () => {
    const report = await syncContent({ root });
    expect(report.chartProblems).toEqual([]);
    const rows = await datasetRows();
    expect(rows.map((row) => [row.slug, row.file_name])).toEqual([
      ["cabinet-office-spend-over-25k-2010-2022", "cabinet-office-spend-over-25k-monthly.csv"],
      ["contracts-finder-awards-buyers-suppliers-sme", "contracts-finder-awards-2018-2020.ocds.json"],
      ["contracts-finder-awards-by-cpv-division-and-year", "contracts-finder-awards-2018-2020.ocds.json"],
      ["reading-ocds-barnet-cycle-lane-six-releases", "ocds-fictional-barnet-cycle-lanes.json"],
    ]);
    for (const row of rows) {
      expect(row.origin).toBe("content");
      const published = PUBLISHED_SHA256[row.file_name as keyof typeof PUBLISHED_SHA256];
      if (published) expect(row.sha256).toBe(published);
    }
    // The fictional example's contact points are stripped before it is stored.
    const barnet = await db
      .selectFrom("datasets")
      .select(["content", "size_bytes"])
      .where("file_name", "=", "ocds-fictional-barnet-cycle-lanes.json")
      .executeTakeFirstOrThrow();
    expect(barnet.content.byteLength).toBe(barnet.size_bytes);
    expect(barnet.content.toString("utf8")).not.toMatch(/contactPoint|telephone/);

    const charts = await db.selectFrom("item_charts").select(["item_id", "position"]).execute();
    expect(charts).toHaveLength(9);
    const story = await db.selectFrom("items").select("body_html").where("slug", "=", "cabinet-office-spend-over-25k-2010-2022").executeTakeFirstOrThrow();
    expect(story.body_html.match(/<figure class="chart"/g)).toHaveLength(2);
    expect(story.body_html).not.toContain("chart-error");
  });

  it("changes nothing on a second run", async () => {
    const before = await datasetRows();
    const report = await syncContent({ root });
    expect(report.added).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(await datasetRows()).toEqual(before);
  });

  it("draws a story's charts again when only its data file changes", async () => {
    const file = path.join(root, "data", "cabinet-office-spend-over-25k-monthly.csv");
    const { readFileSync } = await import("node:fs");
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original, Buffer.from("\n2022-08,1000000000.00,https://example.org/aug.csv")]));
    const report = await syncContent({ root });
    expect(report.updated).toEqual(["content/data-stories/cabinet-office-spend-over-25k-2010-2022.md"]);
    const csv = await db
      .selectFrom("item_charts")
      .innerJoin("items", "items.id", "item_charts.item_id")
      .select("item_charts.csv")
      .where("items.slug", "=", "cabinet-office-spend-over-25k-2010-2022")
      .where("item_charts.position", "=", 1)
      .executeTakeFirstOrThrow();
    expect(csv.csv).toContain("2022-23,1398699340.5");
    writeFileSync(file, original);
    await syncContent({ root });
  });

  it("reports a chart it cannot draw, and imports the story with the problem shown in place", async () => {
    const meta = buildItemMeta({ type: "data-story", title: "A story with a broken chart" });
    writeFileSync(
      path.join(root, "data-stories", "broken-chart-story.md"),
      serialiseContentFile(meta, "Words first.\n\n```chart\nkind: bar\ntitle: Nope\ndataset: missing.csv\nlabel: A\nvalues: B\n```\n\nWords after.\n"),
    );
    const report = await syncContent({ root });
    expect(report.added).toEqual(["content/data-stories/broken-chart-story.md"]);
    expect(report.chartProblems).toEqual([
      {
        file: "content/data-stories/broken-chart-story.md",
        message: 'chart 1 (line 3 of the body): dataset: "missing.csv" is not attached to this story. No datasets are attached yet: attach one first.',
      },
    ]);
    const item = await db.selectFrom("items").select("body_html").where("slug", "=", "broken-chart-story").executeTakeFirstOrThrow();
    expect(item.body_html).toContain("Chart 1 could not be drawn");
    expect(item.body_html).toContain("<p>Words after.</p>");
    rmSync(path.join(root, "data-stories", "broken-chart-story.md"));
  });

  it("stops, changing nothing, when a named data file is missing or is not data", async () => {
    const before = await datasetRows();
    const reference = {
      title: "Some data",
      publisher: "Someone",
      source_url: "https://example.org/data",
      licence: "Open Government Licence v3.0",
      attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
    };
    const missing = buildItemMeta({ type: "data-story", datasets: [{ ...reference, file: "nowhere.csv" }] });
    writeFileSync(path.join(root, "data-stories", "missing-data.md"), serialiseContentFile(missing, "Body."));
    writeFileSync(path.join(root, "data", "junk.json"), '{"hello": "world"}');
    const junk = buildItemMeta({ type: "data-story", datasets: [{ ...reference, file: "junk.json" }] });
    writeFileSync(path.join(root, "data-stories", "junk-data.md"), serialiseContentFile(junk, "Body."));
    const error = await syncContent({ root }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentValidationError);
    expect((error as ContentValidationError).problems).toEqual([
      { file: "content/data-stories/junk-data.md", field: "datasets.0.file", message: 'junk.json is JSON but not an OCDS package: it has no "releases" or "records" list.' },
      { file: "content/data-stories/missing-data.md", field: "datasets.0.file", message: "content/data/nowhere.csv does not exist" },
    ]);
    expect(await datasetRows()).toEqual(before);
    rmSync(path.join(root, "data-stories", "missing-data.md"));
    rmSync(path.join(root, "data-stories", "junk-data.md"));
  });
});
