// Benchmark: how long the writer waits for a save, a preview and an edit to be checked for conflicts.
// Runs against a throwaway SQLite file: `npx tsx scripts/bench-publishing.ts`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const directory = mkdtempSync(path.join(tmpdir(), "commons-bench-"));
process.env.DATABASE_PATH = path.join(directory, "bench.sqlite");
process.env.NODE_ENV = "test";

const { closeDb, db } = await import("~/db/client.server");
const { migrateToLatest } = await import("~/db/migrator.server");
const { parseItemForm, formValuesFromMeta } = await import("~/models/item-form");
const { previewItemBody } = await import("~/models/item.server");
const { BODY_MAX_LENGTH, ItemMetaSchema } = await import("~/models/item-schema");
const { createItemFromEditor, updateItemFromEditor, getEditableItem } = await import("~/models/publishing.server");

await migrateToLatest(db);
const now = new Date().toISOString();
await db
  .insertInto("users")
  .values({
    id: "bench",
    email: "b@example.org",
    username: "bench",
    display_name: "Bench Writer",
    organisation: "Benchshire",
    created_at: now,
    updated_at: now,
    email_verified_at: now,
  })
  .execute();
const user = { id: "bench", role: "member" as const };

const paragraph =
  "We published the UK4 and then briefed suppliers on the **outcomes** we wanted, with a [link](https://www.gov.uk). ";
const typicalBody = Array.from(
  { length: 40 },
  (_, i) => `## Section ${i}\n\n${paragraph.repeat(6)}\n\n- one\n- two\n`,
).join("\n");
const largestBody = paragraph.repeat(Math.floor(BODY_MAX_LENGTH / paragraph.length));
const meta = ItemMetaSchema.parse({
  type: "case-study",
  title: "Benchmark case",
  summary: "A case study of typical length.",
  themes: ["upstream"],
  authors: [{ name: "Bench Writer" }],
  organisation_type: "local-authority",
  nation: "england",
  regime: "pa23",
  lifecycle_stages: ["procure"],
  outcomes: [{ measure: "m", baseline: "b", result: "r", evidence: "e" }],
});

async function measure(label: string, runs: number, work: (index: number) => unknown) {
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await work(index);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`${label.padEnd(58)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  (${runs} runs)`);
}

const values = formValuesFromMeta(meta, typicalBody);
const context = { type: meta.type, authors: meta.authors, status: "draft" as const };
console.log(
  `typical body ${typicalBody.length.toLocaleString("en-GB")} chars; largest ${largestBody.length.toLocaleString("en-GB")} chars`,
);
await measure("parse the editor form (typical case study)", 500, () => parseItemForm(values, context, BODY_MAX_LENGTH));
await measure("preview render (typical body)", 200, () => previewItemBody({ body: typicalBody }));
await measure("preview render (largest allowed body)", 20, () => previewItemBody({ body: largestBody }));
await measure("create an item from the editor (typical)", 100, (i) =>
  createItemFromEditor({ meta: { ...meta, title: `Benchmark case ${i}` }, body: typicalBody, user }),
);
const { slug } = await createItemFromEditor({ meta, body: typicalBody, user });
await measure("save an edit with the version check (typical)", 100, async () => {
  const item = (await getEditableItem({ slug }))!;
  await updateItemFromEditor({ itemId: item.id, expectedVersion: item.version, meta, body: typicalBody, user });
});

await closeDb();
rmSync(directory, { recursive: true, force: true });
