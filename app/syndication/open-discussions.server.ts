import { db } from "~/db/client.server";
import type { Theme } from "~/models/vocabulary";

// Discussions as the public outside world may see them: threads of open communities only,
// never a hidden thread, never a hidden or deleted post's words. Members-only communities do
// not exist as far as these functions are concerned.

const THREAD_COLUMNS = [
  "threads.id",
  "threads.slug",
  "threads.kind",
  "threads.title",
  "threads.created_at",
  "threads.last_activity_at",
  "threads.reply_count",
  "threads.accepted_post_id",
  "communities.slug as community_slug",
  "communities.name as community_name",
  "users.display_name as author_name",
] as const;
export type OpenCommunity = {
  slug: string;
  name: string;
  description: string;
  kind: "region" | "sector" | "topic";
  createdAt: string;
  threadCount: number;
  lastActivityAt: string | null;
};

export type OpenThread = {
  id: number;
  slug: string;
  kind: "discussion" | "question";
  title: string;
  communitySlug: string;
  communityName: string;
  authorName: string | null;
  createdAt: string;
  lastActivityAt: string;
  replyCount: number;
  isAnswered: boolean;
  themes: Theme[];
  tags: string[];
  /** Sanitised HTML of the opening post; empty when it was hidden or deleted. */
  openingPostHtml: string;
};

function visibleThreads() {
  return db
    .selectFrom("threads")
    .innerJoin("communities", "communities.id", "threads.community_id")
    .where("communities.visibility", "=", "open")
    .where("threads.is_hidden", "=", 0)
    .where("threads.kind", "in", ["discussion", "question"]);
}

function openCommunities() {
  return db
    .selectFrom("communities")
    .where("communities.visibility", "=", "open")
    .select([
      "communities.slug",
      "communities.name",
      "communities.description",
      "communities.kind",
      "communities.created_at",
      (eb) =>
        eb
          .selectFrom("threads")
          .whereRef("threads.community_id", "=", "communities.id")
          .where("threads.is_hidden", "=", 0)
          .where("threads.kind", "in", ["discussion", "question"])
          .select((inner) => inner.fn.countAll<number>().as("count"))
          .as("thread_count"),
      (eb) =>
        eb
          .selectFrom("threads")
          .whereRef("threads.community_id", "=", "communities.id")
          .where("threads.is_hidden", "=", 0)
          .where("threads.kind", "in", ["discussion", "question"])
          .select((inner) => inner.fn.max("threads.last_activity_at").as("latest"))
          .as("last_activity_at"),
    ]);
}

type CommunityRow = {
  slug: string;
  name: string;
  description: string;
  kind: OpenCommunity["kind"];
  created_at: string;
  thread_count: number | null;
  last_activity_at: string | null;
};

function toCommunity(row: CommunityRow): OpenCommunity {
  return {
    slug: row.slug,
    name: row.name,
    description: row.description,
    kind: row.kind,
    createdAt: row.created_at,
    threadCount: row.thread_count ?? 0,
    lastActivityAt: row.last_activity_at,
  };
}

export async function listOpenCommunities(): Promise<OpenCommunity[]> {
  const rows = await openCommunities().orderBy("communities.name").execute();
  return rows.map(toCommunity);
}

/** An open community by slug; null for members-only and missing alike, so neither is revealed. */
export async function getOpenCommunity({ slug }: { slug: string }) {
  const row = await openCommunities().where("communities.slug", "=", slug).executeTakeFirst();
  return row ? toCommunity(row) : null;
}

export type ThreadOrder = "created" | "activity";

/** A page of an open community's visible threads (or of all open communities' threads). */
export async function listOpenThreads({
  communitySlug,
  orderBy,
  after,
  limit,
}: {
  communitySlug?: string;
  orderBy: ThreadOrder;
  after?: { sortKey: string; id: number };
  limit: number;
}) {
  const sortColumn = orderBy === "created" ? "threads.created_at" : "threads.last_activity_at";
  let query = visibleThreads();
  if (communitySlug !== undefined) query = query.where("communities.slug", "=", communitySlug);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb(sortColumn, "<", after.sortKey),
        eb.and([eb(sortColumn, "=", after.sortKey), eb("threads.id", "<", after.id)]),
      ]),
    );
  }
  const rows = await query
    .leftJoin("users", (join) =>
      join.onRef("users.id", "=", "threads.author_user_id").on("users.deleted_at", "is", null),
    )
    .select(THREAD_COLUMNS)
    .orderBy(sortColumn, "desc")
    .orderBy("threads.id", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const threads = await withDetails(page);
  const last = page.at(-1);
  return {
    threads,
    next:
      rows.length > limit && last
        ? { sortKey: orderBy === "created" ? last.created_at : last.last_activity_at, id: last.id }
        : null,
  };
}

