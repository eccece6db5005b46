import { sql } from "kysely";
import { z } from "zod";

import { type DB, db, writeTransaction } from "~/db/client.server";
import { nowIso } from "~/utils/dates";
import { type ThreadAddress, threadPath } from "~/utils/paths";
import { slugify } from "~/utils/slug";

import type { Actor, Viewer } from "./actor.server";
import { isCommunityMember, requireVisibleCommunity } from "./community.server";
import { canModerate, threadIsVisible } from "./discussion-access.server";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";
import { followTarget, notifyAboutPost } from "./notification.server";
import { enforcePostingLimit } from "./posting-limit.server";
import { renderReplyMarkdown } from "./reply-render.server";
import { THEME_SLUGS, type Theme } from "./vocabulary";

const MAX_REPLY_LENGTH = 20_000;

export const ReplyBodySchema = z
  .string()
  .trim()
  .min(2, "Write a reply before posting it")
  .max(
    MAX_REPLY_LENGTH,
    `Replies can be up to ${MAX_REPLY_LENGTH.toLocaleString("en-GB")} characters. Split a long answer into two replies, or link to a library item.`,
  );

const tagList = z
  .string()
  .default("")
  .transform((value) => [
    ...new Set(
      value
        .split(/[,\s]+/)
        .map((tag) => slugify(tag))
        .filter((tag) => tag && tag !== "untitled"),
    ),
  ])
  .pipe(z.array(z.string().max(40)).max(8, "Use at most 8 tags"));

export const NewThreadSchema = z.object({
  kind: z.enum(["discussion", "question"], { error: "Choose a discussion or a question" }),
  title: z
    .string()
    .trim()
    .min(8, "Give the thread a title of at least 8 characters")
    .max(150, "Keep the title under 150 characters"),
  body: ReplyBodySchema,
  themes: z.array(z.enum(THEME_SLUGS, { error: "Choose themes from the list" })).default([]),
  tags: tagList,
  items: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(/[,\s]+/)
        .map((slug) => slug.trim())
        .filter(Boolean),
    ),
});
export type NewThreadForm = z.infer<typeof NewThreadSchema>;

/** The thread row behind a page, if the viewer may read it. */
export async function findVisibleThread(executor: DB, { threadId, viewer }: { threadId: number; viewer: Viewer }) {
  return executor
    .selectFrom("threads")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("items", "items.id", "threads.item_id")
    .select([
      "threads.id",
      "threads.kind",
      "threads.slug",
      "threads.title",
      "threads.community_id as communityId",
      "threads.item_id as itemId",
      "threads.author_user_id as authorId",
      "threads.accepted_post_id as acceptedPostId",
      "threads.is_locked as isLocked",
      "threads.is_pinned as isPinned",
      "threads.is_hidden as isHidden",
      "threads.reply_count as replyCount",
      "threads.created_at as createdAt",
      "communities.slug as communitySlug",
      "communities.name as communityName",
      "communities.visibility as communityVisibility",
      "items.slug as itemSlug",
      "items.status as itemStatus",
    ])
    .where("threads.id", "=", threadId)
    .where(threadIsVisible(viewer))
    .executeTakeFirst();
}

export type PostView = {
  id: number;
  parentPostId: number | null;
  parentAuthorName: string | null;
  authorName: string;
  authorUsername: string | null;
  bodyHtml: string;
  bodyMarkdown: string;
  createdAt: string;
  editedAt: string | null;
  isDeleted: boolean;
  isHidden: boolean;
  helpfulCount: number;
  isHelpfulToViewer: boolean;
  /** Signed in, not its author, and the reply is shown: setHelpful refuses everyone else. */
  canMarkHelpful: boolean;
  canEdit: boolean;
  canDelete: boolean;
};

export type ReplyGroup = { post: PostView; replies: PostView[] };

