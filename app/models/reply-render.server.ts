import type { DB } from "~/db/client.server";
import { linkMentions } from "~/markdown/mentions.server";
import { RenderRefused } from "~/rendering/render-refused";
import { renderReplyBody } from "~/rendering/render.server";

import { DiscussionError } from "./discussion-access.server";

export type RenderedReplyBody = Awaited<ReturnType<typeof renderReplyBody>>;

/** A reply's markdown rendered in a render worker, its mentions not yet linked; a refusal is the reply form's error. */
export async function renderReplyHtml(markdown: string): Promise<RenderedReplyBody> {
  try {
    return await renderReplyBody(markdown);
  } catch (error) {
    if (error instanceof RenderRefused) throw new DiscussionError(error.message, "body");
    throw error;
  }
}

/** Links @mentions of real members in a rendered reply and says whom it mentions. */
export async function linkReplyMentions(executor: DB, rendered: RenderedReplyBody) {
  const candidates = rendered.mentionCandidates;
  const mentioned = candidates.length
    ? await executor
        .selectFrom("users")
        .select(["id", "username"])
        .where((eb) => eb.fn("lower", ["username"]), "in", candidates)
        .where("deleted_at", "is", null)
        .execute()
    : [];
  return {
    html: linkMentions(rendered.html, new Set(mentioned.map((user) => user.username.toLowerCase()))),
    mentionedUserIds: mentioned.map((user) => user.id),
  };
}

/** Renders a reply once, when written: the shared markdown path, then @mentions of real members linked. */
export async function renderReplyMarkdown(executor: DB, markdown: string) {
  return linkReplyMentions(executor, await renderReplyHtml(markdown));
}
