import { sql } from "kysely";
import { z } from "zod";

import { type DB, db, writeTransaction } from "~/db/client.server";
import type { Community } from "~/db/schema";
import { nowIso } from "~/utils/dates";
import { slugify } from "~/utils/slug";

import type { Actor, Viewer } from "./actor.server";
import { canDecideJoinRequests } from "./community-join-request.server";
import { canModerate, communityIsVisible, threadIsVisible } from "./discussion-access.server";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";
import { CONFIRM_BEFORE_POSTING, isEmailConfirmed } from "./email-verification.server";
import { recordModerationAction } from "./moderation.server";

export const CommunityFormSchema = z.object({
  name: z.string().trim().min(3, "Enter a name of at least 3 characters").max(80, "Keep the name under 80 characters"),
  description: z
    .string()
    .trim()
    .min(10, "Describe who the community is for in at least 10 characters")
    .max(500, "Keep the description under 500 characters"),
  kind: z.enum(["region", "sector", "topic"], { error: "Choose region, sector or topic" }),
  visibility: z.enum(["open", "members"], { error: "Choose who can read it" }),
});
export type CommunityForm = z.infer<typeof CommunityFormSchema>;

export type CommunitySummary = {
  id: number;
  slug: string;
  name: string;
  description: string;
  kind: Community["kind"];
  visibility: Community["visibility"];
  memberCount: number;
  threadCount: number;
  isMember: boolean;
};

/** Every community, members-only ones included (their names are public; their threads are not). */
export async function listCommunities({ viewer }: { viewer: Viewer }): Promise<CommunitySummary[]> {
  const rows = await db
    .selectFrom("communities")
    .select((eb) => [
      "communities.id",
      "communities.slug",
      "communities.name",
      "communities.description",
      "communities.kind",
      "communities.visibility",
      eb
        .selectFrom("community_members")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("community_members.community_id", "=", "communities.id")
        .as("memberCount"),
      // Only counted where the viewer may read them: a count is information too.
      eb
        .selectFrom("threads")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("threads.community_id", "=", "communities.id")
        .where(threadIsVisible(viewer))
        .as("threadCount"),
      viewer
        ? eb
            .exists(
              eb
                .selectFrom("community_members")
                .select(sql`1`.as("one"))
                .whereRef("community_members.community_id", "=", "communities.id")
                .where("community_members.user_id", "=", viewer.id),
            )
            .as("isMember")
        : sql<number>`0`.as("isMember"),
    ])
    .orderBy("communities.kind")
    .orderBy("communities.name")
    .execute();
  return rows.map((row) => ({
    ...row,
    memberCount: Number(row.memberCount ?? 0),
    threadCount: Number(row.threadCount ?? 0),
    isMember: Boolean(row.isMember),
  }));
}

export type CommunityPage = CommunitySummary & { canRead: boolean; isFollowing: boolean };

/**
 * A community as the viewer may see it. Members-only communities answer 404 to non-members,
 * so their existence at that address is not confirmed either; with `outsideView`, a signed-in
 * non-member gets what the list already shows them (canRead false), to ask to join from.
 */
export async function getCommunity({
  slug,
  viewer,
  outsideView = false,
}: {
  slug: string;
  viewer: Viewer;
  outsideView?: boolean;
}): Promise<CommunityPage> {
  const community = (await listCommunities({ viewer })).find((entry) => entry.slug === slug);
  if (!community) throw new NotFoundError();
  const canRead = community.visibility === "open" || community.isMember || canModerate(viewer);
  // Outsiders, signed in or not, see what the list of communities shows of it, and how to join.
  if (!canRead && outsideView) return { ...community, canRead, isFollowing: false };
  if (!canRead) throw new NotFoundError();
  const isFollowing = viewer
    ? Boolean(
        await db
          .selectFrom("follows")
          .select("user_id")
          .where("user_id", "=", viewer.id)
          .where("target_type", "=", "community")
          .where("target_key", "=", String(community.id))
          .executeTakeFirst(),
      )
    : false;
  return { ...community, canRead, isFollowing };
}

/** A community's id and name by slug, whatever its visibility: for joining, never for reading. */
export async function findCommunityBySlug({ slug }: { slug: string }) {
  const community = await db
    .selectFrom("communities")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!community) throw new NotFoundError();
  return community;
}

/** The community row for an id if the viewer may read it; 404 otherwise. */
export async function requireVisibleCommunity(executor: DB, { id, viewer }: { id: number; viewer: Viewer }) {
  const community = await executor
    .selectFrom("communities")
    .select(["id", "slug", "name", "visibility"])
    .where("id", "=", id)
    .where(communityIsVisible(viewer))
    .executeTakeFirst();
  if (!community) throw new NotFoundError();
  return community;
}

export type ThreadListFilter = "latest" | "unanswered" | "pinned";

export type ThreadListEntry = {
  id: number;
  slug: string;
  kind: "item" | "discussion" | "question";
  title: string;
  authorName: string | null;
  replyCount: number;
  lastActivityAt: string;
  isPinned: boolean;
  isLocked: boolean;
  isHidden: boolean;
  isAnswered: boolean;
  themes: string[];
  tags: string[];
};

