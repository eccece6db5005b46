import type { LoaderFunctionArgs } from "@remix-run/node";

import { getUser } from "~/auth/session.server";
import { canEditItem } from "~/models/item-permissions.server";
import { contentFileFor } from "~/models/publishing.server";
import { notFoundOrMoved } from "~/routes/+shared/item-address.server";

/** The item as a markdown file in exactly the content/ front matter format. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const file = await contentFileFor({ slug: params.slug ?? "" });
  if (!file)
    throw await notFoundOrMoved({ slug: params.slug, page: "download", viewer: await getUser(request, context) });
  if (file.item.status !== "published") {
    const user = await getUser(request, context);
    if (!(await canEditItem({ user, itemId: file.item.id }))) throw new Response("Not found", { status: 404 });
  }
  return new Response(file.text, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-cache",
    },
  });
}
