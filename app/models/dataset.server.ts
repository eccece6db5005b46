import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";

import { DataProblem, tableToCsv } from "~/datasets/data-table";
import type { PreparedDataset } from "~/datasets/prepare.server";
import { type DB, db, writeTransaction } from "~/db/client.server";
import { prepareDatasetOffThread, renderItemBody } from "~/rendering/render.server";
import { nowIso } from "~/utils/dates";
import { parseStoredJson } from "~/utils/stored-json";

import type { Actor } from "./actor.server";
import { requireCanEditItem } from "./item-permissions.server";
import {
  isRenderCurrent,
  readChartDatasets,
  renderThenWrite,
  STALE_RENDER,
  storeRenderedBody,
} from "./item-render.server";

export type DatasetProvenance = {
  title: string;
  publisher: string;
  sourceUrl: string;
  licence: string;
  attribution: string;
};

export type DatasetSummary = DatasetProvenance & {
  id: number;
  origin: "content" | "upload";
  fileName: string;
  format: "csv" | "ocds";
  sizeBytes: number;
  sha256: string;
  notes: string[];
  updatedAt: string;
};

/** What preparing a dataset noted about it (rows dropped, columns renamed), as stored. */
const DatasetNotesSchema = z.array(z.string());

const SUMMARY_COLUMNS = [
  "id",
  "file_name",
  "title",
  "publisher",
  "source_url",
  "licence",
  "attribution",
  "format",
  "size_bytes",
  "sha256",
  "notes_json",
  "origin",
  "updated_at",
] as const;

/** The datasets attached to an item, in the order they were attached, without their bytes. */
export async function listItemDatasets({ itemId }: { itemId: number }, trx: DB = db): Promise<DatasetSummary[]> {
  const rows = await trx
    .selectFrom("datasets")
    .select(SUMMARY_COLUMNS)
    .where("item_id", "=", itemId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    fileName: row.file_name,
    title: row.title,
    publisher: row.publisher,
    sourceUrl: row.source_url,
    licence: row.licence,
    attribution: row.attribution,
    format: row.format,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    notes: parseStoredJson(DatasetNotesSchema, row.notes_json, `The notes of dataset ${row.id}`),
    origin: row.origin,
    updatedAt: row.updated_at,
  }));
}

export type DatasetWrite = DatasetProvenance & { prepared: PreparedDataset };

/** Stores (or replaces, by file name) a dataset on an item. Call inside a transaction. */
export async function upsertDataset(
  trx: DB,
  {
    itemId,
    dataset,
    origin,
    userId = null,
  }: { itemId: number; dataset: DatasetWrite; origin: "content" | "upload"; userId?: string | null },
) {
  const now = nowIso();
  const { prepared } = dataset;
  const values = {
    title: dataset.title,
    publisher: dataset.publisher,
    source_url: dataset.sourceUrl,
    licence: dataset.licence,
    attribution: dataset.attribution,
    format: prepared.format,
    media_type: prepared.mediaType,
    size_bytes: prepared.sizeBytes,
    sha256: prepared.sha256,
    content: prepared.content,
    notes_json: JSON.stringify(prepared.notes),
    origin,
    updated_at: now,
  };
  const existing = await trx
    .selectFrom("datasets")
    .select(["id", "sha256", "title", "publisher", "source_url", "licence", "attribution"])
    .where("item_id", "=", itemId)
    .where("file_name", "=", prepared.fileName)
    .executeTakeFirst();
  if (!existing) {
    await trx
      .insertInto("datasets")
      .values({ ...values, item_id: itemId, file_name: prepared.fileName, created_by_user_id: userId, created_at: now })
      .execute();
    return "added" as const;
  }
  const unchanged =
    existing.sha256 === prepared.sha256 &&
    existing.title === dataset.title &&
    existing.publisher === dataset.publisher &&
    existing.source_url === dataset.sourceUrl &&
    existing.licence === dataset.licence &&
    existing.attribution === dataset.attribution;
  if (unchanged) return "unchanged" as const;
  await trx.updateTable("datasets").set(values).where("id", "=", existing.id).execute();
  return "updated" as const;
}

/** Removes datasets that came from content/ and are no longer listed in the item's front matter. */
export async function removeStaleContentDatasets(trx: DB, { itemId, keep }: { itemId: number; keep: string[] }) {
  let query = trx.deleteFrom("datasets").where("item_id", "=", itemId).where("origin", "=", "content");
  if (keep.length > 0) query = query.where("file_name", "not in", keep);
  await query.execute();
}

