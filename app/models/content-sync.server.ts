import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { type DB, writeTransaction } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

import { type ContentProblem, parseContentFile } from "./content-file.server";
import { saveItem } from "./item.server";
import { type ItemMeta, SlugSchema } from "./item-schema";
import { ITEM_TYPE_FOLDERS, type ItemType } from "./vocabulary";

export type ContentFile = { path: string; slug: string; hash: string; meta: ItemMeta; body: string };

export type SyncReport = { added: string[]; updated: string[]; archived: string[]; unchanged: number };

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
        report({ field: "(file name)", message: "name the file in lower-case words joined by hyphens, like my-item.md" });
        continue;
      }
      const text = await readFile(path.join(directory, name), "utf8");
      const parsed = parseContentFile(text);
      if (!parsed.ok) {
        parsed.problems.forEach(report);
        continue;
      }
      if (parsed.meta.type !== type) {
        report({ field: "type", message: `is "${parsed.meta.type}" but the file is in ${folder}/, which holds ${type} items` });
        continue;
      }
      const clash = seen.get(slug);
      if (clash) {
        report({ field: "(file name)", message: `the slug "${slug}" is already used by ${clash}` });
        continue;
      }
      seen.set(slug, relative);
      const hash = createHash("sha256").update(text).digest("hex");
      files.push({ path: relative, slug, hash, meta: parsed.meta, body: parsed.body });
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
  const report: SyncReport = { added: [], updated: [], archived: [], unchanged: 0 };

  await writeTransaction(async (trx: DB) => {
    const known = await trx
      .selectFrom("items")
      .select(["slug", "source_path", "source_hash", "status"])
      .execute();
    const bySlug = new Map(known.map((row) => [row.slug, row]));
    for (const file of files) {
      const existing = bySlug.get(file.slug);
      if (existing && existing.source_path === file.path && existing.source_hash === file.hash) {
        report.unchanged += 1;
        continue;
      }
      await saveItem(trx, {
        slug: file.slug,
        meta: file.meta,
        body: file.body,
        source: { path: file.path, hash: file.hash },
        note: `Imported from ${file.path}`,
      });
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
