import { sql } from "kysely";

import { type DB, db } from "~/db/client.server";
import { type TocEntry, TocSchema } from "~/markdown/render.server";
import type { RenderedItemBody } from "~/rendering/item-body.server";
import { renderItemBody } from "~/rendering/render.server";
import { nowIso } from "~/utils/dates";
import { slugify } from "~/utils/slug";
import { parseStoredJson } from "~/utils/stored-json";

import { type DatasetWrite, removeStaleContentDatasets, upsertDataset } from "./dataset.server";
import { readChartDatasets, replaceCharts } from "./item-render.server";
import { type ItemMeta, type StructuredFields, StructuredFieldsSchema, structuredFieldsOf } from "./item-schema";
import type { ItemStatus, ItemType, Theme } from "./vocabulary";

type AuthorRef = { name: string; slug: string; organisation: string | null; role: string | null };

export type ItemCard = {
  id: number;
  type: ItemType;
  slug: string;
  title: string;
  summary: string;
  publishedAt: string | null;
  updatedAt: string;
  reviewBy: string | null;
  wordCount: number;
  themes: Theme[];
  tags: string[];
  authors: AuthorRef[];
};

type ItemPage = ItemCard & {
  status: ItemStatus;
  bodyHtml: string;
  toc: TocEntry[];
  fields: StructuredFields;
  licence: string;
  version: number;
};

const ITEMS_PER_PAGE = 12;

type FacetCount = { value: string; count: number };

export type LibraryFilters = {
  type?: string;
  theme?: string;
  tag?: string;
  authorSlug?: string;
};

export type LibraryPage = {
  items: ItemCard[];
  total: number;
  page: number;
  pageCount: number;
  facets: { type: FacetCount[]; theme: FacetCount[]; tag: FacetCount[] };
};

/** The columns toCards needs: every list of items selects at least these. */
export const CARD_COLUMNS = [
  "items.id",
  "items.type",
  "items.slug",
  "items.title",
  "items.summary",
  "items.published_at",
  "items.updated_at",
  "items.review_by",
  "items.word_count",
] as const;

function publishedItems(filters: LibraryFilters, except?: keyof LibraryFilters) {
  let query = db.selectFrom("items").where("items.status", "=", "published");
  const { type, theme, tag, authorSlug } = filters;
  if (type !== undefined && except !== "type") query = query.where("items.type", "=", type as ItemType);
  if (theme !== undefined && except !== "theme") {
    query = query.where("items.id", "in", (eb) =>
      eb
        .selectFrom("item_themes")
        .select("item_id")
        .where("theme", "=", theme as Theme),
    );
  }
  if (tag !== undefined && except !== "tag") {
    query = query.where("items.id", "in", (eb) => eb.selectFrom("item_tags").select("item_id").where("tag", "=", tag));
  }
  if (authorSlug !== undefined) {
    query = query.where("items.id", "in", (eb) =>
      eb
        .selectFrom("item_authors")
        .innerJoin("authors", "authors.id", "item_authors.author_id")
        .select("item_authors.item_id")
        .where("authors.slug", "=", authorSlug),
    );
  }
  return query;
}

