import { type ChartDataset, MAX_CHARTS } from "~/charts/render-chart.server";
import type { DB } from "~/db/client.server";
import type { RenderedItemBody } from "~/rendering/item-body.server";
import { RenderRefused } from "~/rendering/render-refused";

import type { DatasetWrite } from "./dataset.server";

// Items are rendered before the write lock is taken (rendering a story with charts can take
// seconds, and the lock stops every other server process writing). What the render drew on (the
// item's datasets, its address, its text) is read first; under the lock it is checked again, and
// if anything changed meanwhile the lock is let go and the item rendered afresh.

export type StoredChartDataset = ChartDataset & { origin: "content" | "upload" };

/** A signature of an item's datasets: it changes whenever one is added, replaced, edited or removed. */
export async function chartDatasetsSignature(executor: DB, itemId: number | undefined) {
  if (itemId === undefined) return "";
  const rows = await executor
    .selectFrom("datasets")
    .select(["id", "sha256", "updated_at"])
    .where("item_id", "=", itemId)
    .orderBy("id")
    .execute();
  return rows.map((row) => `${row.id}:${row.sha256}:${row.updated_at}`).join(",");
}

/**
 * Everything the chart renderer needs from an item's datasets, with their signature. The bytes are
 * read only when the body could have a chart block at all.
 */
export async function readChartDatasets(executor: DB, itemId: number | undefined, body: string) {
  const signature = await chartDatasetsSignature(executor, itemId);
  if (itemId === undefined || !/chart/i.test(body)) return { datasets: [] as StoredChartDataset[], signature };
  const rows = await executor
    .selectFrom("datasets")
    .select(["file_name", "title", "publisher", "attribution", "format", "content", "origin"])
    .where("item_id", "=", itemId)
    .orderBy("id")
    .execute();
  const datasets: StoredChartDataset[] = rows.map((row) => ({
    fileName: row.file_name,
    title: row.title,
    publisher: row.publisher,
    attribution: row.attribution,
    format: row.format,
    content: row.content,
    origin: row.origin,
  }));
  return { datasets, signature };
}

/**
 * The datasets an item will have once a content import saves it: its uploads, and the datasets
 * its content file names (which replace any of the same name and any the file no longer names).
 */
export function chartDatasetsAfterImport(stored: StoredChartDataset[], incoming: DatasetWrite[] | undefined) {
  if (!incoming) return stored;
  const names = new Set(incoming.map((dataset) => dataset.prepared.fileName));
  return [
    ...stored.filter((dataset) => dataset.origin === "upload" && !names.has(dataset.fileName)),
    ...incoming.map((dataset) => ({
      fileName: dataset.prepared.fileName,
      title: dataset.title,
      publisher: dataset.publisher,
      attribution: dataset.attribution,
      format: dataset.prepared.format,
      content: dataset.prepared.content,
      origin: "content" as const,
    })),
  ];
}

/** What a writer must change before an item's body can be saved. */
export class ItemBodyProblem extends Error {
  readonly field = "body";
  constructor(message: string) {
    super(message);
    this.name = "ItemBodyProblem";
  }
}

/** Refuses a body with more chart blocks than an item may draw. */
export function requireDrawableCharts(rendered: RenderedItemBody) {
  if (rendered.chartBlockCount <= MAX_CHARTS) return;
  throw new ItemBodyProblem(
    `The body has ${rendered.chartBlockCount} chart blocks, and a story can have at most ${MAX_CHARTS}. Remove some charts or split the story in two. Nothing has been saved yet.`,
  );
}

/**
 * Whether an item is still as it was when it was rendered: same version (so the same text and
 * address) and the same datasets. Call under the write lock, just before writing the render.
 */
export async function isRenderCurrent(
  trx: DB,
  { itemId, version, datasets }: { itemId: number; version: number; datasets: string },
) {
  const row = await trx.selectFrom("items").select("version").where("id", "=", itemId).executeTakeFirst();
  return row?.version === version && (await chartDatasetsSignature(trx, itemId)) === datasets;
}

export const STALE_RENDER = Symbol("stale render");

const RENDER_ATTEMPTS = 3;

/**
 * Runs `attempt` (read, render, then write under the lock) until its write finds what it rendered
 * from unchanged; it returns STALE_RENDER, having written nothing, when something had changed.
 */
export async function renderThenWrite<T>(attempt: () => Promise<T | typeof STALE_RENDER>): Promise<T> {
  for (let tries = 1; tries <= RENDER_ATTEMPTS; tries += 1) {
    const outcome = await attempt();
    if (outcome !== STALE_RENDER) return outcome;
  }
  throw new RenderRefused("busy");
}

export async function replaceCharts(trx: DB, itemId: number, charts: RenderedItemBody["charts"]) {
  await trx.deleteFrom("item_charts").where("item_id", "=", itemId).execute();
  if (charts.length > 0) {
    await trx
      .insertInto("item_charts")
      .values(
        charts.map((chart) => ({ item_id: itemId, position: chart.position, title: chart.title, csv: chart.csv })),
      )
      .execute();
  }
}

/** Stores a fresh rendering of an item's body (after its datasets changed, say). Not a new version: the words did not change. */
export async function storeRenderedBody(trx: DB, { itemId, rendered }: { itemId: number; rendered: RenderedItemBody }) {
  await trx
    .updateTable("items")
    .set({ body_html: rendered.html, toc_json: JSON.stringify(rendered.toc), word_count: rendered.wordCount })
    .where("id", "=", itemId)
    .execute();
  await replaceCharts(trx, itemId, rendered.charts);
}
