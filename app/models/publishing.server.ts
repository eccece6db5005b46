import { randomBytes } from "node:crypto";

import { type DB, db, writeTransaction } from "~/db/client.server";
import { RenderRefused } from "~/rendering/render-refused";
import { renderItemBody } from "~/rendering/render.server";
import { nowIso } from "~/utils/dates";
import { slugify } from "~/utils/slug";
import { parseStoredJson } from "~/utils/stored-json";

import type { Actor } from "./actor.server";
import { parseContentFile, serialiseContentFile } from "./content-file.server";
import { DiscussionError } from "./discussion-access.server";
import { isWrittenBy, requireCanEditItem } from "./item-permissions.server";
import {
  isRenderCurrent,
  ItemBodyProblem,
  readChartDatasets,
  renderThenWrite,
  requireDrawableCharts,
  STALE_RENDER,
} from "./item-render.server";
import { type Author, BODY_MAX_LENGTH, type ItemMeta, type ItemMetaInput, ItemMetaSchema } from "./item-schema";
import { saveItem } from "./item.server";
import { enforcePostingLimit } from "./posting-limit.server";
import type { ItemStatus, ItemType } from "./vocabulary";

export type EditableItem = {
  id: number;
  slug: string;
  type: ItemType;
  status: ItemStatus;
  version: number;
  previewToken: string | null;
  createdByUserId: string | null;
  reviewBy: string | null;
  updatedAt: string;
  meta: ItemMeta;
  body: string;
  authorIds: number[];
};

function newPreviewToken() {
  return randomBytes(18).toString("base64url");
}

/** The item an old slug now belongs to, whatever its status: the caller decides who may follow it. */
export async function findMovedItem({ slug }: { slug: string }) {
  return db
    .selectFrom("item_slug_redirects")
    .innerJoin("items", "items.id", "item_slug_redirects.item_id")
    .select(["items.id", "items.slug", "items.status"])
    .where("item_slug_redirects.slug", "=", slug)
    .executeTakeFirst();
}

/** An item as its editor sees it, whatever its status: the newest revision's metadata and body. */
export async function getEditableItem({ slug }: { slug: string }): Promise<EditableItem | undefined> {
  const row = await db
    .selectFrom("items")
    .select([
      "id",
      "slug",
      "type",
      "status",
      "version",
      "preview_token",
      "created_by_user_id",
      "review_by",
      "updated_at",
      "body_markdown",
    ])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!row) return undefined;
  const revision = await db
    .selectFrom("item_revisions")
    .select("meta_json")
    .where("item_id", "=", row.id)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  const authors = await db
    .selectFrom("item_authors")
    .select("author_id")
    .where("item_id", "=", row.id)
    .orderBy("position")
    .execute();
  // Status, review date and slug can change without new text, so the row has the last word.
  const stored = parseStoredJson(ItemMetaSchema, revision.meta_json, `The metadata of item ${row.id}`);
  const meta = ItemMetaSchema.parse({ ...stored, status: row.status, review_by: row.review_by ?? undefined });
  return {
    id: row.id,
    slug: row.slug,
    type: row.type,
    status: row.status,
    version: row.version,
    previewToken: row.preview_token,
    createdByUserId: row.created_by_user_id,
    reviewBy: row.review_by,
    updatedAt: row.updated_at,
    meta,
    body: row.body_markdown,
    authorIds: authors.map((author) => author.author_id),
  };
}

