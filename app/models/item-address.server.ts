import { redirect } from "@remix-run/node";
import type { User } from "lucia";

import { itemPath } from "~/utils/paths";

import { canEditItem } from "./item-permissions.server";
import { findMovedItem } from "./publishing.server";

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
  viewer: Pick<User, "id" | "role"> | null;
}) {
  const moved = await findMovedItem({ slug: slug ?? "" });
  const mayFollow =
    moved !== undefined && (moved.status === "published" || (await canEditItem({ user: viewer, itemId: moved.id })));
  return mayFollow ? redirect(`${itemPath(moved.slug)}/${page}`, 301) : new Response("Not found", { status: 404 });
}
