import { writeTransaction } from "~/db/client.server";
import { actorFrom } from "~/models/actor.server";
import { type ItemMeta, type ItemMetaInput, ItemMetaSchema } from "~/models/item-schema";
import { saveItem } from "~/models/item.server";
import { renderItemBody } from "~/rendering/render.server";

let sequence = 0;

const DEFAULTS: Record<ItemMeta["type"], Partial<ItemMetaInput>> = {
  "case-study": {
    organisation_type: "local-authority",
    nation: "england",
    region: "west-midlands",
    regime: "pa23",
    lifecycle_stages: ["procure"],
    procedure: "open",
    value_band: "threshold-2m",
  },
  tip: { basis: "practitioner-experience" },
  "data-story": {
    datasets: [
      {
        title: "Test data",
        publisher: "Test publisher",
        source_url: "https://example.org/data",
        licence: "Open Government Licence v3.0",
        attribution: "Contains public sector information licensed under the Open Government Licence v3.0",
      },
    ],
    method: "Counted the rows.",
  },
};

/** Valid item metadata of the given type, with overrides. */
export function buildItemMeta(overrides: Partial<ItemMetaInput> & { type?: ItemMeta["type"] } = {}): ItemMeta {
  sequence += 1;
  const type = overrides.type ?? "tip";
  return ItemMetaSchema.parse({
    type,
    title: `Test item ${sequence}`,
    summary: `A summary of test item ${sequence}.`,
    themes: ["upstream"],
    tags: [],
    authors: [{ name: "Test Author", organisation: "Testshire County Council" }],
    published: "2026-01-15",
    ...DEFAULTS[type],
    ...overrides,
  });
}

/** Saves an item to the test database and returns its id and slug. */
export async function createItem(
  overrides: Partial<ItemMetaInput> & { type?: ItemMeta["type"]; slug?: string; body?: string } = {},
) {
  const { slug: slugOverride, body = "## Context\n\nSome words about the work.\n", ...metaOverrides } = overrides;
  const meta = buildItemMeta(metaOverrides);
  const slug = slugOverride ?? `test-item-${sequence}`;
  const rendered = await renderItemBody(body, { slug });
  const saved = await writeTransaction((trx) => saveItem(trx, { slug, meta, body, rendered }));
  return { ...saved, slug, meta };
}

/** A tip written in the editor by `user` (its creator and credited author); a draft unless told, with its private preview link. */
export async function createItemInEditor({
  user,
  title,
  body = "Draft words nobody else should read yet.",
  status = "draft",
}: {
  user: { id: string; role?: "member" | "moderator" | "admin" };
  title?: string;
  body?: string;
  status?: "draft" | "published";
}) {
  const { createItemFromEditor, getEditableItem } = await import("~/models/publishing.server");
  const meta = buildItemMeta({ type: "tip", status, ...(title ? { title } : {}) });
  const { slug } = await createItemFromEditor({
    meta,
    body,
    user: { id: user.id, role: user.role ?? "member" },
  });
  const item = (await getEditableItem({ slug }))!;
  return { id: item.id, slug, title: meta.title, body, previewToken: item.previewToken! };
}

/** Retitles an item through the editor's model, as its author would, which moves it to a new slug. */
export async function retitleItem({
  slug,
  title,
  user,
}: {
  slug: string;
  title: string;
  user: { id: string; display_name: string; role: "member" | "moderator" | "admin" };
}) {
  const { getEditableItem, updateItemFromEditor } = await import("~/models/publishing.server");
  const item = (await getEditableItem({ slug }))!;
  const outcome = await updateItemFromEditor({
    itemId: item.id,
    expectedVersion: item.version,
    meta: { ...item.meta, title },
    body: item.body,
    user: actorFrom(user),
  });
  if (outcome.kind !== "saved") throw new Error(`Could not retitle ${slug}: ${outcome.kind}`);
  return { slug: outcome.slug };
}