/** The author row that credits this member, created from their display name and organisation. */
async function ensureAuthorForUser(trx: DB, user: Actor): Promise<{ id: number; author: Author }> {
  const existing = await trx
    .selectFrom("authors")
    .select(["id", "name", "organisation"])
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (existing) {
    return {
      id: existing.id,
      author: { name: existing.name, ...(existing.organisation ? { organisation: existing.organisation } : {}) },
    };
  }
  const profile = await profileOf(trx, user);
  const slug = await uniqueSlug(trx, "authors", slugify(profile.displayName));
  const inserted = await trx
    .insertInto("authors")
    .values({ slug, name: profile.displayName, organisation: profile.organisation, role: null, user_id: user.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  return {
    id: inserted.id,
    author: { name: profile.displayName, ...(profile.organisation ? { organisation: profile.organisation } : {}) },
  };
}

/** The acting member's name and organisation as they are now, for credits and edit notes. */
async function profileOf(trx: DB, user: Actor) {
  const row = await trx
    .selectFrom("users")
    .select(["display_name", "organisation"])
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  return { displayName: row.display_name, organisation: row.organisation };
}

async function uniqueSlug(trx: DB, table: "authors" | "items", base: string, exceptItemId?: number) {
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? base : `${base.slice(0, 110)}-${attempt}`;
    const taken =
      table === "authors"
        ? await trx.selectFrom("authors").select("id").where("slug", "=", candidate).executeTakeFirst()
        : ((await trx
            .selectFrom("items")
            .select("id")
            .where("slug", "=", candidate)
            .$if(exceptItemId !== undefined, (qb) => qb.where("id", "!=", exceptItemId!))
            .executeTakeFirst()) ??
          (await trx
            .selectFrom("item_slug_redirects")
            .select("item_id as id")
            .where("slug", "=", candidate)
            .$if(exceptItemId !== undefined, (qb) => qb.where("item_id", "!=", exceptItemId!))
            .executeTakeFirst()));
    if (!taken) return candidate;
  }
}

/** A new item by this member, credited to them. Drafts get a private preview link. */
export async function createItemFromEditor({
  meta,
  body,
  user,
  note,
}: {
  meta: ItemMeta;
  body: string;
  user: Actor;
  note?: string | null;
}) {
  const base = slugify(meta.title).slice(0, 100);
  return renderThenWrite(async () => {
    // A new item has no datasets yet; only its address (in chart download links) can change meanwhile.
    const slug = await uniqueSlug(db, "items", base);
    const rendered = await renderItemBody(body, { slug });
    requireDrawableCharts(rendered);
    return writeTransaction(async (trx) => {
      if ((await uniqueSlug(trx, "items", base)) !== slug) return STALE_RENDER;
      await enforcePostingLimit(trx, { userId: user.id, writing: "item" });
      const { id: authorId, author } = await ensureAuthorForUser(trx, user);
      const credited = { ...meta, authors: [author] };
      const saved = await saveItem(trx, {
        slug,
        meta: credited,
        body,
        rendered,
        userId: user.id,
        note: note ?? "Created",
        authorIds: [authorId],
      });
      await trx.updateTable("items").set({ preview_token: newPreviewToken() }).where("id", "=", saved.id).execute();
      await attachImages(trx, saved.id, body);
      return { id: saved.id, slug };
    });
  });
}

export type CurrentVersion = {
  version: number;
  title: string;
  summary: string;
  body: string;
  savedAt: string;
  savedBy: string | null;
};

export type UpdateOutcome =
  { kind: "saved"; slug: string; version: number } | { kind: "conflict"; current: CurrentVersion };

async function currentVersionOf(trx: DB, itemId: number): Promise<CurrentVersion> {
  const revision = await trx
    .selectFrom("item_revisions")
    .leftJoin("users", "users.id", "item_revisions.user_id")
    .select([
      "item_revisions.version",
      "item_revisions.title",
      "item_revisions.summary",
      "item_revisions.body_markdown",
      "item_revisions.created_at",
      "users.display_name",
    ])
    .where("item_revisions.item_id", "=", itemId)
    .orderBy("item_revisions.version", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    version: revision.version,
    title: revision.title,
    summary: revision.summary,
    body: revision.body_markdown,
    savedAt: revision.created_at,
    savedBy: revision.display_name,
  };
}

async function editNote(
  trx: DB,
  user: Actor,
  item: { createdByUserId: string | null },
  note: string | null | undefined,
  isAuthor: boolean,
) {
  if (isAuthor || item.createdByUserId === user.id) return note || null;
  const role = user.role === "admin" ? "an admin" : "a moderator";
  const { displayName } = await profileOf(trx, user);
  return `Edited by ${displayName} as ${role}${note ? `: ${note}` : ""}`;
}

async function isCreditedAuthor(trx: DB, itemId: number, userId: string) {
  const row = await trx
    .selectFrom("item_authors")
    .innerJoin("authors", "authors.id", "item_authors.author_id")
    .select("authors.id")
    .where("item_authors.item_id", "=", itemId)
    .where("authors.user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Saves an edit if nobody else saved since the editor loaded `expectedVersion`; otherwise
 * reports the version that got there first. A new title moves the slug; the old one redirects.
 */
export async function updateItemFromEditor({
  itemId,
  expectedVersion,
  meta,
  body,
  user,
  note,
}: {
  itemId: number;
  expectedVersion: number;
  meta: ItemMeta;
  body: string;
  user: Actor;
  note?: string | null;
}): Promise<UpdateOutcome> {
  await requireCanEditItem({ user, itemId });
  const conflict = async () =>
    ({
      kind: "conflict",
      current: await currentVersionOf(db, itemId),
    }) as const;
  return renderThenWrite<UpdateOutcome>(async () => {
    const item = await db
      .selectFrom("items")
      .select(["id", "slug", "version", "created_by_user_id", "source_path"])
      .where("id", "=", itemId)
      .executeTakeFirstOrThrow();
    if (item.version !== expectedVersion) return conflict();
    const slug = await slugForTitle(db, item, meta.title);
    const stored = await readChartDatasets(db, itemId, body);
    const rendered = await renderItemBody(body, { slug, datasets: stored.datasets });
    requireDrawableCharts(rendered);
    const outcome = await writeTransaction<UpdateOutcome | typeof STALE_RENDER | "conflict">(async (trx) => {
      const current = await trx
        .selectFrom("items")
        .select("version")
        .where("id", "=", itemId)
        .executeTakeFirstOrThrow();
      if (current.version !== expectedVersion) return "conflict";
      if (
        !(await isRenderCurrent(trx, { itemId, version: item.version, datasets: stored.signature })) ||
        (await slugForTitle(trx, item, meta.title)) !== slug
      )
        return STALE_RENDER;
      await enforcePostingLimit(trx, { userId: user.id, writing: "item" });
      const authorIds = await creditedAuthorIds(trx, itemId);
      await moveSlug(trx, item, slug);
      const isAuthor = await isCreditedAuthor(trx, itemId, user.id);
      const saved = await saveItem(trx, {
        slug,
        meta,
        body,
        rendered,
        userId: user.id,
        note: await editNote(trx, user, { createdByUserId: item.created_by_user_id }, note, isAuthor),
        authorIds,
      });
      await attachImages(trx, itemId, body);
      return { kind: "saved", slug, version: saved.version };
    });
    return outcome === "conflict" ? conflict() : outcome;
  });
}

/** The address an item would have with this title: its own, or a new one if the title moved on. */
async function slugForTitle(
  executor: DB,
  item: { id: number; slug: string; source_path: string | null },
  title: string,
) {
  // An item from content/ is addressed by its file name; moving it would make the next import a duplicate.
  if (item.source_path !== null) return item.slug;
  const wanted = slugify(title).slice(0, 100);
  if (wanted === item.slug || item.slug.startsWith(`${wanted}-`)) return item.slug;
  return uniqueSlug(executor, "items", wanted, item.id);
}

/** Moves an item to a new address, leaving a redirect at the old one. */
async function moveSlug(trx: DB, item: { id: number; slug: string }, slug: string) {
  if (slug === item.slug) return;
  await trx.deleteFrom("item_slug_redirects").where("slug", "=", slug).execute();
  await trx
    .insertInto("item_slug_redirects")
    .values({ slug: item.slug, item_id: item.id })
    .onConflict((oc) => oc.column("slug").doUpdateSet({ item_id: item.id }))
    .execute();
  await trx.updateTable("items").set({ slug }).where("id", "=", item.id).execute();
}

const STATUS_NOTES: Record<ItemStatus, string> = {
  published: "Published",
  draft: "Unpublished (back to draft)",
  archived: "Archived",
};

/**
 * Saves the item's current text again with changed metadata (a new status or review date), as a
 * revision recording who did it and why. The body is not rendered again: its text, address and
 * datasets are as they were, and taking an item down must never wait on rendering.
 */
async function resaveWithMeta(
  trx: DB,
  {
    itemId,
    user,
    change,
    describe,
  }: {
    itemId: number;
    user: Actor;
    change: (current: ItemMeta, status: ItemStatus) => ItemMetaInput;
    describe: string;
  },
) {
  const item = await trx
    .selectFrom("items")
    .select(["slug", "status", "created_by_user_id", "body_markdown", "review_by"])
    .where("id", "=", itemId)
    .executeTakeFirstOrThrow();
  const revision = await trx
    .selectFrom("item_revisions")
    .select("meta_json")
    .where("item_id", "=", itemId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  const current = {
    ...parseStoredJson(ItemMetaSchema, revision.meta_json, `The metadata of item ${itemId}`),
    review_by: item.review_by ?? undefined,
  };
  const meta = ItemMetaSchema.parse(change(current, item.status));
  const authorIds = (
    await trx.selectFrom("item_authors").select("author_id").where("item_id", "=", itemId).orderBy("position").execute()
  ).map((row) => row.author_id);
  const isAuthor = await isCreditedAuthor(trx, itemId, user.id);
  const note = await editNote(trx, user, { createdByUserId: item.created_by_user_id }, describe, isAuthor);
  await saveItem(trx, {
    slug: item.slug,
    meta,
    body: item.body_markdown,
    rendered: "unchanged",
    userId: user.id,
    note,
    authorIds,
  });
  return { slug: item.slug, previousStatus: item.status };
}

/**
 * Publishes, unpublishes or archives an item, recording who did it as a revision. Taking a
 * published item down gives it a new private link: the old one was for the draft it was before.
 */
export async function changeItemStatus({ itemId, status, user }: { itemId: number; status: ItemStatus; user: Actor }) {
  await requireCanEditItem({ user, itemId });
  return writeTransaction(async (trx) => {
    const { slug, previousStatus } = await resaveWithMeta(trx, {
      itemId,
      user,
      change: (current) => ({ ...current, status }),
      describe: STATUS_NOTES[status],
    });
    if (status === "published") {
      await trx
        .updateTable("items")
        .set((eb) => ({ published_at: eb.fn.coalesce("published_at", eb.val(nowIso())) }))
        .where("id", "=", itemId)
        .execute();
    }
    if (status !== "published") {
      await trx
        .updateTable("items")
        .set({ preview_token: newPreviewToken() })
        .where("id", "=", itemId)
        .$if(previousStatus !== "published", (query) => query.where("preview_token", "is", null))
        .execute();
    }
    return { slug };
  });
}

export type RevisionSummary = {
  version: number;
  title: string;
  note: string | null;
  createdAt: string;
  userName: string | null;
};

export async function listRevisions({ itemId }: { itemId: number }): Promise<RevisionSummary[]> {
  const rows = await db
    .selectFrom("item_revisions")
    .leftJoin("users", "users.id", "item_revisions.user_id")
    .select([
      "item_revisions.version",
      "item_revisions.title",
      "item_revisions.note",
      "item_revisions.created_at",
      "users.display_name",
    ])
    .where("item_revisions.item_id", "=", itemId)
    .orderBy("item_revisions.version", "desc")
    .execute();
  return rows.map((row) => ({
    version: row.version,
    title: row.title,
    note: row.note,
    createdAt: row.created_at,
    userName: row.display_name,
  }));
}

/** A revision as the text a writer would recognise: the content file it amounts to. */
export async function getRevisionText({ itemId, version }: { itemId: number; version: number }) {
  const row = await db
    .selectFrom("item_revisions")
    .select(["meta_json", "body_markdown"])
    .where("item_id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!row) return undefined;
  const meta = parseStoredJson(ItemMetaSchema, row.meta_json, `The metadata of item ${itemId} version ${version}`);
  return serialiseContentFile(meta, row.body_markdown);
}

/** Restores an old revision's text as a new revision; the status stays as it is now. */
/** The item's credited authors in their order. */
async function creditedAuthorIds(trx: DB, itemId: number) {
  const rows = await trx
    .selectFrom("item_authors")
    .select("author_id")
    .where("item_id", "=", itemId)
    .orderBy("position")
    .execute();
  return rows.map((row) => row.author_id);
}

export async function restoreRevision({ itemId, version, user }: { itemId: number; version: number; user: Actor }) {
  await requireCanEditItem({ user, itemId });
  const revision = await db
    .selectFrom("item_revisions")
    .select(["meta_json", "body_markdown"])
    .where("item_id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!revision) return undefined;
  const body = revision.body_markdown;
  return renderThenWrite(async () => {
    const item = await db
      .selectFrom("items")
      .select(["id", "slug", "status", "version", "created_by_user_id", "source_path"])
      .where("id", "=", itemId)
      .executeTakeFirstOrThrow();
    const restored = parseStoredJson(
      ItemMetaSchema,
      revision.meta_json,
      `The metadata of item ${itemId} version ${version}`,
    );
    const meta = ItemMetaSchema.parse({ ...restored, status: item.status });
    const slug = await slugForTitle(db, item, meta.title);
    const stored = await readChartDatasets(db, itemId, body);
    const rendered = await renderItemBody(body, { slug, datasets: stored.datasets });
    return writeTransaction(async (trx) => {
      if (
        !(await isRenderCurrent(trx, { itemId, version: item.version, datasets: stored.signature })) ||
        (await slugForTitle(trx, item, meta.title)) !== slug
      )
        return STALE_RENDER;
      await enforcePostingLimit(trx, { userId: user.id, writing: "item" });
      const authorIds = await creditedAuthorIds(trx, itemId);
      await moveSlug(trx, item, slug);
      const isAuthor = await isCreditedAuthor(trx, itemId, user.id);
      const note = await editNote(
        trx,
        user,
        { createdByUserId: item.created_by_user_id },
        `Restored version ${version}`,
        isAuthor,
      );
      const saved = await saveItem(trx, { slug, meta, body, rendered, userId: user.id, note, authorIds });
      return { slug, version: saved.version };
    });
  });
}

/**
 * Gives an item a new private link, so the old one stops working (it went further than its authors
 * meant, say). For those who may edit the item.
 */
export async function resetPreviewLink({ itemId, user }: { itemId: number; user: Actor }) {
  await requireCanEditItem({ user, itemId });
  return writeTransaction(async (trx) => {
    const { slug } = await trx
      .updateTable("items")
      .set({ preview_token: newPreviewToken() })
      .where("id", "=", itemId)
      .returning("slug")
      .executeTakeFirstOrThrow();
    return { slug };
  });
}

/** A draft (or unpublished item) shown to whoever holds its private link. */
export async function getItemByPreviewToken({ token }: { token: string }) {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return undefined;
  const row = await db
    .selectFrom("items")
    .select(["slug", "status"])
    .where("preview_token", "=", token)
    .executeTakeFirst();
  return row;
}

/** The item in exactly the content/ file format, with its folder and file name. */
export async function contentFileFor({ slug }: { slug: string }) {
  const item = await getEditableItem({ slug });
  if (!item) return undefined;
  const row = await db.selectFrom("items").select(["published_at"]).where("id", "=", item.id).executeTakeFirstOrThrow();
  const meta: ItemMeta = {
    ...item.meta,
    ...(row.published_at && !item.meta.published ? { published: row.published_at.slice(0, 10) } : {}),
  };
  return { item, fileName: `${item.slug}.md`, text: serialiseContentFile(meta, item.body) };
}

export type WorkItem = {
  slug: string;
  title: string;
  type: ItemType;
  status: ItemStatus;
  updatedAt: string;
  reviewBy: string | null;
  previewToken: string | null;
};

/** Everything this member created or is credited on, newest first. */
export async function listMyWork({ userId }: { userId: string }): Promise<WorkItem[]> {
  const rows = await db
    .selectFrom("items")
    .select(["slug", "title", "type", "status", "updated_at", "review_by", "preview_token"])
    .where((eb) => isWrittenBy(eb, userId))
    .orderBy("updated_at", "desc")
    .execute();
  return rows.map((row) => ({
    slug: row.slug,
    title: row.title,
    type: row.type,
    status: row.status,
    updatedAt: row.updated_at,
    reviewBy: row.review_by,
    previewToken: row.preview_token,
  }));
}

/** Confirms an item is still right: moves its review date on, recorded as a revision. */
export async function markItemReviewed({ itemId, reviewBy, user }: { itemId: number; reviewBy: string; user: Actor }) {
  await requireCanEditItem({ user, itemId });
  return writeTransaction((trx) =>
    resaveWithMeta(trx, {
      itemId,
      user,
      change: (current, status) => ({ ...current, status, review_by: reviewBy }),
      describe: `Reviewed: still right; next review by ${reviewBy}`,
    }),
  );
}

/** Links uploaded images that the body now shows to this item, so they live and go with it. */
async function attachImages(trx: DB, itemId: number, body: string) {
  const ids = [...body.matchAll(/\/images\/([a-f0-9]{32})\.(?:png|jpg|webp)/g)].map((match) => match[1]!);
  if (ids.length === 0) return;
  await trx
    .updateTable("item_images")
    .set({ item_id: itemId })
    .where("id", "in", ids)
    .where("item_id", "is", null)
    .execute();
}

export type FileImportResult =
  { ok: true; slug: string } | { ok: false; problems: { field: string; message: string }[] };

/**
 * Starts a new draft from a content file, validated exactly as content/ files are. The uploader
 * becomes its author; it stays a draft until they publish it.
 */
export async function createItemFromFile({ text, user }: { text: string; user: Actor }): Promise<FileImportResult> {
  const parsed = parseContentFile(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  if (parsed.body.length > BODY_MAX_LENGTH) {
    return {
      ok: false,
      problems: [{ field: "(body)", message: `the body must be at most ${BODY_MAX_LENGTH} characters` }],
    };
  }
  try {
    const created = await createItemFromEditor({
      meta: { ...parsed.meta, status: "draft" },
      body: parsed.body,
      user,
      note: "Created from an uploaded file",
    });
    return { ok: true, slug: created.slug };
  } catch (error) {
    if (error instanceof ItemBodyProblem || error instanceof RenderRefused)
      return { ok: false, problems: [{ field: "(body)", message: error.message }] };
    // The posting limit for new accounts.
    if (error instanceof DiscussionError) return { ok: false, problems: [{ field: "file", message: error.message }] };
    throw error;
  }
}
