import { sql } from "kysely";
import { z } from "zod";

import { type DB, db, writeTransaction } from "~/db/client.server";
import type { NotificationKind } from "~/db/schema";
import { nowIso } from "~/utils/dates";
import { notificationPath } from "~/utils/paths";
import { readStoredJson } from "~/utils/stored-json";

import type { Actor } from "./actor.server";
import { canModerate, threadIsVisible } from "./discussion-access.server";
import { InvalidInputError } from "./domain-errors.server";
import { THEMES, isOneOf } from "./vocabulary";

export type FollowTargetType = "thread" | "community" | "theme";

export async function followTarget(
  executor: DB,
  { userId, targetType, targetKey }: { userId: string; targetType: FollowTargetType; targetKey: string },
) {
  await executor
    .insertInto("follows")
    .values({ user_id: userId, target_type: targetType, target_key: targetKey, created_at: nowIso() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Follows or unfollows; `follow` says which, so a repeated form submission does what it says. */
export async function setFollowing({
  viewer,
  targetType,
  targetKey,
  follow,
}: {
  viewer: Actor;
  targetType: FollowTargetType;
  targetKey: string;
  follow: boolean;
}) {
  if (targetType === "theme" && !isOneOf(THEMES, targetKey))
    throw InvalidInputError.of("form", "There is no theme of that name.");
  await writeTransaction(async (trx) => {
    if (!follow) {
      await trx
        .deleteFrom("follows")
        .where("user_id", "=", viewer.id)
        .where("target_type", "=", targetType)
        .where("target_key", "=", targetKey)
        .execute();
      return;
    }
    await followTarget(trx, { userId: viewer.id, targetType, targetKey });
  });
}

const PRIORITY: NotificationKind[] = ["mention", "reply", "followed-thread", "followed-community", "followed-theme"];

const PostNotificationSchema = z.object({
  threadId: z.number().int(),
  postId: z.number().int(),
  actorId: z.string(),
  parentAuthorId: z.string().nullable(),
  mentionedUserIds: z.array(z.string()),
  newThread: z.object({ communityId: z.number().int(), themes: z.array(z.string()) }).optional(),
});
export type PostNotification = z.infer<typeof PostNotificationSchema>;

/**
 * Queues the notifications about a new post in the post's own transaction: one row, however
 * many follow the thread. The background worker fans it out (deliverQueuedNotifications).
 */
export async function notifyAboutPost(trx: DB, notification: PostNotification) {
  await trx
    .insertInto("notification_jobs")
    .values({ kind: "post", payload_json: JSON.stringify(notification), created_at: nowIso() })
    .execute();
}

/** Fans out queued notification jobs, oldest first, one transaction each. Returns how many ran. */
export async function deliverQueuedNotifications({ limit = 20 }: { limit?: number } = {}) {
  const jobs = await db
    .selectFrom("notification_jobs")
    .select(["id", "payload_json"])
    .orderBy("id")
    .limit(limit)
    .execute();
  for (const job of jobs) {
    await writeTransaction(async (trx) => {
      // A job that no longer reads as one (an older format) is dropped rather than retried forever.
      const notification = readStoredJson(PostNotificationSchema, job.payload_json);
      if (notification) await notifyPostReaders(trx, notification);
      await trx.deleteFrom("notification_jobs").where("id", "=", job.id).execute();
    });
  }
  return jobs.length;
}

/**
 * Tells the people who care about a new post: those it mentions, the author it answers, the
 * thread's followers, and (for a new thread) followers of its community and themes. One
 * notification per person per post, and never to anyone who cannot read the thread.
 */
async function notifyPostReaders(
  trx: DB,
  {
    threadId,
    postId,
    actorId,
    parentAuthorId,
    mentionedUserIds,
    newThread,
  }: {
    threadId: number;
    postId: number;
    actorId: string;
    parentAuthorId: string | null;
    mentionedUserIds: string[];
    newThread?: { communityId: number; themes: string[] };
  },
) {
  const recipients = new Map<string, NotificationKind>();
  const offer = (userId: string | null, kind: NotificationKind) => {
    if (!userId || userId === actorId) return;
    const current = recipients.get(userId);
    if (!current || PRIORITY.indexOf(kind) < PRIORITY.indexOf(current)) recipients.set(userId, kind);
  };
  for (const id of mentionedUserIds) offer(id, "mention");
  offer(parentAuthorId, "reply");
  const followers = await trx
    .selectFrom("follows")
    .select(["user_id", "target_type"])
    .where((eb) =>
      eb.or([
        eb.and([eb("target_type", "=", "thread"), eb("target_key", "=", String(threadId))]),
        ...(newThread
          ? [
              eb.and([eb("target_type", "=", "community"), eb("target_key", "=", String(newThread.communityId))]),
              ...(newThread.themes.length
                ? [eb.and([eb("target_type", "=", "theme"), eb("target_key", "in", newThread.themes)])]
                : []),
            ]
          : []),
      ]),
    )
    .execute();
  for (const follower of followers) offer(follower.user_id, `followed-${follower.target_type}` as NotificationKind);
  if (recipients.size === 0) return;

  // A thread's post may have gone since it was queued (deleted threads take their jobs with them).
  const exists = await trx.selectFrom("posts").select("id").where("id", "=", postId).executeTakeFirst();
  if (!exists) return;
  const allowed = await usersWhoCanRead(trx, { threadId, userIds: [...recipients.keys()] });
  const now = nowIso();
  const rows = [...recipients]
    .filter(([userId]) => allowed.has(userId))
    .map(([userId, kind]) => ({
      user_id: userId,
      kind,
      actor_user_id: actorId,
      thread_id: threadId,
      post_id: postId,
      created_at: now,
    }));
  // Six values a row: in slices, well under SQLite's limit on values in one statement.
  for (let start = 0; start < rows.length; start += 1000)
    await trx
      .insertInto("notifications")
      .values(rows.slice(start, start + 1000))
      .execute();
}

async function usersWhoCanRead(trx: DB, { threadId, userIds }: { threadId: number; userIds: string[] }) {
  const thread = await trx
    .selectFrom("threads")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .select(["threads.community_id as communityId", "communities.visibility", "threads.is_hidden as isHidden"])
    .where("threads.id", "=", threadId)
    .executeTakeFirstOrThrow();
  const users = [];
  for (let start = 0; start < userIds.length; start += 500) {
    users.push(...(await usersWhoCanReadSlice(trx, thread, userIds.slice(start, start + 500))));
  }
  return new Set(
    users
      .filter((user) => {
        if (canModerate(user)) return true;
        if (thread.isHidden === 1) return false;
        return thread.visibility !== "members" || Boolean(user.isMember);
      })
      .map((user) => user.id),
  );
}

async function usersWhoCanReadSlice(trx: DB, thread: { communityId: number | null }, userIds: string[]) {
  return trx
    .selectFrom("users")
    .select((eb) => [
      "users.id",
      "users.role",
      thread.communityId === null
        ? sql<number>`0`.as("isMember")
        : eb
            .exists(
              eb
                .selectFrom("community_members")
                .select(sql`1`.as("one"))
                .whereRef("community_members.user_id", "=", "users.id")
                .where("community_members.community_id", "=", thread.communityId),
            )
            .as("isMember"),
    ])
    .where("users.id", "in", userIds)
    .where("users.deleted_at", "is", null)
    .execute();
}

export type NotificationView = {
  id: number;
  kind: NotificationKind;
  actorName: string | null;
  threadTitle: string;
  href: string;
  createdAt: string;
  isRead: boolean;
};

/**
 * Notifications as the viewer may see them now: a thread they can no longer read drops out.
 * Join-request and account notifications belong to no thread and concern only their recipient.
 */
function visibleNotifications(viewer: Actor) {
  return db
    .selectFrom("notifications")
    .leftJoin("threads", "threads.id", "notifications.thread_id")
    .where("notifications.user_id", "=", viewer.id)
    .where((eb) =>
      eb.or([
        eb("notifications.join_request_id", "is not", null),
        eb("notifications.kind", "=", "failed-sign-ins"),
        eb(
          "notifications.thread_id",
          "in",
          eb.selectFrom("threads").select("threads.id").where(threadIsVisible(viewer)),
        ),
      ]),
    );
}

export async function listNotifications({
  viewer,
  limit = 100,
}: {
  viewer: Actor;
  limit?: number;
}): Promise<NotificationView[]> {
  const rows = await visibleNotifications(viewer)
    .leftJoin("users", "users.id", "notifications.actor_user_id")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("items", "items.id", "threads.item_id")
    .leftJoin("community_join_requests as join_request", "join_request.id", "notifications.join_request_id")
    .leftJoin("communities as request_community", "request_community.id", "join_request.community_id")
    .select([
      "notifications.id",
      "request_community.slug as requestCommunitySlug",
      "request_community.name as requestCommunityName",
      "notifications.kind",
      "notifications.post_id as postId",
      "notifications.read_at as readAt",
      "notifications.created_at as createdAt",
      "users.display_name as actorName",
      "threads.id as threadId",
      "threads.slug as threadSlug",
      "threads.title as threadTitle",
      "communities.slug as communitySlug",
      "items.slug as itemSlug",
    ])
    .orderBy("notifications.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    actorName: row.kind === "failed-sign-ins" ? null : row.actorName,
    threadTitle:
      row.kind === "failed-sign-ins"
        ? "your account"
        : row.requestCommunitySlug !== null
          ? (row.requestCommunityName ?? "a community")
          : (row.threadTitle ?? "a thread"),
    href: notificationPath(row),
    createdAt: row.createdAt,
    isRead: row.readAt !== null,
  }));
}

export async function countUnreadNotifications({ viewer }: { viewer: Actor }) {
  const { n } = await visibleNotifications(viewer)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("notifications.read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function markNotificationsRead({ viewer, ids }: { viewer: Actor; ids: number[] | "all" }) {
  let query = db
    .updateTable("notifications")
    .set({ read_at: nowIso() })
    .where("user_id", "=", viewer.id)
    .where("read_at", "is", null);
  if (ids !== "all") {
    if (ids.length === 0) return;
    query = query.where("id", "in", ids);
  }
  await query.execute();
}

export async function listThemeFollows({ userId }: { userId: string }) {
  const rows = await db
    .selectFrom("follows")
    .select("target_key")
    .where("user_id", "=", userId)
    .where("target_type", "=", "theme")
    .execute();
  return rows.map((row) => row.target_key);
}
