import { z } from "zod";

import { type DB, db, writeTransaction } from "~/db/client.server";
import type { FlagReason } from "~/db/schema";
import { nowIso } from "~/utils/dates";
import { itemPath, postPath } from "~/utils/paths";

import type { Actor } from "./actor.server";
import { canModerate, threadIsVisible } from "./discussion-access.server";
import { FLAG_REASONS } from "./discussion-vocabulary";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";

export const ReasonSchema = z
  .string()
  .trim()
  .min(3, "Say why, in a few words, for the audit log")
  .max(500, "Keep the reason under 500 characters");

export const FlagFormSchema = z.object({
  reason: z.enum(Object.keys(FLAG_REASONS) as [FlagReason, ...FlagReason[]], { error: "Choose a reason" }),
  note: z.string().trim().max(500, "Keep the note under 500 characters").optional().default(""),
});

export async function recordModerationAction(
  executor: DB,
  action: { moderatorId: string; action: string; targetType: string; targetId: string; reason: string },
) {
  await executor
    .insertInto("moderation_actions")
    .values({
      moderator_user_id: action.moderatorId,
      action: action.action,
      target_type: action.targetType,
      target_id: action.targetId,
      reason: action.reason,
      created_at: nowIso(),
    })
    .execute();
}

/** A member flags an item or a reply; flagging the same thing twice while it is open is a friendly no. */
export async function flagContent({
  targetType,
  targetId,
  reporter,
  reason,
  note,
}: {
  targetType: "item" | "post";
  targetId: number;
  reporter: Actor;
  reason: FlagReason;
  note: string;
}) {
  return writeTransaction(async (trx) => {
    if (targetType === "post") {
      const post = await trx
        .selectFrom("posts")
        .innerJoin("threads", "threads.id", "posts.thread_id")
        .select("posts.id")
        .where("posts.id", "=", targetId)
        .where(threadIsVisible(reporter))
        .executeTakeFirst();
      if (!post) throw new NotFoundError();
    } else {
      const item = await trx
        .selectFrom("items")
        .select("id")
        .where("id", "=", targetId)
        .where("status", "=", "published")
        .executeTakeFirst();
      if (!item) throw new NotFoundError();
    }
    const open = await trx
      .selectFrom("flags")
      .select("id")
      .where("target_type", "=", targetType)
      .where("target_id", "=", targetId)
      .where("reporter_user_id", "=", reporter.id)
      .where("status", "=", "open")
      .executeTakeFirst();
    if (open) throw InvalidInputError.of("reason", "You have already flagged this. A moderator will look at it soon.");
    await trx
      .insertInto("flags")
      .values({
        target_type: targetType,
        target_id: targetId,
        reporter_user_id: reporter.id,
        reason,
        note: note || null,
        created_at: nowIso(),
      })
      .execute();
  });
}

export type FlagQueueEntry = {
  id: number;
  targetType: "item" | "post";
  targetId: number;
  reason: FlagReason;
  note: string | null;
  reporterName: string | null;
  createdAt: string;
  title: string;
  excerptHtml: string;
  href: string;
  isHidden: boolean;
};

/** Open flags, oldest first, with enough of the flagged content to decide. */
export async function listOpenFlags(): Promise<FlagQueueEntry[]> {
  const flags = await db
    .selectFrom("flags")
    .leftJoin("users", "users.id", "flags.reporter_user_id")
    .leftJoin("posts", (join) => join.onRef("posts.id", "=", "flags.target_id").on("flags.target_type", "=", "post"))
    .leftJoin("threads", "threads.id", "posts.thread_id")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("items as thread_item", "thread_item.id", "threads.item_id")
    .leftJoin("items", (join) => join.onRef("items.id", "=", "flags.target_id").on("flags.target_type", "=", "item"))
    .select([
      "flags.id",
      "flags.target_type as targetType",
      "flags.target_id as targetId",
      "flags.reason",
      "flags.note",
      "flags.created_at as createdAt",
      "users.display_name as reporterName",
      "posts.body_html as postHtml",
      "posts.is_hidden as postHidden",
      "posts.deleted_at as postDeletedAt",
      "threads.id as threadId",
      "threads.slug as threadSlug",
      "threads.title as threadTitle",
      "communities.slug as communitySlug",
      "thread_item.slug as threadItemSlug",
      "items.slug as itemSlug",
      "items.title as itemTitle",
      "items.summary as itemSummary",
    ])
    .where("flags.status", "=", "open")
    .orderBy("flags.created_at")
    .limit(200)
    .execute();
  return flags.map((flag) => {
    const isPost = flag.targetType === "post";
    // What was flagged may since have been removed along with its thread or item.
    const thread =
      flag.threadId !== null && flag.threadSlug !== null
        ? { id: flag.threadId, slug: flag.threadSlug, communitySlug: flag.communitySlug, itemSlug: flag.threadItemSlug }
        : null;
    const targetHref = isPost
      ? thread && postPath(thread, flag.targetId)
      : flag.itemSlug !== null && itemPath(flag.itemSlug);
    return {
      id: flag.id,
      targetType: flag.targetType,
      targetId: flag.targetId,
      reason: flag.reason,
      note: flag.note,
      reporterName: flag.reporterName,
      createdAt: flag.createdAt,
      title: isPost ? `Reply in "${flag.threadTitle ?? "a removed thread"}"` : (flag.itemTitle ?? "A removed item"),
      excerptHtml: isPost
        ? flag.postDeletedAt
          ? "<p><em>Deleted by its author.</em></p>"
          : (flag.postHtml ?? "")
        : `<p>${escape(flag.itemSummary ?? "")}</p>`,
      href: targetHref || "/moderation",
      isHidden: isPost && flag.postHidden === 1,
    };
  });
}

