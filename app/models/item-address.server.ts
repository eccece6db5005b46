import { redirect } from "@remix-run/node";

import { findMovedSlug } from "./publishing.server";

/** For an item's sub-pages (edit, history, download): a redirect if it was renamed, else a 404. */
export async function notFoundOrMoved(slug: string | undefined, page: "edit" | "history" | "download") {
  const moved = await findMovedSlug({ slug: slug ?? "" });
  return moved ? redirect(`/library/${moved}/${page}`, 301) : new Response("Not found", { status: 404 });
}