type ThreadRow = {
  id: number;
  slug: string;
  kind: "item" | "discussion" | "question";
  title: string;
  created_at: string;
  last_activity_at: string;
  reply_count: number;
  accepted_post_id: number | null;
  community_slug: string;
  community_name: string;
  author_name: string | null;
};

async function withDetails(rows: ThreadRow[]): Promise<OpenThread[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [themes, tags, openingPosts] = await Promise.all([
    db.selectFrom("thread_themes").select(["thread_id", "theme"]).where("thread_id", "in", ids).execute(),
    db.selectFrom("thread_tags").select(["thread_id", "tag"]).where("thread_id", "in", ids).orderBy("tag").execute(),
    db
      .selectFrom("posts")
      .select(["posts.thread_id", "posts.body_html", "posts.is_hidden", "posts.deleted_at"])
      .where("posts.id", "in", (eb) =>
        eb
          .selectFrom("posts as first")
          .select((inner) => inner.fn.min("first.id").as("id"))
          .where("first.thread_id", "in", ids)
          .where("first.parent_post_id", "is", null)
          .groupBy("first.thread_id"),
      )
      .execute(),
  ]);
  return rows.map((row) => {
    const opening = openingPosts.find((post) => post.thread_id === row.id);
    return {
      id: row.id,
      slug: row.slug,
      kind: row.kind === "question" ? "question" : "discussion",
      title: row.title,
      communitySlug: row.community_slug,
      communityName: row.community_name,
      authorName: row.author_name,
      createdAt: row.created_at,
      lastActivityAt: row.last_activity_at,
      replyCount: row.reply_count,
      isAnswered: row.accepted_post_id !== null,
      themes: themes.filter((theme) => theme.thread_id === row.id).map((theme) => theme.theme),
      tags: tags.filter((tag) => tag.thread_id === row.id).map((tag) => tag.tag),
      openingPostHtml: opening && opening.is_hidden === 0 && opening.deleted_at === null ? opening.body_html : "",
    };
  });
}

export type OpenReply = {
  id: number;
  parentId: number | null;
  authorName: string | null;
  createdAt: string;
  editedAt: string | null;
  isAccepted: boolean;
  /** Hidden and deleted replies keep their place in the thread but lose their words and author. */
  isRemoved: boolean;
  bodyHtml: string;
};

/** One visible thread of an open community, with its replies in order; null otherwise. */
export async function getOpenThread({ communitySlug, id }: { communitySlug: string; id: number }) {
  const row = await visibleThreads()
    .where("communities.slug", "=", communitySlug)
    .where("threads.id", "=", id)
    .leftJoin("users", (join) =>
      join.onRef("users.id", "=", "threads.author_user_id").on("users.deleted_at", "is", null),
    )
    .select(THREAD_COLUMNS)
    .executeTakeFirst();
  if (!row) return null;
  const [thread] = await withDetails([row]);
  const posts = await db
    .selectFrom("posts")
    .leftJoin("users", (join) => join.onRef("users.id", "=", "posts.author_user_id").on("users.deleted_at", "is", null))
    .select([
      "posts.id",
      "posts.parent_post_id",
      "posts.body_html",
      "posts.is_hidden",
      "posts.deleted_at",
      "posts.created_at",
      "posts.edited_at",
      "users.display_name as author_name",
    ])
    .where("posts.thread_id", "=", id)
    .orderBy("posts.created_at")
    .orderBy("posts.id")
    .execute();
  const openingId = posts.find((post) => post.parent_post_id === null)?.id;
  const replies: OpenReply[] = posts
    .filter((post) => post.id !== openingId)
    .map((post) => {
      const isRemoved = post.is_hidden !== 0 || post.deleted_at !== null;
      return {
        id: post.id,
        parentId: post.parent_post_id === openingId ? null : post.parent_post_id,
        authorName: isRemoved ? null : post.author_name,
        createdAt: post.created_at,
        editedAt: isRemoved ? null : post.edited_at,
        isAccepted: !isRemoved && post.id === row.accepted_post_id,
        isRemoved,
        bodyHtml: isRemoved ? "" : post.body_html,
      };
    });
  return { thread: thread!, replies };
}
