import type { DB } from "~/db/client.server";
import { linkMentions, mentionedUsernames } from "~/markdown/mentions.server";
import { renderMarkdown } from "~/markdown/render.server";

/** Renders a reply once, when written: the shared markdown path, then @mentions of real members linked. */
export async function renderReplyMarkdown(executor: DB, markdown: string) {
  const { html } = renderMarkdown(markdown);
  const candidates = mentionedUsernames(markdown);
  const mentioned = candidates.length
    ? await executor
        .selectFrom("users")
        .select(["id", "username"])
        .where((eb) => eb.fn("lower", ["username"]), "in", candidates)
        .where("deleted_at", "is", null)
        .execute()
    : [];
  return {
    html: linkMentions(html, new Set(mentioned.map((user) => user.username.toLowerCase()))),
    mentionedUserIds: mentioned.map((user) => user.id),
  };
}
