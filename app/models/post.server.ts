import { type DB, db, writeTransaction } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

import type { Actor, Viewer } from "./actor.server";
import { isCommunityMember } from "./community.server";
import { canModerate, threadIsVisible } from "./discussion-access.server";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";
import { recordModerationAction } from "./moderation.server";
import { followTarget, notifyAboutPost } from "./notification.server";
import { enforcePostingLimit } from "./posting-limit.server";
import { renderReplyMarkdown } from "./reply-render.server";
import { ensureItemThread, findVisibleThread } from "./thread.server";

type ReplyTarget = { threadId: number } | { itemId: number };

/** A member replies to a thread (or to an item, whose thread is created on the first reply). */
export async function replyToThread({
  target,
  author,
  body,
  parentPostId,
}: {
  target: ReplyTarget;
  author: Actor;
  body: string;
  parentPostId: number | null;
}) {
  // Rendering needs no lock, so it happens before the write lock is taken, not while others wait.
  const rendered = await renderReplyMarkdown(db, body);
  return writeTransaction(async (trx) => {
    const threadId = "threadId" in target ? target.threadId : await ensureItemThread(trx, { itemId: target.itemId });
    const thread = await findVisibleThread(trx, { threadId, viewer: author });
    if (!thread) throw new NotFoundError();
    if (thread.isHidden === 1)
      throw InvalidInputError.of("form", "This thread has been removed by a moderator, so it cannot take new replies.");
    if (thread.isLocked === 1)
      throw InvalidInputError.of(
        "form",
        "This thread is locked: no new replies can be added. Copy your text if you want to keep it.",
      );
    if (thread.itemId !== null && thread.itemStatus !== "published")
      throw InvalidInputError.of("form", "This item is no longer published, so its discussion is closed.");
    if (
      thread.communityVisibility === "members" &&
      !canModerate(author) &&
      !(await isCommunityMember(trx, { communityId: thread.communityId!, userId: author.id }))
    ) {
      throw InvalidInputError.of("form", "Join the community to reply.");
    }
    let parentAuthorId: string | null = null;
    if (parentPostId !== null) {
      const parent = await trx
        .selectFrom("posts")
        .select(["id", "thread_id", "author_user_id", "deleted_at"])
        .where("id", "=", parentPostId)
        .executeTakeFirst();
      if (!parent || parent.thread_id !== threadId)
        throw InvalidInputError.of(
          "form",
          "The reply you were answering is not in this thread. Post your reply to the thread instead.",
        );
      if (parent.deleted_at)
        throw InvalidInputError.of(
          "form",
          "The reply you were answering has been deleted. Post your reply to the thread instead.",
        );
      parentAuthorId = parent.author_user_id;
    }
    await enforcePostingLimit(trx, { userId: author.id, writing: "post" });

    const now = nowIso();
    // A reply to the opening post is a reply to the thread: it starts a conversation of its own.
    const openingPost =
      thread.kind === "item"
        ? undefined
        : await trx
            .selectFrom("posts")
            .select("id")
            .where("thread_id", "=", threadId)
            .orderBy("id")
            .limit(1)
            .executeTakeFirst();
    const storedParent = parentPostId !== null && parentPostId === openingPost?.id ? null : parentPostId;
    const { id: postId } = await trx
      .insertInto("posts")
      .values({
        thread_id: threadId,
        parent_post_id: storedParent,
        author_user_id: author.id,
        body_markdown: body,
        body_html: rendered.html,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("threads")
      .set((eb) => ({ reply_count: eb("reply_count", "+", 1), last_activity_at: now }))
      .where("id", "=", threadId)
      .execute();
    await notifyAboutPost(trx, {
      threadId,
      postId,
      actorId: author.id,
      parentAuthorId,
      mentionedUserIds: rendered.mentionedUserIds,
    });
    await followTarget(trx, { userId: author.id, targetType: "thread", targetKey: String(threadId) });
    return { threadId, postId };
  });
}

async function findEditablePost(trx: DB, { postId, actor }: { postId: number; actor: Actor }) {
  const post = await trx
    .selectFrom("posts")
    .innerJoin("threads", "threads.id", "posts.thread_id")
    .select([
      "posts.id",
      "posts.thread_id as threadId",
      "posts.author_user_id as authorId",
      "posts.body_markdown as bodyMarkdown",
      "posts.deleted_at as deletedAt",
      "posts.is_hidden as isHidden",
      "threads.is_locked as isLocked",
      "threads.accepted_post_id as acceptedPostId",
    ])
    .where("posts.id", "=", postId)
    .where(threadIsVisible(actor))
    .executeTakeFirst();
  if (!post) throw new NotFoundError();
  const isAuthor = post.authorId === actor.id;
  if (!isAuthor && !canModerate(actor))
    throw new ForbiddenError("Only the author or a moderator can change this reply.");
  if (post.deletedAt) throw InvalidInputError.of("form", "This reply has been deleted.");
  return { post, isAuthor };
}

/** Edits a reply, keeping the previous text as a revision so readers can see what changed. */
export async function editReply({ postId, editor, body }: { postId: number; editor: Actor; body: string }) {
  const rendered = await renderReplyMarkdown(db, body);
  return writeTransaction(async (trx) => {
    const { post, isAuthor } = await findEditablePost(trx, { postId, actor: editor });
    if (isAuthor && !canModerate(editor)) {
      if (post.isLocked === 1)
        throw InvalidInputError.of("form", "This thread is locked, so replies in it can no longer be edited.");
      if (post.isHidden === 1)
        throw InvalidInputError.of("form", "A moderator has hidden this reply, so it cannot be edited.");
    }
    if (body === post.bodyMarkdown) return { threadId: post.threadId };
    await enforcePostingLimit(trx, { userId: editor.id, writing: "post" });
    const now = nowIso();
    await trx
      .insertInto("post_revisions")
      .values({ post_id: post.id, body_markdown: post.bodyMarkdown, user_id: editor.id, created_at: now })
      .execute();
    await trx
      .updateTable("posts")
      .set({ body_markdown: body, body_html: rendered.html, edited_at: now })
      .where("id", "=", post.id)
      .execute();
    return { threadId: post.threadId };
  });
}

/** Deletes a reply's words but keeps its place, so answers to it still make sense. */
export async function deleteReply({ postId, actor, reason }: { postId: number; actor: Actor; reason?: string }) {
  return writeTransaction(async (trx) => {
    const { post, isAuthor } = await findEditablePost(trx, { postId, actor });
    if (!isAuthor && !reason)
      throw InvalidInputError.of("reason", "Say why you are deleting someone else's reply, for the audit log.");
    await trx
      .updateTable("posts")
      .set({ body_markdown: "", body_html: "", deleted_at: nowIso() })
      .where("id", "=", post.id)
      .execute();
    await trx.deleteFrom("post_revisions").where("post_id", "=", post.id).execute();
    await trx
      .updateTable("threads")
      .set((eb) => ({
        reply_count: eb("reply_count", "-", 1),
        accepted_post_id: post.acceptedPostId === post.id ? null : eb.ref("accepted_post_id"),
      }))
      .where("id", "=", post.threadId)
      .execute();
    if (!isAuthor) {
      await recordModerationAction(trx, {
        moderatorId: actor.id,
        action: "delete-post",
        targetType: "post",
        targetId: String(post.id),
        reason: reason!,
      });
    }
    return { threadId: post.threadId };
  });
}

/** A reply's earlier versions, newest first, for readers who can see the reply. */
export async function listPostRevisions({ postId, viewer }: { postId: number; viewer: Viewer }) {
  const post = await db
    .selectFrom("posts")
    .innerJoin("threads", "threads.id", "posts.thread_id")
    .leftJoin("users", "users.id", "posts.author_user_id")
    .select([
      "posts.id",
      "posts.thread_id as threadId",
      "posts.body_html as bodyHtml",
      "posts.body_markdown as bodyMarkdown",
      "posts.edited_at as editedAt",
      "posts.created_at as createdAt",
      "posts.is_hidden as isHidden",
      "posts.deleted_at as deletedAt",
      "users.display_name as authorName",
    ])
    .where("posts.id", "=", postId)
    .where(threadIsVisible(viewer))
    .executeTakeFirst();
  if (!post || post.deletedAt || (post.isHidden === 1 && !canModerate(viewer))) throw new NotFoundError();
  const revisions = await db
    .selectFrom("post_revisions")
    .leftJoin("users", "users.id", "post_revisions.user_id")
    .select([
      "post_revisions.id",
      "post_revisions.body_markdown as bodyMarkdown",
      "post_revisions.created_at as replacedAt",
      "users.display_name as editorName",
    ])
    .where("post_revisions.post_id", "=", postId)
    .orderBy("post_revisions.id", "desc")
    .execute();
  return { post, revisions };
}
