import type { DB } from "~/db/client.server";

import { DiscussionError } from "./discussion-access.server";
import { CONFIRM_BEFORE_POSTING } from "./email-verification.server";

/** As Discourse does: accounts younger than a day may post a few times an hour while trust builds. */
const NEW_ACCOUNT_AGE_HOURS = 24;
export const NEW_ACCOUNT_POSTS_PER_HOUR = 10;

const HOUR_MS = 60 * 60 * 1000;

/**
 * Refuses a new account's next post once it has posted NEW_ACCOUNT_POSTS_PER_HOUR times in the
 * last hour. Everything a member writes counts: replies and new threads, edits of replies, and each
 * save of an item (new, edited or restored), so the limit cannot be stepped round by writing items
 * or editing instead. Posts in discussions also need a confirmed address; an item may be saved as
 * a draft before that (publishing it is refused by the editor until then).
 */
export async function enforcePostingLimit(
  executor: DB,
  { userId, writing, now = new Date() }: { userId: string; writing: "post" | "item"; now?: Date },
) {
  const user = await executor
    .selectFrom("users")
    .select(["created_at", "role", "email_verified_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (writing === "post" && !user.email_verified_at) throw new DiscussionError(CONFIRM_BEFORE_POSTING, "body");
  if (user.role !== "member") return;
  if (now.getTime() - Date.parse(user.created_at) >= NEW_ACCOUNT_AGE_HOURS * HOUR_MS) return;
  const since = new Date(now.getTime() - HOUR_MS).toISOString();
  const recent = await executor
    .selectFrom("posts")
    .select("created_at")
    .where("author_user_id", "=", userId)
    .where("created_at", ">", since)
    .unionAll((eb) =>
      eb
        .selectFrom("post_revisions")
        .select("created_at")
        .where("user_id", "=", userId)
        .where("created_at", ">", since),
    )
    .unionAll((eb) =>
      eb
        .selectFrom("item_revisions")
        .select("created_at")
        .where("user_id", "=", userId)
        .where("created_at", ">", since),
    )
    .orderBy("created_at")
    .execute();
  if (recent.length < NEW_ACCOUNT_POSTS_PER_HOUR) return;
  const freeAt = Date.parse(recent[recent.length - NEW_ACCOUNT_POSTS_PER_HOUR]!.created_at) + HOUR_MS;
  const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
  throw new DiscussionError(
    `New accounts can post ${NEW_ACCOUNT_POSTS_PER_HOUR} times an hour during their first day (replies, edits and items all count), and you have reached that for now. ` +
      `You can post again in about ${minutes} minute${minutes === 1 ? "" : "s"}. Your text is still here, so nothing is lost.`,
    "body",
  );
}