export async function listCommunityThreads({
  communityId,
  viewer,
  filter,
  limit = 50,
}: {
  communityId: number;
  viewer: Viewer;
  filter: ThreadListFilter;
  limit?: number;
}): Promise<ThreadListEntry[]> {
  let query = db
    .selectFrom("threads")
    .leftJoin("users", "users.id", "threads.author_user_id")
    .where("threads.community_id", "=", communityId)
    .where(threadIsVisible(viewer));
  if (filter === "unanswered") query = query.where("threads.reply_count", "=", 0);
  if (filter === "pinned") query = query.where("threads.is_pinned", "=", 1);
  const rows = await query
    .select((eb) => [
      "threads.id",
      "threads.slug",
      "threads.kind",
      "threads.title",
      "users.display_name as authorName",
      "threads.reply_count as replyCount",
      "threads.last_activity_at as lastActivityAt",
      "threads.is_pinned as isPinned",
      "threads.is_locked as isLocked",
      "threads.is_hidden as isHidden",
      "threads.accepted_post_id as acceptedPostId",
      eb
        .selectFrom("thread_themes")
        .select(sql<string>`group_concat(theme, ' ')`.as("t"))
        .whereRef("thread_themes.thread_id", "=", "threads.id")
        .as("themes"),
      eb
        .selectFrom("thread_tags")
        .select(sql<string>`group_concat(tag, ' ')`.as("t"))
        .whereRef("thread_tags.thread_id", "=", "threads.id")
        .as("tags"),
    ])
    .orderBy(filter === "latest" ? sql`threads.is_pinned desc` : sql`1`)
    .orderBy("threads.last_activity_at", "desc")
    .orderBy("threads.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    title: row.title,
    authorName: row.authorName,
    replyCount: row.replyCount,
    lastActivityAt: row.lastActivityAt,
    isPinned: row.isPinned === 1,
    isLocked: row.isLocked === 1,
    isHidden: row.isHidden === 1,
    isAnswered: row.acceptedPostId !== null,
    themes: row.themes ? row.themes.split(" ").sort() : [],
    tags: row.tags ? row.tags.split(" ").sort() : [],
  }));
}

export async function listCommunityMembers({ communityId, limit = 100 }: { communityId: number; limit?: number }) {
  return db
    .selectFrom("community_members")
    .innerJoin("users", "users.id", "community_members.user_id")
    .select([
      "users.username",
      "users.display_name as displayName",
      "users.organisation",
      "community_members.joined_at as joinedAt",
    ])
    .where("community_members.community_id", "=", communityId)
    .where("users.deleted_at", "is", null)
    .orderBy("community_members.joined_at")
    .limit(limit)
    .execute();
}

/**
 * One-click joining, for open communities; a members-only one admits only its stewards this way
 * (others ask to join). Joining twice is a mistake to tell the member about.
 */
export async function joinCommunity({ communityId, user }: { communityId: number; user: Actor }) {
  const userId = user.id;
  await writeTransaction(async (trx) => {
    const community = await trx
      .selectFrom("communities")
      .select(["name", "visibility", "created_by_user_id as createdByUserId"])
      .where("id", "=", communityId)
      .executeTakeFirst();
    if (!community) throw new NotFoundError();
    if (community.visibility === "members" && !canDecideJoinRequests(user, community)) {
      throw new ForbiddenError("This community is members-only: ask to join from its page and a steward will decide.");
    }
    const existing = await trx
      .selectFrom("community_members")
      .select("user_id")
      .where("community_id", "=", communityId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (existing) throw InvalidInputError.of("form", `You are already a member of ${community.name}.`);
    await trx
      .insertInto("community_members")
      .values({ community_id: communityId, user_id: userId, joined_at: nowIso() })
      .execute();
  });
}

export async function leaveCommunity({ communityId, userId }: { communityId: number; userId: string }) {
  await writeTransaction(async (trx) => {
    await trx
      .deleteFrom("community_members")
      .where("community_id", "=", communityId)
      .where("user_id", "=", userId)
      .execute();
    // A former member of a members-only space must stop hearing about it.
    await trx
      .deleteFrom("follows")
      .where("user_id", "=", userId)
      .where("target_type", "=", "community")
      .where("target_key", "=", String(communityId))
      .execute();
  });
}

export async function isCommunityMember(
  executor: DB,
  { communityId, userId }: { communityId: number; userId: string },
) {
  const row = await executor
    .selectFrom("community_members")
    .select("user_id")
    .where("community_id", "=", communityId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Boolean(row);
}

/** Creates a community (moderators and admins) and logs it; a taken name is a field error. */
export async function createCommunity({ form, creator }: { form: CommunityForm; creator: Actor }) {
  if (!canModerate(creator)) throw new ForbiddenError("This needs a moderator or an admin.");
  return writeTransaction(async (trx) => {
    if (!(await isEmailConfirmed(trx, { userId: creator.id })))
      throw InvalidInputError.of("name", CONFIRM_BEFORE_POSTING.replace("post", "start a community"));
    const slug = slugify(form.name);
    const taken = await trx.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirst();
    if (taken) throw InvalidInputError.of("name", "A community with that name already exists. Choose another name.");
    const { id } = await trx
      .insertInto("communities")
      .values({ slug, ...form, created_by_user_id: creator.id, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("community_members")
      .values({ community_id: id, user_id: creator.id, joined_at: nowIso() })
      .execute();
    await recordModerationAction(trx, {
      moderatorId: creator.id,
      action: "create-community",
      targetType: "community",
      targetId: String(id),
      reason: `Created ${form.visibility === "members" ? "members-only" : "open"} ${form.kind} community "${form.name}"`,
    });
    return { id, slug };
  });
}
