import { createHash } from "node:crypto";

import type { ChartDataset } from "~/charts/render-chart.server";
import { readCsv } from "~/datasets/csv.server";
import { DataProblem } from "~/datasets/data-table";
import { type DB, db, writeTransaction } from "~/db/client.server";
import { readOcdsJson, stripContactPoints, toOcdsPackage } from "~/ocds/ocds.server";
import { nowIso } from "~/utils/dates";

import { rerenderItem } from "./item.server";

export const DATASET_MAX_BYTES = 5 * 1024 * 1024;

export type DatasetProvenance = {
  title: string;
  publisher: string;
  sourceUrl: string;
  licence: string;
  attribution: string;
};

/** A dataset checked and ready to store: the bytes as they will be published, and what we noticed. */
export type PreparedDataset = {
  fileName: string;
  format: "csv" | "ocds";
  mediaType: string;
  content: Buffer;
  sizeBytes: number;
  sha256: string;
  notes: string[];
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

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A safe, readable file name: lower-case words and hyphens, keeping a .csv or .json ending. */
function datasetFileName(original: string) {
  const base = original.split(/[\\/]/).pop() ?? "";
  const match = /^(.*?)(\.[a-z0-9]+)?$/i.exec(base.trim());
  const stem = (match?.[1] ?? "")
    .normalize("NFKD")
    .replace(/[^\w.\s-]/g, "")
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/[^a-z0-9.-]/g, "")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 80);
  const extension = (match?.[2] ?? "").toLowerCase();
  return `${stem || "dataset"}${extension}`;
}

/**
 * Checks a CSV or OCDS JSON file and prepares it for storing. OCDS has its contact points
 * (people's names, emails, phones) removed before it is stored, so they are never republished.
 * Throws a DataProblem saying what is wrong and where.
 */
export function prepareDataset({ fileName, bytes }: { fileName: string; bytes: Uint8Array }): PreparedDataset {
  const name = datasetFileName(fileName);
  if (bytes.byteLength === 0) throw new DataProblem(`${name} is empty.`);
  if (bytes.byteLength > DATASET_MAX_BYTES) {
    throw new DataProblem(
      `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; a dataset can be at most 5 MB.`,
    );
  }
  const extension = name.slice(name.lastIndexOf(".") + 1);
  if (extension === "csv") {
    const { notes } = readCsv(bytes, name);
    const content = Buffer.from(bytes);
    return {
      fileName: name,
      format: "csv",
      mediaType: "text/csv; charset=utf-8",
      content,
      sizeBytes: content.byteLength,
      sha256: sha256(content),
      notes,
    };
  }
  if (extension === "json") {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new DataProblem(`${name} is not UTF-8 text, so it cannot be JSON. Save it as UTF-8 and try again.`);
    }
    const json = readOcdsJson(text, name);
    toOcdsPackage(json, name);
    const removed = stripContactPoints(json);
    const content = removed > 0 ? Buffer.from(`${JSON.stringify(json, null, 2)}\n`, "utf8") : Buffer.from(bytes);
    const notes =
      removed > 0
        ? [
            `Removed ${removed} contact point${removed === 1 ? "" : "s"} (names, emails, phone numbers) before storing ${name}.`,
          ]
        : [];
    return {
      fileName: name,
      format: "ocds",
      mediaType: "application/json; charset=utf-8",
      content,
      sizeBytes: content.byteLength,
      sha256: sha256(content),
      notes,
    };
  }
  throw new DataProblem(
    `${name} is neither a .csv file nor an OCDS .json file. Attach a CSV, or an OCDS release or record package.`,
  );
}

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
    notes: JSON.parse(row.notes_json) as string[],
    origin: row.origin,
    updatedAt: row.updated_at,
  }));
}

/** Everything the chart renderer needs from an item's datasets. */
export async function loadChartDatasets(trx: DB, itemId: number): Promise<ChartDataset[]> {
  const rows = await trx
    .selectFrom("datasets")
    .select(["file_name", "title", "publisher", "attribution", "format", "content"])
    .where("item_id", "=", itemId)
    .execute();
  return rows.map((row) => ({
    fileName: row.file_name,
    title: row.title,
    publisher: row.publisher,
    attribution: row.attribution,
    format: row.format,
    content: row.content,
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

/** The numbers behind one chart of a published item, as CSV. */
export async function getChartCsv({ slug, position }: { slug: string; position: number }) {
  return db
    .selectFrom("item_charts")
    .innerJoin("items", "items.id", "item_charts.item_id")
    .select(["item_charts.title", "item_charts.csv", "items.updated_at"])
    .where("items.slug", "=", slug)
    .where("items.status", "=", "published")
    .where("item_charts.position", "=", position)
    .executeTakeFirst();
}

/**
 * Attaches an uploaded dataset to an item and draws the item's charts again with it.
 * Returns the stored file name and any chart blocks that still cannot be drawn.
 */
export async function attachDataset({
  itemId,
  userId,
  fileName,
  bytes,
  provenance,
}: {
  itemId: number;
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  provenance: DatasetProvenance;
}) {
  const prepared = prepareDataset({ fileName, bytes });
  return writeTransaction(async (trx) => {
    const storedName = await freeDatasetFileName(trx, { itemId, fileName: prepared.fileName });
    await upsertDataset(trx, {
      itemId,
      dataset: { ...provenance, prepared: { ...prepared, fileName: storedName } },
      origin: "upload",
      userId,
    });
    const { chartProblems } = await rerenderItem(trx, { itemId });
    return { fileName: storedName, notes: prepared.notes, chartProblems };
  });
}

/**
 * Removes a dataset attached in the browser and draws the item's charts again without it.
 * Datasets imported from content/ are removed by editing the content file instead.
 */
export async function removeUploadedDataset({ itemId, fileName }: { itemId: number; fileName: string }) {
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
    await trx.deleteFrom("datasets").where("id", "=", dataset.id).execute();
    return rerenderItem(trx, { itemId });
  });
}