function escape(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Closes a flag: "actioned" hides a flagged reply too; "dismissed" leaves the content as it is. */
export async function resolveFlag({
  flagId,
  moderator,
  outcome,
  reason,
}: {
  flagId: number;
  moderator: Actor;
  outcome: "actioned" | "dismissed";
  reason: string;
}) {
  if (!canModerate(moderator)) throw new ForbiddenError("This needs a moderator or an admin.");
  await writeTransaction(async (trx) => {
    const flag = await trx
      .selectFrom("flags")
      .select(["id", "target_type", "target_id", "status"])
      .where("id", "=", flagId)
      .executeTakeFirst();
    if (!flag) throw new NotFoundError();
    if (flag.status !== "open")
      throw InvalidInputError.of("form", "Another moderator has already dealt with this flag.");
    const now = nowIso();
    // Every open flag on the same content is settled by one decision.
    await trx
      .updateTable("flags")
      .set({ status: outcome, resolved_by_user_id: moderator.id, resolved_at: now })
      .where("target_type", "=", flag.target_type)
      .where("target_id", "=", flag.target_id)
      .where("status", "=", "open")
      .execute();
    if (outcome === "actioned" && flag.target_type === "post") {
      await trx.updateTable("posts").set({ is_hidden: 1 }).where("id", "=", flag.target_id).execute();
    }
    await recordModerationAction(trx, {
      moderatorId: moderator.id,
      action: outcome === "actioned" ? (flag.target_type === "post" ? "hide-post" : "action-flag") : "dismiss-flag",
      targetType: flag.target_type,
      targetId: String(flag.target_id),
      reason,
    });
  });
}

export type ThreadModeration = "hide" | "unhide" | "lock" | "unlock" | "pin" | "unpin";

export async function moderateThread({
  threadId,
  moderator,
  action,
  reason,
}: {
  threadId: number;
  moderator: Actor;
  action: ThreadModeration;
  reason: string;
}) {
  if (!canModerate(moderator)) throw new ForbiddenError("This needs a moderator or an admin.");
  await writeTransaction(async (trx) => {
    const thread = await trx.selectFrom("threads").select(["id", "kind"]).where("id", "=", threadId).executeTakeFirst();
    if (!thread) throw new NotFoundError();
    if ((action === "pin" || action === "unpin") && thread.kind === "item") {
      throw InvalidInputError.of("form", "An item's discussion has no list to be pinned in.");
    }
    const column =
      action === "hide" || action === "unhide"
        ? "is_hidden"
        : action === "lock" || action === "unlock"
          ? "is_locked"
          : "is_pinned";
    const value = action.startsWith("un") ? 0 : 1;
    await trx
      .updateTable("threads")
      .set({ [column]: value })
      .where("id", "=", threadId)
      .execute();
    await recordModerationAction(trx, {
      moderatorId: moderator.id,
      action: `${action}-thread`,
      targetType: "thread",
      targetId: String(threadId),
      reason,
    });
  });
}

export async function moderatePost({
  postId,
  moderator,
  action,
  reason,
}: {
  postId: number;
  moderator: Actor;
  action: "hide" | "unhide";
  reason: string;
}) {
  if (!canModerate(moderator)) throw new ForbiddenError("This needs a moderator or an admin.");
  await writeTransaction(async (trx) => {
    const post = await trx.selectFrom("posts").select("id").where("id", "=", postId).executeTakeFirst();
    if (!post) throw new NotFoundError();
    await trx
      .updateTable("posts")
      .set({ is_hidden: action === "hide" ? 1 : 0 })
      .where("id", "=", postId)
      .execute();
    if (action === "hide") {
      await trx
        .updateTable("flags")
        .set({ status: "actioned", resolved_by_user_id: moderator.id, resolved_at: nowIso() })
        .where("target_type", "=", "post")
        .where("target_id", "=", postId)
        .where("status", "=", "open")
        .execute();
    }
    await recordModerationAction(trx, {
      moderatorId: moderator.id,
      action: `${action}-post`,
      targetType: "post",
      targetId: String(postId),
      reason,
    });
  });
}

export async function listModerationLog({ limit = 200 }: { limit?: number } = {}) {
  return db
    .selectFrom("moderation_actions")
    .leftJoin("users", "users.id", "moderation_actions.moderator_user_id")
    .select([
      "moderation_actions.id",
      "moderation_actions.action",
      "moderation_actions.target_type as targetType",
      "moderation_actions.target_id as targetId",
      "moderation_actions.reason",
      "moderation_actions.created_at as createdAt",
      "users.display_name as moderatorName",
    ])
    .orderBy("moderation_actions.id", "desc")
    .limit(limit)
    .execute();
}
