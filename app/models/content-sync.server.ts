import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { DataProblem } from "~/datasets/data-table";
import { type DB, writeTransaction } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

import { type ContentProblem, parseContentFile } from "./content-file.server";
import { type DatasetWrite, prepareDataset } from "./dataset.server";
import { type ItemMeta, SlugSchema } from "./item-schema";
import { saveItem } from "./item.server";
import { ITEM_TYPE_FOLDERS, type ItemType } from "./vocabulary";

export type ContentFile = {
  path: string;
  slug: string;
  hash: string;
  meta: ItemMeta;
  body: string;
  /** For data stories: the files in content/data its front matter names. */
  datasets?: DatasetWrite[];
};

type SyncReport = {
  added: string[];
  updated: string[];
  archived: string[];
  unchanged: number;
  /** Chart blocks that could not be drawn; the items are imported, with the problem shown in place. */
  chartProblems: { file: string; message: string }[];
};

/** Where data stories' `datasets[].file` live, relative to the content folder. */
const DATA_FOLDER = "data";

export class ContentValidationError extends Error {
  constructor(readonly problems: { file: string; field: string; message: string }[]) {
    super(
      `Content import stopped: ${problems.length} problem${problems.length === 1 ? "" : "s"} found, nothing was changed.\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join("\n"),
    );
    this.name = "ContentValidationError";
  }
}

/** Reads and validates every content file; throws one error listing every problem. */
export async function readContentFolder(root: string): Promise<ContentFile[]> {
  const files: ContentFile[] = [];
  const problems: ContentValidationError["problems"] = [];
  const seen = new Map<string, string>();

  for (const [type, folder] of Object.entries(ITEM_TYPE_FOLDERS) as [ItemType, string][]) {
    const directory = path.join(root, folder);
    const names = await readdir(directory).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(".md")).sort()) {
      const relative = path.posix.join("content", folder, name);
      const report = (problem: ContentProblem) => problems.push({ file: relative, ...problem });
      const slug = name.slice(0, -3);
      if (!SlugSchema.safeParse(slug).success) {
        report({
          field: "(file name)",
          message: "name the file in lower-case words joined by hyphens, like my-item.md",
        });
        continue;
      }
      const text = await readFile(path.join(directory, name), "utf8");
      const parsed = parseContentFile(text);
      if (!parsed.ok) {
        parsed.problems.forEach(report);
        continue;
      }
      if (parsed.meta.type !== type) {
        report({
          field: "type",
          message: `is "${parsed.meta.type}" but the file is in ${folder}/, which holds ${type} items`,
        });
        continue;
      }
      const clash = seen.get(slug);
      if (clash) {
        report({ field: "(file name)", message: `the slug "${slug}" is already used by ${clash}` });
        continue;
      }
      seen.set(slug, relative);
      const hash = createHash("sha256").update(text);
      let datasets: DatasetWrite[] | undefined;
      if (parsed.meta.type === "data-story") {
        datasets = [];
        for (const [index, reference] of parsed.meta.datasets.entries()) {
          if (!reference.file) continue;
          const field = `datasets.${index}.file`;
          const bytes = await readFile(path.join(root, DATA_FOLDER, reference.file)).catch(() => null);
          if (!bytes) {
            report({ field, message: `content/${DATA_FOLDER}/${reference.file} does not exist` });
            continue;
          }
          try {
            const prepared = prepareDataset({ fileName: reference.file, bytes });
            if (prepared.fileName !== reference.file) {
              report({
                field,
                message: `name the file in lower-case words joined by hyphens, like ${prepared.fileName}`,
              });
              continue;
            }
            datasets.push({
              prepared,
              title: reference.title,
              publisher: reference.publisher,
              sourceUrl: reference.source_url,
              licence: reference.licence,
              attribution: reference.attribution,
            });
            // A changed data file changes the item, so its charts are drawn again.
            hash.update(`\0${prepared.fileName}\0${prepared.sha256}`);
          } catch (error) {
            if (!(error instanceof DataProblem)) throw error;
            report({ field, message: error.message });
          }
        }
      }
      files.push({ path: relative, slug, hash: hash.digest("hex"), meta: parsed.meta, body: parsed.body, datasets });
    }
  }
  if (problems.length > 0) throw new ContentValidationError(problems);
  return files;
}

/**
 * Makes the database match content/: adds new files, updates changed ones, archives items
 * whose file was removed. All or nothing: a bad file leaves the database as it was.
 */
export async function syncContent({ root }: { root: string }) {
  const files = await readContentFolder(root);
  const report: SyncReport = { added: [], updated: [], archived: [], unchanged: 0, chartProblems: [] };

  await writeTransaction(async (trx: DB) => {
    const known = await trx.selectFrom("items").select(["slug", "source_path", "source_hash", "status"]).execute();
    const bySlug = new Map(known.map((row) => [row.slug, row]));
    for (const file of files) {
      const existing = bySlug.get(file.slug);
      if (existing && existing.source_path === file.path && existing.source_hash === file.hash) {
        report.unchanged += 1;
        continue;
      }
      const saved = await saveItem(trx, {
        slug: file.slug,
        meta: file.meta,
        body: file.body,
        source: { path: file.path, hash: file.hash },
        note: `Imported from ${file.path}`,
        contentDatasets: file.datasets,
      });
      for (const problem of saved.chartProblems) {
        report.chartProblems.push({
          file: file.path,
          message: `chart ${problem.position}${problem.line === null ? "" : ` (line ${problem.line} of the body)`}: ${problem.message}`,
        });
      }
      (existing ? report.updated : report.added).push(file.path);
    }
    const present = new Set(files.map((file) => file.path));
    for (const row of known) {
      if (row.source_path && !present.has(row.source_path) && row.status !== "archived") {
        await trx
          .updateTable("items")
          .set({ status: "archived", source_path: null, updated_at: nowIso() })
          .where("slug", "=", row.slug)
          .execute();
        report.archived.push(row.source_path);
      }
    }
  });
  return report;
}
