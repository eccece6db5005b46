import { sql } from "kysely";

import { db, writeTransaction } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

import type { Actor, Viewer } from "./actor.server";
import { threadIsVisible } from "./discussion-access.server";
import { InvalidInputError, NotFoundError } from "./domain-errors.server";

/**
 * Marks an item or reply as helpful, or takes it back; one per member. `helpful` says which,
 * so submitting the same form twice cannot flip it back.
 */
export async function setHelpful({
  viewer,
  targetType,
  targetId,
  helpful,
}: {
  viewer: Actor;
  targetType: "item" | "post";
  targetId: number;
  helpful: boolean;
}) {
  await writeTransaction(async (trx) => {
    if (targetType === "post") {
      const post = await trx
        .selectFrom("posts")
        .innerJoin("threads", "threads.id", "posts.thread_id")
        .select([
          "posts.id",
          "posts.author_user_id as authorId",
          "posts.deleted_at as deletedAt",
          "posts.is_hidden as isHidden",
        ])
        .where("posts.id", "=", targetId)
        .where(threadIsVisible(viewer))
        .executeTakeFirst();
      if (!post) throw new NotFoundError();
      if (helpful && post.authorId === viewer.id)
        throw InvalidInputError.of("form", "You cannot mark your own reply as helpful.");
      if (helpful && (post.deletedAt || post.isHidden === 1))
        throw InvalidInputError.of("form", "That reply is no longer shown, so it cannot be marked helpful.");
    } else {
      const item = await trx
        .selectFrom("items")
        .select("id")
        .where("id", "=", targetId)
        .where("status", "=", "published")
        .executeTakeFirst();
      if (!item) throw new NotFoundError();
    }
    if (!helpful) {
      await trx
        .deleteFrom("reactions")
        .where("user_id", "=", viewer.id)
        .where("target_type", "=", targetType)
        .where("target_id", "=", targetId)
        .execute();
      return;
    }
    await trx
      .insertInto("reactions")
      .values({ user_id: viewer.id, target_type: targetType, target_id: targetId, created_at: nowIso() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}

export async function getItemHelpful({ itemId, viewer }: { itemId: number; viewer: Viewer }) {
  const row = await db
    .selectFrom("reactions")
    .select([
      (eb) => eb.fn.countAll<number>().as("count"),
      sql<number>`coalesce(max(user_id = ${viewer?.id ?? ""}), 0)`.as("mine"),
    ])
    .where("target_type", "=", "item")
    .where("target_id", "=", itemId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), isHelpfulToViewer: Boolean(row.mine) };
}
