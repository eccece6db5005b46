import { db } from "~/db/client.server";
import { renderMarkdown } from "~/markdown/render.server";
import type { Theme } from "~/models/vocabulary";
import { slugify } from "~/utils/slug";

let sequence = 0;

/** Inserts a community (open unless told otherwise). */
export async function createCommunity(
  overrides: { slug?: string; name?: string; description?: string; kind?: "region" | "sector" | "topic"; visibility?: "open" | "members"; createdAt?: string } = {},
) {
  sequence += 1;
  const name = overrides.name ?? `Test community ${sequence}`;
  const row = {
    slug: overrides.slug ?? `${slugify(name)}-${sequence}`,
    name,
    description: overrides.description ?? `A place to talk about test topic ${sequence}.`,
    kind: overrides.kind ?? "topic",
    visibility: overrides.visibility ?? "open",
    created_at: overrides.createdAt ?? "2026-01-01T09:00:00.000Z",
  };
  const { id } = await db.insertInto("communities").values(row).returning("id").executeTakeFirstOrThrow();
  return { id, ...row };
}

/**
 * Inserts a community thread with its opening post (rendered through the one render path),
 * and optionally some replies.
 */
export async function createThread({
  communityId,
  authorUserId = null,
  title,
  kind = "discussion",
  body = "Has anyone published a UK9 yet?",
  themes = [],
  tags = [],
  replies = 0,
  isHidden = false,
  isOpeningPostHidden = false,
  createdAt = "2026-02-01T10:00:00.000Z",
  lastActivityAt,
}: {
  communityId: number;
  authorUserId?: string | null;
  title?: string;
  kind?: "discussion" | "question";
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
  const threadTitle = title ?? `Test thread ${sequence}`;
  const { id } = await db
    .insertInto("threads")
    .values({
      kind,
      community_id: communityId,
      slug: slugify(threadTitle),
      title: threadTitle,
      author_user_id: authorUserId,
      is_hidden: isHidden ? 1 : 0,
      reply_count: replies,
      last_activity_at: lastActivityAt ?? createdAt,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (themes.length > 0) await db.insertInto("thread_themes").values(themes.map((theme) => ({ thread_id: id, theme }))).execute();
  if (tags.length > 0) await db.insertInto("thread_tags").values(tags.map((tag) => ({ thread_id: id, tag }))).execute();
  const opening = await db
    .insertInto("posts")
    .values({
      thread_id: id,
      author_user_id: authorUserId,
      body_markdown: body,
      body_html: renderMarkdown(body).html,
      is_hidden: isOpeningPostHidden ? 1 : 0,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let reply = 0; reply < replies; reply += 1) {
    await db
      .insertInto("posts")
      .values({
        thread_id: id,
        parent_post_id: opening.id,
        author_user_id: authorUserId,
        body_markdown: `Reply ${reply + 1}`,
        body_html: `<p>Reply ${reply + 1}</p>`,
        created_at: createdAt,
      })
      .execute();
  }
  return { id, slug: slugify(threadTitle), title: threadTitle, openingPostId: opening.id };
}

/** Inserts a reply to a post of a thread. */
export async function createReply({
  threadId,
  parentPostId,
  authorUserId = null,
  body = "We did, last month.",
  isHidden = false,
  isDeleted = false,
  createdAt = "2026-02-02T10:00:00.000Z",
}: {
  threadId: number;
  parentPostId: number;
  authorUserId?: string | null;
  body?: string;
  isHidden?: boolean;
  isDeleted?: boolean;
  createdAt?: string;
}) {
  const { id } = await db
    .insertInto("posts")
    .values({
      thread_id: threadId,
      parent_post_id: parentPostId,
      author_user_id: authorUserId,
      body_markdown: body,
      body_html: renderMarkdown(body).html,
      is_hidden: isHidden ? 1 : 0,
      deleted_at: isDeleted ? createdAt : null,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id };
}