/** A file name not yet used on the item: spend.csv, then spend-2.csv, spend-3.csv… */
async function freeDatasetFileName(trx: DB, { itemId, fileName }: { itemId: number; fileName: string }) {
  const taken = new Set(
    (await trx.selectFrom("datasets").select("file_name").where("item_id", "=", itemId).execute()).map(
      (row) => row.file_name,
    ),
  );
  if (!taken.has(fileName)) return fileName;
  const dot = fileName.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ""];
  for (let n = 2; ; n += 1) {
    const candidate = `${stem}-${n}${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A published item's dataset, bytes included, for download. */
export async function getDatasetDownload({ slug, fileName }: { slug: string; fileName: string }) {
  return db
    .selectFrom("datasets")
    .innerJoin("items", "items.id", "datasets.item_id")
    .select(["datasets.file_name", "datasets.media_type", "datasets.sha256", "datasets.content", "datasets.updated_at"])
    .where("items.slug", "=", slug)
    .where("items.status", "=", "published")
    .where("datasets.file_name", "=", fileName)
    .executeTakeFirst();
}

/**
 * The numbers behind one chart of a published item, as CSV that is safe to open in a spreadsheet.
 * Charts drawn before cells were neutralised are neutralised on the way out.
 */
export async function getChartCsv({ slug, position }: { slug: string; position: number }) {
  const chart = await db
    .selectFrom("item_charts")
    .innerJoin("items", "items.id", "item_charts.item_id")
    .select(["item_charts.title", "item_charts.csv", "items.updated_at"])
    .where("items.slug", "=", slug)
    .where("items.status", "=", "published")
    .where("item_charts.position", "=", position)
    .executeTakeFirst();
  if (!chart) return undefined;
  const [columns = [], ...rows] = parseCsv(chart.csv, { relax_column_count: true });
  return { ...chart, csv: tableToCsv({ columns, rows }) };
}

/** The item as a render of its charts needs it, and what to check before writing that render. */
async function readItemForCharts(itemId: number) {
  const item = await db
    .selectFrom("items")
    .select(["slug", "version", "body_markdown"])
    .where("id", "=", itemId)
    .executeTakeFirstOrThrow();
  return { item, stored: await readChartDatasets(db, itemId, item.body_markdown) };
}

/**
 * Attaches an uploaded dataset to an item and draws the item's charts again with it: the file is
 * checked and the charts drawn before the write lock is taken. Returns the stored file name and any
 * chart blocks that still cannot be drawn.
 */
export async function attachDataset({
  itemId,
  user,
  fileName,
  bytes,
  provenance,
}: {
  itemId: number;
  user: Actor;
  fileName: string;
  bytes: Uint8Array;
  provenance: DatasetProvenance;
}) {
  await requireCanEditItem({ user, itemId });
  const prepared = await prepareDatasetOffThread({ fileName, bytes });
  return renderThenWrite(async () => {
    const { item, stored } = await readItemForCharts(itemId);
    const storedName = await freeDatasetFileName(db, { itemId, fileName: prepared.fileName });
    const rendered = await renderItemBody(item.body_markdown, {
      slug: item.slug,
      datasets: [
        ...stored.datasets,
        { ...provenance, fileName: storedName, format: prepared.format, content: prepared.content },
      ],
    });
    return writeTransaction(async (trx) => {
      if (!(await isRenderCurrent(trx, { itemId, version: item.version, datasets: stored.signature })))
        return STALE_RENDER;
      await upsertDataset(trx, {
        itemId,
        dataset: { ...provenance, prepared: { ...prepared, fileName: storedName } },
        origin: "upload",
        userId: user.id,
      });
      await storeRenderedBody(trx, { itemId, rendered });
      return { fileName: storedName, notes: prepared.notes, chartProblems: rendered.chartProblems };
    });
  });
}

/**
 * Removes a dataset attached in the browser and draws the item's charts again without it.
 * Datasets imported from content/ are removed by editing the content file instead.
 */
export async function removeUploadedDataset({
  itemId,
  fileName,
  user,
}: {
  itemId: number;
  fileName: string;
  user: Actor;
}) {
  await requireCanEditItem({ user, itemId });
  return renderThenWrite(async () => {
    const { item, stored } = await readItemForCharts(itemId);
    const rendered = await renderItemBody(item.body_markdown, {
      slug: item.slug,
      datasets: stored.datasets.filter((dataset) => dataset.fileName !== fileName),
    });
    return writeTransaction(async (trx) => {
      const dataset = await trx
        .selectFrom("datasets")
        .select(["id", "origin"])
        .where("item_id", "=", itemId)
        .where("file_name", "=", fileName)
        .executeTakeFirst();
      if (!dataset) throw new DataProblem(`${fileName} is not attached to this story.`);
      if (dataset.origin === "content") {
        throw new DataProblem(
          `${fileName} comes from the story's content file: remove it from datasets: in content/ and import again.`,
        );
      }
      if (!(await isRenderCurrent(trx, { itemId, version: item.version, datasets: stored.signature })))
        return STALE_RENDER;
      await trx.deleteFrom("datasets").where("id", "=", dataset.id).execute();
      await storeRenderedBody(trx, { itemId, rendered });
      return { chartProblems: rendered.chartProblems };
    });
  });
}