export type ThreadView = {
  thread: {
    id: number;
    kind: "item" | "discussion" | "question";
    slug: string;
    title: string;
    href: string;
    communitySlug: string | null;
    communityName: string | null;
    isMembersOnly: boolean;
    authorName: string | null;
    createdAt: string;
    isLocked: boolean;
    isPinned: boolean;
    isHidden: boolean;
    replyCount: number;
    /** Changes whenever a post is added, so a reply box can start empty after a successful post. */
    latestPostId: number | null;
    themes: Theme[];
    tags: string[];
    linkedItems: { slug: string; title: string }[];
  };
  openingPost: PostView | null;
  acceptedPost: PostView | null;
  groups: ReplyGroup[];
  viewer: {
    isSignedIn: boolean;
    canReply: boolean;
    cannotReplyBecause: string | null;
    canAccept: boolean;
    canModerate: boolean;
    isFollowing: boolean;
  };
};

/** Every post of a thread, authors and reaction counts joined, in one query. */
async function loadPosts(threadId: number, viewer: Viewer) {
  const viewerId = viewer?.id ?? "";
  return db
    .selectFrom("posts")
    .leftJoin("users", "users.id", "posts.author_user_id")
    .leftJoin("posts as parent", "parent.id", "posts.parent_post_id")
    .leftJoin("users as parent_author", "parent_author.id", "parent.author_user_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("reactions")
          .innerJoin("posts as reacted", "reacted.id", "reactions.target_id")
          .select([
            "reactions.target_id",
            (inner) => inner.fn.countAll<number>().as("helpful"),
            sql<number>`max(reactions.user_id = ${viewerId})`.as("mine"),
          ])
          .where("reactions.target_type", "=", "post")
          .where("reacted.thread_id", "=", threadId)
          .groupBy("reactions.target_id")
          .as("counts"),
      (join) => join.onRef("counts.target_id", "=", "posts.id"),
    )
    .select([
      "posts.id",
      "posts.parent_post_id as parentPostId",
      "posts.author_user_id as authorId",
      "posts.body_markdown as bodyMarkdown",
      "posts.body_html as bodyHtml",
      "posts.is_hidden as isHidden",
      "posts.created_at as createdAt",
      "posts.edited_at as editedAt",
      "posts.deleted_at as deletedAt",
      "users.display_name as authorName",
      "users.username as authorUsername",
      "parent_author.display_name as parentAuthorName",
      "counts.helpful",
      "counts.mine",
    ])
    .where("posts.thread_id", "=", threadId)
    .orderBy("posts.id")
    .execute();
}

type PostRow = Awaited<ReturnType<typeof loadPosts>>[number];

function toPostView(row: PostRow, viewer: Viewer, isLocked: boolean): PostView {
  const isDeleted = row.deletedAt !== null;
  const isHidden = row.isHidden === 1;
  const moderator = canModerate(viewer);
  const isAuthor = viewer !== null && row.authorId === viewer.id;
  const bodyVisible = !isDeleted && (!isHidden || moderator);
  return {
    id: row.id,
    parentPostId: row.parentPostId,
    parentAuthorName: row.parentAuthorName,
    authorName: isDeleted ? "Deleted reply" : (row.authorName ?? "Former member"),
    authorUsername: isDeleted ? null : row.authorUsername,
    bodyHtml: bodyVisible ? row.bodyHtml : "",
    bodyMarkdown: bodyVisible && (isAuthor || moderator) ? row.bodyMarkdown : "",
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    isDeleted,
    isHidden,
    helpfulCount: Number(row.helpful ?? 0),
    isHelpfulToViewer: Boolean(row.mine),
    canMarkHelpful: viewer !== null && !isAuthor && !isDeleted && !isHidden,
    canEdit: !isDeleted && ((isAuthor && !isLocked && !isHidden) || moderator),
    canDelete: !isDeleted && (isAuthor || moderator),
  };
}

/**
 * A thread laid out as Discourse does: replies to the thread in time order, each followed by
 * the conversation under it (one level of nesting, each reply saying whom it answers).
 */
