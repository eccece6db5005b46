import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { watchWriteLock, type WriteLockReport } from "./write-lock-probe";

// Issue 13, item 2: a draft with a 4.8 MB CSV attached, and a 328-character body whose four chart
// blocks name it in four spellings. Previewed and saved by the editor's own model functions on a
// throwaway SQLite file, while another connection watches how long the write lock is held.

const SPELLINGS = ["bigdata.csv", "Bigdata.csv", "bIgdata.csv", "BIgdata.csv"];

function paymentsCsv(bytes: number) {
  const lines = ["Date,Supplier,Category,Amount"];
  let length = lines[0]!.length;
  for (let row = 0; length < bytes; row += 1) {
    const line = `20${10 + (row % 12)}-${String(1 + (row % 12)).padStart(2, "0")}-01,Supplier ${row} Ltd,Category ${row % 9},${(row * 37) % 99_991}.50`;
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(lines.join("\n"), "utf8");
}

export type ChartSpellingsResult = {
  csvBytes: number;
  bodyLength: number;
  previewMs: number;
  saveMs: number;
  chartsDrawn: number;
  duringPreview: WriteLockReport;
  duringSave: WriteLockReport;
};

export async function measureChartSpellings(): Promise<ChartSpellingsResult> {
  const directory = mkdtempSync(path.join(tmpdir(), "commons-bench-charts-"));
  const databasePath = path.join(directory, "bench.sqlite");
  process.env.DATABASE_PATH = databasePath;
  try {
    const { closeDb, db } = await import("~/db/client.server");
    const { migrateToLatest } = await import("~/db/migrator.server");
    const { ItemMetaSchema } = await import("~/models/item-schema");
    const { previewItemBody } = await import("~/models/item.server");
    const { attachDataset } = await import("~/models/dataset.server");
    const { createItemFromEditor, updateItemFromEditor } = await import("~/models/publishing.server");

    await migrateToLatest(db);
    const longAgo = "2020-01-01T00:00:00.000Z";
    await db
      .insertInto("users")
      .values({
        id: "bench",
        email: "bench@example.org",
        username: "bench",
        display_name: "Bench Writer",
        organisation: "Benchshire",
        created_at: longAgo,
        updated_at: longAgo,
      })
      .execute();
    const user = { id: "bench", role: "member" as const };
    const meta = ItemMetaSchema.parse({
      type: "data-story",
      title: "Four spellings of one dataset",
      summary: "A story whose charts name one large dataset in four spellings.",
      themes: ["upstream"],
      authors: [{ name: "Bench Writer" }],
      datasets: [
        {
          title: "Payments",
          publisher: "Benchshire",
          source_url: "https://example.org/payments",
          licence: "Open Government Licence v3.0",
          attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
        },
      ],
      method: "Counted the rows.",
    });
    const { id: itemId, slug } = await createItemFromEditor({ meta, body: "Charts to come.", user });
    const csv = paymentsCsv(4_800_000);
    await attachDataset({
      itemId,
      user,
      fileName: "bigdata.csv",
      bytes: csv,
      provenance: {
        title: "Payments",
        publisher: "Benchshire",
        sourceUrl: "https://example.org/payments",
        licence: "Open Government Licence v3.0",
        attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
      },
    });
    const body = SPELLINGS.map(
      (name, index) =>
        `\`\`\`chart\nkind: bar\ntitle: Pay ${index + 1}\ndataset: ${name}\nlabel: Supplier\nvalues: Amount\nlimit: 10\n\`\`\``,
    ).join("\n\n");

    let probe = await watchWriteLock(databasePath);
    let started = performance.now();
    await previewItemBody({ slug, body });
    const previewMs = performance.now() - started;
    const duringPreview = await probe.stop();

    const { version } = await db
      .selectFrom("items")
      .select("version")
      .where("id", "=", itemId)
      .executeTakeFirstOrThrow();
    probe = await watchWriteLock(databasePath);
    started = performance.now();
    const outcome = await updateItemFromEditor({ itemId, expectedVersion: version, meta, body, user });
    const saveMs = performance.now() - started;
    const duringSave = await probe.stop();
    if (outcome.kind !== "saved") throw new Error(`the save answered ${outcome.kind}`);
    const { body_html } = await db
      .selectFrom("items")
      .select("body_html")
      .where("id", "=", itemId)
      .executeTakeFirstOrThrow();
    await closeDb();
    return {
      csvBytes: csv.length,
      bodyLength: body.length,
      previewMs,
      saveMs,
      chartsDrawn: body_html.split('<figure class="chart"').length - 1,
      duringPreview,
      duringSave,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
