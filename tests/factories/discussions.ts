import { db } from "~/db/client.server";
import { createCommunity as insertCommunity } from "~/models/community.server";
import { replyToThread } from "~/models/post.server";
import { startThread } from "~/models/thread.server";
import type { Theme } from "~/models/vocabulary";
import { nowIso } from "~/utils/dates";

import { createUser } from "./users";

let sequence = 0;

type Member = { id: string; role: "member" | "moderator" | "admin" };

/**
 * A community created through the model by a fresh moderator (who becomes its first member).
 * `slug` and `createdAt` pin the row for tests that read feeds, sitemaps or the API.
 */
export async function createCommunity(
  overrides: {
    name?: string;
    slug?: string;
    description?: string;
    kind?: "region" | "sector" | "topic";
    visibility?: "open" | "members";
    createdAt?: string;
  } = {},
) {
  sequence += 1;
  const creator = await createUser({ role: "moderator" });
  const name = overrides.name ?? `Test community ${sequence} ${Math.random().toString(36).slice(2, 7)}`;
  const created = await insertCommunity({
    form: {
      name,
      description: overrides.description ?? `A community for testing, number ${sequence}.`,
      kind: overrides.kind ?? "topic",
      visibility: overrides.visibility ?? "open",
    },
    creator,
  });
  const slug = overrides.slug ?? created.slug;
  if (overrides.slug !== undefined || overrides.createdAt !== undefined) {
    await db
      .updateTable("communities")
      .set({ slug, ...(overrides.createdAt ? { created_at: overrides.createdAt } : {}) })
      .where("id", "=", created.id)
      .execute();
  }
  return { id: created.id, slug, name, creator };
}

export async function addMember({ communityId, userId }: { communityId: number; userId: string }) {
  await db
    .insertInto("community_members")
    .values({ community_id: communityId, user_id: userId, joined_at: nowIso() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** An account old enough not to meet the new-account posting limit. */
export async function createEstablishedUser(overrides: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(overrides);
  const lastWeek = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  await db.updateTable("users").set({ created_at: lastWeek }).where("id", "=", user.id).execute();
  return user;
}

async function authorOrNewMember(author: Member | undefined): Promise<Member> {
  return author ?? { id: (await createEstablishedUser()).id, role: "member" };
}

/**
 * A thread started through the model by `author` (a fresh established member if none), who joins
 * the community first. `replies` adds that many replies through the model. The other options pin
 * what read-side tests need afterwards: dates, and a moderator's hiding of the thread or its opening post.
 */
export async function createThread({
  communityId,
  author,
  kind = "question",
  title,
  body = "Has anyone published a UK9 yet? We have three KPIs to rate.",
  themes = [],
  tags = [],
  replies = 0,
  isHidden = false,
  isOpeningPostHidden = false,
  createdAt,
  lastActivityAt,
}: {
  communityId: number;
  author?: Member;
  kind?: "discussion" | "question";
  title?: string;
  body?: string;
  themes?: Theme[];
  tags?: string[];
  replies?: number;
  isHidden?: boolean;
  isOpeningPostHidden?: boolean;
  createdAt?: string;
  lastActivityAt?: string;
}) {
  sequence += 1;
  const starter = await authorOrNewMember(author);
  await addMember({ communityId, userId: starter.id });
  const thread = await startThread({
    communityId,
    author: starter,
    form: { kind, title: title ?? `Test thread number ${sequence}`, body, themes, tags, items: [] },
  });
  const opening = await db
    .selectFrom("posts")
    .select("id")
    .where("thread_id", "=", thread.threadId)
    .orderBy("id")
    .limit(1)
    .executeTakeFirstOrThrow();
  for (let reply = 1; reply <= replies; reply += 1) {
    await createReply({ threadId: thread.threadId, author: starter, body: `Reply ${reply}` });
  }
  if (createdAt !== undefined) {
    await db.updateTable("posts").set({ created_at: createdAt }).where("thread_id", "=", thread.threadId).execute();
    await db
      .updateTable("threads")
      .set({ created_at: createdAt, last_activity_at: createdAt })
      .where("id", "=", thread.threadId)
      .execute();
  }
  if (lastActivityAt !== undefined)
    await db
      .updateTable("threads")
      .set({ last_activity_at: lastActivityAt })
      .where("id", "=", thread.threadId)
      .execute();
  if (isHidden) await db.updateTable("threads").set({ is_hidden: 1 }).where("id", "=", thread.threadId).execute();
  if (isOpeningPostHidden) await db.updateTable("posts").set({ is_hidden: 1 }).where("id", "=", opening.id).execute();
  return { ...thread, openingPostId: opening.id, author: starter };
}

/**
 * A reply posted through the model by `author` (a fresh established member of the community if none).
 * `createdAt`, `isHidden` and `isDeleted` pin the post afterwards for read-side tests.
 */
export async function createReply({
  threadId,
  author,
  body = "We published ours last month.",
  parentPostId = null,
  createdAt,
  isHidden = false,
  isDeleted = false,
}: {
  threadId: number;
  author?: Member;
  body?: string;
  parentPostId?: number | null;
  createdAt?: string;
  isHidden?: boolean;
  isDeleted?: boolean;
}) {
  let replier = author;
  if (!replier) {
    replier = await authorOrNewMember(undefined);
    const { community_id } = await db
      .selectFrom("threads")
      .select("community_id")
      .where("id", "=", threadId)
      .executeTakeFirstOrThrow();
    if (community_id !== null) await addMember({ communityId: community_id, userId: replier.id });
  }
  const reply = await replyToThread({ target: { threadId }, author: replier, body, parentPostId });
  if (createdAt !== undefined || isHidden || isDeleted) {
    await db
      .updateTable("posts")
      .set({
        ...(createdAt !== undefined ? { created_at: createdAt } : {}),
        ...(isHidden ? { is_hidden: 1 } : {}),
        ...(isDeleted ? { deleted_at: createdAt ?? nowIso() } : {}),
      })
      .where("id", "=", reply.postId)
      .execute();
  }
  return reply;
}

/** Makes `userId` the community's creator (one of its stewards) and a member, as a member-run community would have. */
export async function makeCreator({ communityId, userId }: { communityId: number; userId: string }) {
  await db.updateTable("communities").set({ created_by_user_id: userId }).where("id", "=", communityId).execute();
  await addMember({ communityId, userId });
}
