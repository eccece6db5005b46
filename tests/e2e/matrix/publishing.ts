import { db } from "~/db/client.server";
import { actorFrom } from "~/models/actor.server";
import { formValuesFromMeta } from "~/models/item-form";
import { createItemFromEditor, getEditableItem } from "~/models/publishing.server";

import { buildItemMeta } from "../../factories/items";
import { type Actor, type MatrixRow, SIGNED_IN } from "../support/matrix";

const EDITORS: Actor[] = ["owner", "moderator", "admin"];

let sequence = 0;

/** A published tip created in the editor by `owner`, so they are its creator and credited author. */
async function ownedItem(owner: { id: string }) {
  sequence += 1;
  const user = await db
    .selectFrom("users")
    .select(["id", "role", "display_name", "organisation"])
    .where("id", "=", owner.id)
    .executeTakeFirstOrThrow();
  const meta = buildItemMeta({
    type: "tip",
    title: `Matrix tip ${sequence} ${owner.id.slice(0, 8)}`,
    status: "published",
  });
  const { slug } = await createItemFromEditor({
    meta,
    body: "Some words.",
    user: actorFrom(user),
  });
  return (await getEditableItem({ slug }))!;
}

/** The editor's fields for an item as a flat form (one value per name; only the tip's fields repeat, and none is used here). */
function editorForm(
  item: NonNullable<Awaited<ReturnType<typeof getEditableItem>>>,
  intent: string,
): Record<string, string> {
  const values = formValuesFromMeta(item.meta, item.body);
  const form: Record<string, string> = {};
  for (const [name, entries] of Object.entries(values)) if (entries[0] !== undefined) form[name] = entries[0];
  return { ...form, version: String(item.version), intent };
}

export const rows: MatrixRow[] = [
  {
    name: "publish a new tip",
    prepare: async () => ({
      path: "/write/tip",
      form: {
        title: `Matrix new tip ${++sequence}`,
        summary: "A tip written by whoever the matrix signs in as.",
        themes: "upstream",
        basis: "practitioner-experience",
        body: "Words.",
        intent: "publish",
      },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "edit an item",
    prepare: async (owner) => {
      const item = await ownedItem(owner);
      return { path: `/library/${item.slug}/edit`, form: { ...editorForm(item, "save"), body: "Changed words." } };
    },
    allowed: EDITORS,
  },
  {
    name: "unpublish an item",
    prepare: async (owner) => ({
      path: `/library/${(await ownedItem(owner)).slug}/edit`,
      form: { intent: "unpublish" },
    }),
    allowed: EDITORS,
  },
  {
    name: "archive an item",
    prepare: async (owner) => ({ path: `/library/${(await ownedItem(owner)).slug}/edit`, form: { intent: "archive" } }),
    allowed: EDITORS,
  },
  {
    name: "restore an item's revision",
    prepare: async (owner) => ({
      path: `/library/${(await ownedItem(owner)).slug}/history`,
      form: { intent: "restore", version: "1" },
    }),
    allowed: EDITORS,
  },
  {
    name: "mark an item as reviewed",
    prepare: async (owner) => ({ path: "/me", form: { slug: (await ownedItem(owner)).slug } }),
    allowed: EDITORS,
  },
];