export async function getThreadView({ threadId, viewer }: { threadId: number; viewer: Viewer }): Promise<ThreadView> {
  const thread = await findVisibleThread(db, { threadId, viewer });
  if (!thread) throw new NotFoundError();
  const [rows, author, themes, tags, linkedItems, following, memberOfCommunity] = await Promise.all([
    loadPosts(thread.id, viewer),
    thread.authorId
      ? db.selectFrom("users").select("display_name").where("id", "=", thread.authorId).executeTakeFirst()
      : undefined,
    db.selectFrom("thread_themes").select("theme").where("thread_id", "=", thread.id).orderBy("theme").execute(),
    db.selectFrom("thread_tags").select("tag").where("thread_id", "=", thread.id).orderBy("tag").execute(),
    db
      .selectFrom("thread_items")
      .innerJoin("items", "items.id", "thread_items.item_id")
      .select(["items.slug", "items.title"])
      .where("thread_items.thread_id", "=", thread.id)
      .where("items.status", "=", "published")
      .orderBy("items.title")
      .execute(),
    viewer
      ? db
          .selectFrom("follows")
          .select("user_id")
          .where("user_id", "=", viewer.id)
          .where("target_type", "=", "thread")
          .where("target_key", "=", String(thread.id))
          .executeTakeFirst()
      : undefined,
    viewer && thread.communityId !== null
      ? isCommunityMember(db, { communityId: thread.communityId, userId: viewer.id })
      : false,
  ]);

  const isLocked = thread.isLocked === 1;
  const posts = rows.map((row) => toPostView(row, viewer, isLocked));
  const openingPost = thread.kind === "item" ? null : (posts[0] ?? null);
  const replies = openingPost ? posts.slice(1) : posts;
  const acceptedPost = replies.find((post) => post.id === thread.acceptedPostId && !post.isDeleted) ?? null;

  const rootOf = new Map<number, number>();
  const groups: ReplyGroup[] = [];
  const groupByRoot = new Map<number, ReplyGroup>();
  for (const post of replies) {
    const parentRoot = post.parentPostId !== null ? rootOf.get(post.parentPostId) : undefined;
    if (parentRoot === undefined) {
      rootOf.set(post.id, post.id);
      const group = { post, replies: [] as PostView[] };
      groups.push(group);
      groupByRoot.set(post.id, group);
    } else {
      rootOf.set(post.id, parentRoot);
      groupByRoot.get(parentRoot)!.replies.push(post);
    }
  }

  const moderator = canModerate(viewer);
  const isMembersOnly = thread.communityVisibility === "members";
  let cannotReplyBecause: string | null = null;
  if (!viewer) cannotReplyBecause = "Sign in to reply.";
  else if (isLocked) cannotReplyBecause = "This thread is locked: no new replies can be added.";
  else if (thread.isHidden === 1)
    cannotReplyBecause = "This thread is hidden by a moderator, so it cannot take new replies.";
  else if (isMembersOnly && !memberOfCommunity && !moderator) cannotReplyBecause = "Join the community to reply.";

  return {
    thread: {
      id: thread.id,
      kind: thread.kind,
      slug: thread.slug,
      title: thread.title,
      href: threadPath(thread),
      communitySlug: thread.communitySlug,
      communityName: thread.communityName,
      isMembersOnly,
      authorName: author?.display_name ?? null,
      createdAt: thread.createdAt,
      isLocked,
      isPinned: thread.isPinned === 1,
      isHidden: thread.isHidden === 1,
      replyCount: thread.replyCount,
      latestPostId: rows.at(-1)?.id ?? null,
      themes: themes.map((row) => row.theme),
      tags: tags.map((row) => row.tag),
      linkedItems,
    },
    openingPost,
    acceptedPost,
    groups,
    viewer: {
      isSignedIn: viewer !== null,
      canReply: cannotReplyBecause === null,
      cannotReplyBecause,
      canAccept: thread.kind === "question" && viewer !== null && (viewer.id === thread.authorId || moderator),
      canModerate: moderator,
      isFollowing: Boolean(following),
    },
  };
}

/** The id of an item's thread, if anyone has replied yet. */
export async function findItemThreadId({ itemId }: { itemId: number }) {
  const row = await db.selectFrom("threads").select("id").where("item_id", "=", itemId).executeTakeFirst();
  return row?.id ?? null;
}

