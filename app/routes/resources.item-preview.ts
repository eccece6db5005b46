import type { ActionFunctionArgs } from "@remix-run/node";

import { getUser } from "~/auth/session.server";
import { canEditItem } from "~/models/item-permissions.server";
import { BODY_MAX_LENGTH } from "~/models/item-schema";
import { getItemIdBySlug, previewItemBody, renderItemBody } from "~/models/item.server";
import { readFormData } from "~/utils/forms.server";

/** The live preview beside the editor: the same render path as publishing. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (Number(request.headers.get("Content-Length") ?? "0") > BODY_MAX_LENGTH * 4 + 1024) {
    return Response.json(
      { html: "<p>This is too long to preview. Shorten the body to preview it.</p>" },
      { status: 413 },
    );
  }
  const user = await getUser(request, context);
  if (!user) return Response.json({ html: "<p>Sign in again to see the preview.</p>" }, { status: 401 });
  const form = await readFormData(request);
  const body = form.get("body");
  const text = typeof body === "string" ? body.slice(0, BODY_MAX_LENGTH) : "";
  // Editing an item: its charts are drawn from its own datasets, exactly as saving would.
  const slug = form.get("slug");
  const itemId = typeof slug === "string" ? await getItemIdBySlug({ slug }) : undefined;
  if (typeof slug === "string" && itemId !== undefined && (await canEditItem({ user, itemId }))) {
    return Response.json({ html: (await previewItemBody({ slug, body: text })).html });
  }
  return Response.json({ html: renderItemBody(text).html });
}

export async function loader() {
  return new Response("Send the body to preview with POST.", { status: 405, headers: { Allow: "POST" } });
}
