import { db } from "~/db/client.server";
import { TocSchema } from "~/markdown/render.server";
import { type StructuredFields, StructuredFieldsSchema } from "~/models/item-schema";
import { CARD_COLUMNS, type CardRow, findRenamedItem, type ItemCard, toCards } from "~/models/item.server";
import type { ItemType, Theme } from "~/models/vocabulary";
import { parseStoredJson } from "~/utils/stored-json";

// Published items as feeds and the API see them: only status 'published', newest first,
// with everything a reuser needs (body, licence, structured fields).

const STRUCTURED_FILTERS = [
  "organisation_type",
  "nation",
  "region",
  "regime",
  "procedure",
  "contract_category",
  "value_band",
] as const;
type StructuredFilter = (typeof STRUCTURED_FILTERS)[number];

export type PublishedItemFilters = {
  type?: ItemType;
  theme?: Theme;
  tag?: string;
  updatedSince?: string;
} & Partial<Record<StructuredFilter, string>>;

export type SyndicatedItem = ItemCard & {
  licence: string;
  bodyHtml: string;
  fields: StructuredFields;
};

const COLUMNS = [...CARD_COLUMNS, "items.licence", "items.fields_json"] as const;

function filteredPublishedItems(filters: PublishedItemFilters) {
  let query = db
    .selectFrom("items")
    .where("items.status", "=", "published")
    .where("items.published_at", "is not", null);
  if (filters.type) query = query.where("items.type", "=", filters.type);
  if (filters.theme) {
    const theme = filters.theme;
    query = query.where("items.id", "in", (eb) =>
      eb.selectFrom("item_themes").select("item_id").where("theme", "=", theme),
    );
  }
  if (filters.tag) {
    const tag = filters.tag;
    query = query.where("items.id", "in", (eb) => eb.selectFrom("item_tags").select("item_id").where("tag", "=", tag));
  }
  for (const field of STRUCTURED_FILTERS) {
    const value = filters[field];
    if (value !== undefined) query = query.where(`items.${field}`, "=", value);
  }
  if (filters.updatedSince) query = query.where("items.updated_at", ">=", filters.updatedSince);
  return query;
}

/**
 * A page of published items, newest published first. `after` is the position of the last item
 * of the previous page, so pages stay stable while new items are published.
 */
export async function listPublishedItems({
  filters,
  after,
  limit,
  withBody = false,
}: {
  filters: PublishedItemFilters;
  after?: { sortKey: string; id: number };
  limit: number;
  withBody?: boolean;
}) {
  let query = filteredPublishedItems(filters);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("items.published_at", "<", after.sortKey),
        eb.and([eb("items.published_at", "=", after.sortKey), eb("items.id", "<", after.id)]),
      ]),
    );
  }
  const rows = await query
    .select(COLUMNS)
    .$if(withBody, (q) => q.select("items.body_html"))
    .orderBy("items.published_at", "desc")
    .orderBy("items.id", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const items = await toSyndicated(page);
  const last = page.at(-1);
  return {
    items,
    next: rows.length > limit && last ? { sortKey: last.published_at!, id: last.id } : null,
  };
}

/** One published item with its markdown, HTML and table of contents; null when not public. */
export async function getSyndicatedItem({ slug }: { slug: string }) {
  const row = await db
    .selectFrom("items")
    .select([...COLUMNS, "items.body_html", "items.body_markdown", "items.toc_json", "items.version"])
    .where("items.slug", "=", slug)
    .where("items.status", "=", "published")
    .executeTakeFirst();
  if (!row) return findRenamedItem({ slug });
  const [item] = await toSyndicated([row]);
  return {
    kind: "found",
    item: {
      ...item!,
      bodyMarkdown: row.body_markdown,
      toc: parseStoredJson(TocSchema, row.toc_json, `The contents list of item ${row.id}`),
      version: row.version,
    },
  } as const;
}

type SyndicationRow = CardRow & { licence: string; fields_json: string; body_html?: string };

async function toSyndicated(rows: SyndicationRow[]): Promise<SyndicatedItem[]> {
  const cards = await toCards(rows);
  return cards.map((card, index) => ({
    ...card,
    licence: rows[index]!.licence,
    bodyHtml: rows[index]!.body_html ?? "",
    fields: parseStoredJson(StructuredFieldsSchema, rows[index]!.fields_json, `The fields of item ${card.id}`),
  }));
}
