import { db } from "~/db/client.server";
import { createCommunity as insertCommunity } from "~/models/community.server";
import { replyToThread } from "~/models/post.server";
import { startThread } from "~/models/thread.server";
import { nowIso } from "~/utils/dates";

import { createUser } from "./users";

let sequence = 0;

type Member = { id: string; role: "member" | "moderator" | "admin" };

/** A community created by a fresh moderator (who becomes its first member). */
export async function createCommunity(overrides: { name?: string; visibility?: "open" | "members"; kind?: "region" | "sector" | "topic" } = {}) {
  sequence += 1;
  const creator = await createUser({ role: "moderator" });
  const name = overrides.name ?? `Test community ${sequence} ${Math.random().toString(36).slice(2, 7)}`;
  const { id, slug } = await insertCommunity({
    form: { name, description: `A community for testing, number ${sequence}.`, kind: overrides.kind ?? "topic", visibility: overrides.visibility ?? "open" },
    creator,
  });
  return { id, slug, name, creator };
}

export async function addMember({ communityId, userId }: { communityId: number; userId: string }) {
  await db.insertInto("community_members").values({ community_id: communityId, user_id: userId, joined_at: nowIso() }).onConflict((oc) => oc.doNothing()).execute();
}

/** An account old enough not to meet the new-account posting limit. */
export async function createEstablishedUser(overrides: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(overrides);
  const lastWeek = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
  await db.updateTable("users").set({ created_at: lastWeek }).where("id", "=", user.id).execute();
  return user;
}

export async function createThread({
  communityId,
  author,
  kind = "question",
  title,
  body = "Has anyone published a UK9 yet? We have three KPIs to rate.",
  themes = [],
  tags = [],
}: {
  communityId: number;
  author: Member;
  kind?: "discussion" | "question";
  title?: string;
  body?: string;
  themes?: ("upstream" | "downstream" | "partnership")[];
  tags?: string[];
}) {
  sequence += 1;
  await addMember({ communityId, userId: author.id });
  const thread = await startThread({
    communityId,
    author,
    form: { kind, title: title ?? `Test thread number ${sequence}`, body, themes, tags, items: [] },
  });
  return thread;
}

export async function createReply({ threadId, author, body = "We published ours last month.", parentPostId = null }: { threadId: number; author: Member; body?: string; parentPostId?: number | null }) {
  return replyToThread({ target: { threadId }, author, body, parentPostId });
}