/** A page of published items matching the filters, with counts for each filter value. */
export async function listLibrary({
  filters,
  page,
  perPage = ITEMS_PER_PAGE,
}: {
  filters: LibraryFilters;
  page: number;
  perPage?: number;
}): Promise<LibraryPage> {
  const base = publishedItems(filters);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const rows =
    page > pageCount
      ? []
      : await base
          .select(CARD_COLUMNS)
          .orderBy("items.published_at", "desc")
          .orderBy("items.id", "desc")
          .limit(perPage)
          .offset((page - 1) * perPage)
          .execute();

  const [type, theme, tag] = await Promise.all([
    publishedItems(filters, "type")
      .select(["items.type as value", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy("items.type")
      .orderBy("count", "desc")
      .execute(),
    publishedItems(filters, "theme")
      .innerJoin("item_themes", "item_themes.item_id", "items.id")
      .select(["item_themes.theme as value", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy("item_themes.theme")
      .orderBy("count", "desc")
      .execute(),
    publishedItems(filters, "tag")
      .innerJoin("item_tags", "item_tags.item_id", "items.id")
      .select(["item_tags.tag as value", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy("item_tags.tag")
      .orderBy("count", "desc")
      .orderBy("item_tags.tag")
      .limit(40)
      .execute(),
  ]);

  return {
    items: await toCards(rows),
    total,
    page,
    pageCount,
    facets: { type, theme, tag },
  };
}

/** The newest published items of each type, for the home page. */
export async function listLatestByType({ perType = 3 } = {}) {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("items")
        .select([
          ...CARD_COLUMNS,
          sql<number>`row_number() over (partition by items.type order by items.published_at desc, items.id desc)`.as(
            "rank",
          ),
        ])
        .where("items.status", "=", "published")
        .as("ranked"),
    )
    .selectAll()
    .where("rank", "<=", perType)
    .orderBy("published_at", "desc")
    .execute();
  const cards = await toCards(rows);
  return {
    "case-study": cards.filter((card) => card.type === "case-study"),
    tip: cards.filter((card) => card.type === "tip"),
    "data-story": cards.filter((card) => card.type === "data-story"),
  } satisfies Record<ItemType, ItemCard[]>;
}

/** Every tag in use on published items, most used first. */
export async function listTags() {
  return db
    .selectFrom("item_tags")
    .innerJoin("items", "items.id", "item_tags.item_id")
    .where("items.status", "=", "published")
    .select(["item_tags.tag as tag", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("item_tags.tag")
    .orderBy("count", "desc")
    .orderBy("item_tags.tag")
    .execute();
}

export async function getAuthorBySlug({ slug }: { slug: string }) {
  return db
    .selectFrom("authors")
    .select(["id", "slug", "name", "organisation", "role", "user_id"])
    .where("slug", "=", slug)
    .executeTakeFirst();
}

export type ItemLookup = { kind: "found"; item: ItemPage } | { kind: "moved"; slug: string } | { kind: "missing" };

/** A published item by slug, following renames. `anyStatus` also finds drafts and archived items (for previews). */
export async function getPublishedItem({
  slug,
  anyStatus = false,
}: {
  slug: string;
  anyStatus?: boolean;
}): Promise<ItemLookup> {
  const row = await db
    .selectFrom("items")
    .select([
      ...CARD_COLUMNS,
      "items.status",
      "items.body_html",
      "items.toc_json",
      "items.fields_json",
      "items.licence",
      "items.version",
    ])
    .where("items.slug", "=", slug)
    .$if(!anyStatus, (query) => query.where("items.status", "=", "published"))
    .executeTakeFirst();
  if (row) {
    const [card] = await toCards([row]);
    return {
      kind: "found",
      item: {
        ...card!,
        status: row.status,
        bodyHtml: row.body_html,
        toc: parseStoredJson(TocSchema, row.toc_json, `The contents list of item ${row.id}`),
        fields: parseStoredJson(StructuredFieldsSchema, row.fields_json, `The fields of item ${row.id}`),
        licence: row.licence,
        version: row.version,
      },
    };
  }
  return findRenamedItem({ slug });
}

/** Where an old slug of a published item now points, for a permanent redirect; "missing" when nowhere. */
export async function findRenamedItem({ slug }: { slug: string }) {
  const moved = await db
    .selectFrom("item_slug_redirects")
    .innerJoin("items", "items.id", "item_slug_redirects.item_id")
    .select("items.slug")
    .where("item_slug_redirects.slug", "=", slug)
    .where("items.status", "=", "published")
    .executeTakeFirst();
  return moved ? ({ kind: "moved", slug: moved.slug } as const) : ({ kind: "missing" } as const);
}

export type CardRow = {
  id: number;
  type: ItemType;
  slug: string;
  title: string;
  summary: string;
  published_at: string | null;
  updated_at: string;
  review_by: string | null;
  word_count: number;
};

export async function toCards(rows: CardRow[]): Promise<ItemCard[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [themes, tags, authors] = await Promise.all([
    db.selectFrom("item_themes").select(["item_id", "theme"]).where("item_id", "in", ids).execute(),
    db.selectFrom("item_tags").select(["item_id", "tag"]).where("item_id", "in", ids).orderBy("tag").execute(),
    db
      .selectFrom("item_authors")
      .innerJoin("authors", "authors.id", "item_authors.author_id")
      .select(["item_authors.item_id", "authors.name", "authors.slug", "authors.organisation", "authors.role"])
      .where("item_authors.item_id", "in", ids)
      .orderBy("item_authors.position")
      .execute(),
  ]);
  const themeOrder: Theme[] = ["upstream", "downstream", "partnership"];
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    reviewBy: row.review_by,
    wordCount: row.word_count,
    themes: themes
      .filter((theme) => theme.item_id === row.id)
      .map((theme) => theme.theme)
      .sort((a, b) => themeOrder.indexOf(a) - themeOrder.indexOf(b)),
    tags: tags.filter((tag) => tag.item_id === row.id).map((tag) => tag.tag),
    authors: authors
      .filter((author) => author.item_id === row.id)
      .map(({ name, slug, organisation, role }) => ({ name, slug, organisation, role })),
  }));
}

export type SaveItemInput = {
  slug: string;
  meta: ItemMeta;
  body: string;
  source?: { path: string; hash: string };
  userId?: string | null;
  note?: string | null;
  /** Author rows to credit, in order, instead of matching meta.authors by name (the editor knows them). */
  authorIds?: number[];
  /** Datasets the content files declare (`datasets[].file`); uploaded datasets are kept as they are. */
  contentDatasets?: DatasetWrite[];
  /**
   * The body rendered (outside the write lock) with the datasets the item will have once saved, or
   * "unchanged" when the body, address and datasets are as they were (a status change, say).
   */
  rendered: RenderedItemBody | "unchanged";
};

export async function getItemIdBySlug({ slug }: { slug: string }) {
  const row = await db.selectFrom("items").select("id").where("slug", "=", slug).executeTakeFirst();
  return row?.id;
}

/**
 * Renders markdown exactly as saving it would, with the datasets already attached to the item
 * (if it exists yet): for the editor's preview, so charts look as they will when published.
 */
export async function previewItemBody({ slug, body }: { slug?: string; body: string }) {
  const itemId = slug === undefined ? undefined : await getItemIdBySlug({ slug });
  const { datasets } = await readChartDatasets(db, itemId, body);
  return renderItemBody(body, { slug, datasets });
}

/** The chart blocks in an item's stored markdown that cannot be drawn with its datasets as they are. */
export async function listChartProblems({ itemId }: { itemId: number }) {
  const item = await db
    .selectFrom("items")
    .select(["slug", "body_markdown"])
    .where("id", "=", itemId)
    .executeTakeFirstOrThrow();
  const { datasets } = await readChartDatasets(db, itemId, item.body_markdown);
  return (await renderItemBody(item.body_markdown, { slug: item.slug, datasets })).chartProblems;
}

/** An item's identity and who made it, by its current slug, whatever its status. */
export async function findItemBySlug({ slug }: { slug: string }) {
  return db
    .selectFrom("items")
    .select(["id", "slug", "type", "title", "status"])
    .where("slug", "=", slug)
    .executeTakeFirst();
}

function dayToTimestamp(day: string | undefined) {
  return day ? `${day}T00:00:00.000Z` : undefined;
}

/**
 * Creates or updates the item with this slug from validated metadata, markdown and its rendering,
 * and records the new version as a revision. Call inside a transaction.
 */
export async function saveItem(trx: DB, input: SaveItemInput) {
  const { slug, meta, body, rendered, source, userId = null, note = null, authorIds, contentDatasets } = input;
  const fields = structuredFieldsOf(meta);
  const now = nowIso();
  const existing = await trx
    .selectFrom("items")
    .select(["id", "version", "published_at", "created_at"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (rendered === "unchanged" && !existing) throw new Error(`A new item (${slug}) needs its body rendered.`);
  const publishedAt =
    dayToTimestamp(meta.published) ?? existing?.published_at ?? (meta.status === "published" ? now : null);
  const row = {
    type: meta.type,
    slug,
    title: meta.title,
    summary: meta.summary,
    body_markdown: body,
    ...(rendered === "unchanged"
      ? {}
      : { body_html: rendered.html, toc_json: JSON.stringify(rendered.toc), word_count: rendered.wordCount }),
    fields_json: JSON.stringify(fields),
    organisation_type: "organisation_type" in fields ? fields.organisation_type : null,
    nation: "nation" in fields ? fields.nation : null,
    region: "region" in fields ? (fields.region ?? null) : null,
    regime: "regime" in fields ? fields.regime : null,
    procedure: "procedure" in fields ? (fields.procedure ?? null) : null,
    contract_category: "contract_category" in fields ? (fields.contract_category ?? null) : null,
    value_band: "value_band" in fields ? (fields.value_band ?? null) : null,
    status: meta.status,
    licence: meta.licence,
    review_by: meta.review_by ?? null,
    published_at: publishedAt,
    updated_at: dayToTimestamp(meta.updated) ?? (source ? (publishedAt ?? now) : now),
    ...(source ? { source_path: source.path, source_hash: source.hash } : {}),
  };

  let itemId: number;
  let version: number;
  if (existing) {
    itemId = existing.id;
    version = existing.version + 1;
    await trx
      .updateTable("items")
      .set({ ...row, version })
      .where("id", "=", itemId)
      .execute();
    await trx.deleteFrom("item_themes").where("item_id", "=", itemId).execute();
    await trx.deleteFrom("item_tags").where("item_id", "=", itemId).execute();
    await trx.deleteFrom("item_authors").where("item_id", "=", itemId).execute();
  } else {
    version = 1;
    const inserted = await trx
      .insertInto("items")
      .values({ body_html: "", ...row, created_at: now, created_by_user_id: userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    itemId = inserted.id;
  }

  await trx
    .insertInto("item_themes")
    .values(meta.themes.map((theme) => ({ item_id: itemId, theme })))
    .execute();
  if (meta.tags.length > 0) {
    await trx
      .insertInto("item_tags")
      .values(meta.tags.map((tag) => ({ item_id: itemId, tag })))
      .execute();
  }
  for (const [position, author] of meta.authors.entries()) {
    const authorId = authorIds?.[position] ?? (await upsertAuthor(trx, author));
    await trx
      .insertInto("item_authors")
      .values({ item_id: itemId, author_id: authorId, position })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (contentDatasets) {
    for (const dataset of contentDatasets) await upsertDataset(trx, { itemId, dataset, origin: "content" });
    await removeStaleContentDatasets(trx, {
      itemId,
      keep: contentDatasets.map((dataset) => dataset.prepared.fileName),
    });
  }
  if (rendered !== "unchanged") await replaceCharts(trx, itemId, rendered.charts);
  await trx
    .insertInto("item_revisions")
    .values({
      item_id: itemId,
      version,
      title: meta.title,
      summary: meta.summary,
      body_markdown: body,
      meta_json: JSON.stringify(meta),
      note,
      user_id: userId,
      created_at: now,
    })
    .execute();
  return { id: itemId, version, created: !existing };
}

async function upsertAuthor(trx: DB, author: ItemMeta["authors"][number]) {
  const slug = slugify(author.name);
  const row = await trx
    .insertInto("authors")
    .values({
      slug,
      name: author.name,
      organisation: author.organisation ?? null,
      role: author.role ?? null,
    })
    .onConflict((oc) =>
      oc.column("slug").doUpdateSet({
        name: author.name,
        organisation: author.organisation ?? null,
        role: author.role ?? null,
      }),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
