import { redirect } from "@remix-run/node";

import type { Viewer } from "~/models/actor.server";
import { canEditItem } from "~/models/item-permissions.server";
import { findMovedItem } from "~/models/publishing.server";
import { itemPath } from "~/utils/paths";

/**
 * For an item's sub-pages (edit, history, download): a redirect if it was renamed and the viewer
 * may read it under its new name (published, or theirs to edit), else a 404, so an old address
 * never tells anyone else a draft's new title.
 */
export async function notFoundOrMoved({
  slug,
  page,
  viewer,
}: {
  slug: string | undefined;
  page: "edit" | "history" | "download";
  viewer: Viewer;
}) {
  const moved = await findMovedItem({ slug: slug ?? "" });
  const mayFollow =
    moved !== undefined && (moved.status === "published" || (await canEditItem({ user: viewer, itemId: moved.id })));
  return mayFollow ? redirect(`${itemPath(moved.slug)}/${page}`, 301) : new Response("Not found", { status: 404 });
}