/** An item's thread, created on first use. */
export async function ensureItemThread(trx: DB, { itemId }: { itemId: number }) {
  const existing = await trx.selectFrom("threads").select("id").where("item_id", "=", itemId).executeTakeFirst();
  if (existing) return existing.id;
  const item = await trx
    .selectFrom("items")
    .select(["id", "slug", "title", "status"])
    .where("id", "=", itemId)
    .executeTakeFirst();
  if (!item || item.status !== "published") throw new NotFoundError();
  const now = nowIso();
  const { id } = await trx
    .insertInto("threads")
    .values({
      kind: "item",
      item_id: item.id,
      slug: item.slug,
      title: item.title,
      last_activity_at: now,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // The people who wrote the item hear about its discussion, as on Forem and Discourse.
  const writers = await trx
    .selectFrom("items")
    .leftJoin("item_authors", "item_authors.item_id", "items.id")
    .leftJoin("authors", "authors.id", "item_authors.author_id")
    .select(["items.created_by_user_id as creatorId", "authors.user_id as authorUserId"])
    .where("items.id", "=", item.id)
    .execute();
  const userIds = new Set(
    writers.flatMap((row) => [row.creatorId, row.authorUserId]).filter((userId): userId is string => userId !== null),
  );
  for (const userId of userIds) await followTarget(trx, { userId, targetType: "thread", targetKey: String(id) });
  return id;
}

/** A member starts a discussion or question in a community they can post in; its text is the opening post. */
export async function startThread({
  communityId,
  author,
  form,
}: {
  communityId: number;
  author: Actor;
  form: NewThreadForm;
}) {
  // Rendering needs no lock, so it happens before the write lock is taken, not while others wait.
  const rendered = await renderReplyMarkdown(db, form.body);
  return writeTransaction(async (trx) => {
    const community = await requireVisibleCommunity(trx, { id: communityId, viewer: author });
    if (
      community.visibility === "members" &&
      !canModerate(author) &&
      !(await isCommunityMember(trx, { communityId, userId: author.id }))
    ) {
      throw InvalidInputError.of("form", "Join the community to start a thread.");
    }
    await enforcePostingLimit(trx, { userId: author.id, writing: "post" });
    const items = form.items.length
      ? await trx
          .selectFrom("items")
          .select(["id", "slug"])
          .where("slug", "in", form.items)
          .where("status", "=", "published")
          .execute()
      : [];
    const unknown = form.items.filter((slug) => !items.some((item) => item.slug === slug));
    if (unknown.length)
      throw InvalidInputError.of(
        "items",
        `We could not find ${unknown.map((slug) => `"${slug}"`).join(", ")} in the library. Use the last part of the item's address.`,
      );

    const now = nowIso();
    const base = slugify(form.title).slice(0, 80).replace(/-$/, "");
    let slug = base;
    for (
      let n = 2;
      await trx
        .selectFrom("threads")
        .select("id")
        .where("community_id", "=", communityId)
        .where("slug", "=", slug)
        .executeTakeFirst();
      n += 1
    ) {
      slug = `${base}-${n}`;
    }
    const { id: threadId } = await trx
      .insertInto("threads")
      .values({
        kind: form.kind,
        community_id: communityId,
        slug,
        title: form.title,
        author_user_id: author.id,
        last_activity_at: now,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (form.themes.length)
      await trx
        .insertInto("thread_themes")
        .values([...new Set(form.themes)].map((theme) => ({ thread_id: threadId, theme })))
        .execute();
    if (form.tags.length)
      await trx
        .insertInto("thread_tags")
        .values(form.tags.map((tag) => ({ thread_id: threadId, tag })))
        .execute();
    if (items.length)
      await trx
        .insertInto("thread_items")
        .values(items.map((item) => ({ thread_id: threadId, item_id: item.id })))
        .execute();

    const { id: postId } = await trx
      .insertInto("posts")
      .values({
        thread_id: threadId,
        author_user_id: author.id,
        body_markdown: form.body,
        body_html: rendered.html,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await followTarget(trx, { userId: author.id, targetType: "thread", targetKey: String(threadId) });
    await notifyAboutPost(trx, {
      threadId,
      postId,
      actorId: author.id,
      parentAuthorId: null,
      mentionedUserIds: rendered.mentionedUserIds,
      newThread: { communityId, themes: form.themes },
    });
    return { threadId, slug, communitySlug: community.slug };
  });
}

/** The question's author (or a moderator) accepts one reply from the same thread, or clears the choice. */
export async function setAcceptedAnswer({
  threadId,
  postId,
  actor,
}: {
  threadId: number;
  postId: number | null;
  actor: Actor;
}) {
  await writeTransaction(async (trx) => {
    const thread = await findVisibleThread(trx, { threadId, viewer: actor });
    if (!thread) throw new NotFoundError();
    if (thread.kind !== "question") throw InvalidInputError.of("form", "Only questions have accepted answers.");
    if (thread.authorId !== actor.id && !canModerate(actor))
      throw new ForbiddenError("Only the person who asked can accept an answer.");
    if (postId === null) {
      await trx.updateTable("threads").set({ accepted_post_id: null }).where("id", "=", threadId).execute();
      return;
    }
    const post = await trx
      .selectFrom("posts")
      .select(["id", "thread_id", "deleted_at", "author_user_id"])
      .where("id", "=", postId)
      .executeTakeFirst();
    if (!post || post.thread_id !== threadId)
      throw InvalidInputError.of("form", "That reply is not part of this thread, so it cannot be its accepted answer.");
    if (post.deleted_at) throw InvalidInputError.of("form", "That reply has been deleted, so it cannot be accepted.");
    const opening = await trx
      .selectFrom("posts")
      .select(sql<number>`min(id)`.as("id"))
      .where("thread_id", "=", threadId)
      .executeTakeFirstOrThrow();
    if (opening.id === post.id) throw InvalidInputError.of("form", "The question itself cannot be its own answer.");
    await trx.updateTable("threads").set({ accepted_post_id: post.id }).where("id", "=", threadId).execute();
    if (post.author_user_id && post.author_user_id !== actor.id) {
      await trx
        .insertInto("notifications")
        .values({
          user_id: post.author_user_id,
          kind: "accepted",
          actor_user_id: actor.id,
          thread_id: threadId,
          post_id: post.id,
          created_at: nowIso(),
        })
        .execute();
    }
  });
}

/** The markdown of a reply to quote, if the viewer can read it in this thread. */
export async function getQuoteDraft({
  threadId,
  postId,
  viewer,
}: {
  threadId: number;
  postId: number;
  viewer: Viewer;
}) {
  const row = await db
    .selectFrom("posts")
    .innerJoin("threads", "threads.id", "posts.thread_id")
    .leftJoin("users", "users.id", "posts.author_user_id")
    .select([
      "posts.id",
      "posts.body_markdown as markdown",
      "users.display_name as authorName",
      "posts.is_hidden as isHidden",
      "posts.deleted_at as deletedAt",
    ])
    .where("posts.id", "=", postId)
    .where("posts.thread_id", "=", threadId)
    .where(threadIsVisible(viewer))
    .executeTakeFirst();
  if (!row || row.deletedAt || row.isHidden === 1) return null;
  return { postId: row.id, authorName: row.authorName ?? "A former member", markdown: row.markdown };
}

/** Everything a thread page needs for the viewer, including a quote they asked to start from. */
export async function loadThreadPage({
  threadId,
  viewer,
  quoteId,
}: {
  threadId: number;
  viewer: Viewer;
  quoteId: number | null;
}) {
  const view = await getThreadView({ threadId, viewer });
  const quote = viewer && quoteId !== null ? await getQuoteDraft({ threadId, postId: quoteId, viewer }) : null;
  return { view, quote };
}

/** Where a thread lives, to link to it or to one of its posts. */
export async function findThreadAddress({ threadId }: { threadId: number }): Promise<ThreadAddress> {
  return db
    .selectFrom("threads")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("items", "items.id", "threads.item_id")
    .select(["threads.id", "threads.slug", "communities.slug as communitySlug", "items.slug as itemSlug"])
    .where("threads.id", "=", threadId)
    .executeTakeFirstOrThrow();
}
