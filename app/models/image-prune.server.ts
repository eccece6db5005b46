import { sql } from "kysely";

import { db, type DB, writeTransaction } from "~/db/client.server";

export const IMAGE_PRUNE_GRACE_HOURS = 24;

/**
 * Every text that can show an uploaded image: whatever is rendered as markdown (items and their
 * revisions, drafts and previews included, posts and their revisions) and the free text beside it.
 * A mention anywhere keeps the image; an unneeded image kept costs less than a broken one.
 */
const REFERENCING_COLUMNS = [
  { table: "items", column: "body_markdown" },
  { table: "items", column: "fields_json" },
  { table: "items", column: "summary" },
  { table: "item_revisions", column: "body_markdown" },
  { table: "item_revisions", column: "meta_json" },
  { table: "posts", column: "body_markdown" },
  { table: "post_revisions", column: "body_markdown" },
  { table: "communities", column: "description" },
  { table: "users", column: "bio" },
] as const;

// The same test as `isImageReferenced`'s instr(): "/images/" then the image's 32-character id.
const IMAGE_REFERENCE = /\/images\/([a-f0-9]{32})/g;

export type UnreferencedImage = { id: string; url: string; byteSize: number; uploadedAt: string };

const EXTENSIONS = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as const;

function uploadedBefore({ olderThanHours, now }: { olderThanHours: number; now: Date }) {
  return new Date(now.getTime() - olderThanHours * 60 * 60 * 1000).toISOString();
}

/** The ids of every image some text mentions, read in one pass over each column. */
async function referencedImageIds() {
  const ids = new Set<string>();
  for (const { table, column } of REFERENCING_COLUMNS) {
    const texts = db
      .selectFrom(table)
      .select(sql<string | null>`${sql.ref(column)}`.as("text"))
      .where(sql<boolean>`instr(${sql.ref(column)}, '/images/') > 0`)
      .stream(200);
    for await (const { text } of texts) {
      for (const match of text?.matchAll(IMAGE_REFERENCE) ?? []) ids.add(match[1]!);
    }
  }
  return ids;
}

/** Stored images that no text mentions and that were uploaded more than `olderThanHours` ago. */
export async function listUnreferencedImages({
  olderThanHours = IMAGE_PRUNE_GRACE_HOURS,
  now = new Date(),
}: { olderThanHours?: number; now?: Date } = {}) {
  const cutoff = uploadedBefore({ olderThanHours, now });
  const oldImages = await db
    .selectFrom("item_images")
    .select(["id", "content_type", "byte_size", "created_at"])
    .where("created_at", "<", cutoff)
    .orderBy("created_at")
    .execute();
  if (oldImages.length === 0) return [];
  const referenced = await referencedImageIds();
  return oldImages
    .filter((image) => !referenced.has(image.id))
    .map((image): UnreferencedImage => ({
      id: image.id,
      url: `/images/${image.id}.${EXTENSIONS[image.content_type]}`,
      byteSize: image.byte_size,
      uploadedAt: image.created_at,
    }));
}

async function isImageReferenced(trx: DB, id: string) {
  const needle = `/images/${id}`;
  for (const { table, column } of REFERENCING_COLUMNS) {
    const hit = await trx
      .selectFrom(table)
      .select(sql<number>`1`.as("hit"))
      .where(sql<boolean>`instr(${sql.ref(column)}, ${needle}) > 0`)
      .limit(1)
      .executeTakeFirst();
    if (hit) return true;
  }
  return false;
}

/**
 * Deletes one image if, under the write lock, it is still unmentioned and still older than the
 * grace period: an editor may have saved it into an item, or uploaded it again, since it was listed.
 */
export async function deleteImageIfUnreferenced({
  id,
  olderThanHours = IMAGE_PRUNE_GRACE_HOURS,
  now = new Date(),
}: {
  id: string;
  olderThanHours?: number;
  now?: Date;
}) {
  const cutoff = uploadedBefore({ olderThanHours, now });
  return writeTransaction(async (trx) => {
    const image = await trx.selectFrom("item_images").select("created_at").where("id", "=", id).executeTakeFirst();
    if (!image || image.created_at >= cutoff || (await isImageReferenced(trx, id))) return false;
    await trx.deleteFrom("item_images").where("id", "=", id).execute();
    return true;
  });
}

export type PruneResult = {
  found: UnreferencedImage[];
  removed: UnreferencedImage[];
  keptSinceListed: UnreferencedImage[];
};

/** Lists unmentioned images past the grace period and, with `apply`, deletes each one still unmentioned. */
export async function pruneImages({
  olderThanHours = IMAGE_PRUNE_GRACE_HOURS,
  apply = false,
  now = new Date(),
}: { olderThanHours?: number; apply?: boolean; now?: Date } = {}): Promise<PruneResult> {
  const found = await listUnreferencedImages({ olderThanHours, now });
  const result: PruneResult = { found, removed: [], keptSinceListed: [] };
  if (!apply) return result;
  for (const image of found) {
    const isRemoved = await deleteImageIfUnreferenced({ id: image.id, olderThanHours, now });
    (isRemoved ? result.removed : result.keptSinceListed).push(image);
  }
  return result;
}
