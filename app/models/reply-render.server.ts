import type { DB } from "~/db/client.server";
import { linkMentions } from "~/markdown/mentions.server";
import { RenderRefused } from "~/rendering/render-refused";
import { renderReplyBody } from "~/rendering/render.server";

import { InvalidInputError } from "./domain-errors.server";

/** As Discourse does (max_mentions_per_post): a post naming more members than this is refused. */
export const MAX_MENTIONS_PER_POST = 10;

export type RenderedReplyBody = Awaited<ReturnType<typeof renderReplyBody>>;

/** A reply's markdown rendered in a render worker, its mentions not yet linked; a refusal is the reply form's error. */
export async function renderReplyHtml(markdown: string): Promise<RenderedReplyBody> {
  try {
    return await renderReplyBody(markdown);
  } catch (error) {
    if (error instanceof RenderRefused) throw InvalidInputError.of("body", error.message);
    throw error;
  }
}

/**
 * Links @mentions of real members in a rendered reply and says whom it mentions. Refuses a reply
 * that mentions more than MAX_MENTIONS_PER_POST members, as Discourse does, so one post cannot
 * notify hundreds of people.
 */
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
  if (mentioned.length > MAX_MENTIONS_PER_POST) {
    throw InvalidInputError.of(
      "body",
      `You can mention at most ${MAX_MENTIONS_PER_POST} people in one post, and this one mentions ${mentioned.length}. ` +
        "Remove some @names and post again. Your text is still here, so nothing is lost.",
    );
  }
  return {
    html: linkMentions(rendered.html, new Set(mentioned.map((user) => user.username.toLowerCase()))),
    mentionedUserIds: mentioned.map((user) => user.id),
  };
}

/** Renders a reply once, when written: the shared markdown path, then @mentions of real members linked. */
export async function renderReplyMarkdown(executor: DB, markdown: string) {
  return linkReplyMentions(executor, await renderReplyHtml(markdown));
}
