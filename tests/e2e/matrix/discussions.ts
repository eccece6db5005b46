// Authorisation rows for every mutating discussions route.
import { db } from "~/db/client.server";
import { requestToJoin } from "~/models/community-join-request.server";
import { flagContent } from "~/models/moderation.server";

import {
  addMember,
  createCommunity,
  createEstablishedUser,
  createReply,
  createThread,
  makeCreator,
} from "../../factories/discussions";
import { createItem } from "../../factories/items";
import { type Actor, type MatrixRow, SIGNED_IN } from "../support/matrix";

const OWNER_OR_STAFF: Actor[] = ["owner", "moderator", "admin"];
const STAFF: Actor[] = ["moderator", "admin"];

const asMember = (id: string) => ({ id, role: "member" as const });

async function someone() {
  return asMember((await createEstablishedUser()).id);
}

/** A published item of the row's own: replies, Helpful marks and flags on a seeded item would show in other tests. */
async function publishedItem() {
  const { id, slug } = await createItem({
    slug: `matrix-item-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
  });
  return { id, slug };
}

/** An open community with a question by the owner and a reply by someone else. */
async function ownersQuestion(owner: { id: string }) {
  const community = await createCommunity();
  const { threadId, slug } = await createThread({
    communityId: community.id,
    author: asMember(owner.id),
    kind: "question",
  });
  const { postId } = await createReply({ threadId, author: await someone(), body: "An answer from another member." });
  return { community, threadId, postId, path: `/communities/${community.slug}/threads/${threadId}-${slug}` };
}

/** An open community thread by someone else, with a reply written by the owner. */
async function ownersReply(owner: { id: string }) {
  const community = await createCommunity();
  const { threadId, slug } = await createThread({
    communityId: community.id,
    author: await someone(),
    kind: "discussion",
  });
  const { postId } = await createReply({ threadId, author: asMember(owner.id), body: "The owner's reply." });
  return { community, threadId, postId, path: `/communities/${community.slug}/threads/${threadId}-${slug}` };
}

/** A members-only community the owner belongs to, with a thread in it. */
async function ownersPrivateCommunity(owner: { id: string }) {
  const community = await createCommunity({ visibility: "members" });
  await addMember({ communityId: community.id, userId: owner.id });
  const author = await someone();
  const { threadId, slug } = await createThread({ communityId: community.id, author, kind: "discussion" });
  return { community, threadId, path: `/communities/${community.slug}/threads/${threadId}-${slug}` };
}

/** A members-only community the owner created, with a request to join from someone else waiting. */
async function ownersCommunityWithRequest(owner: { id: string }) {
  const community = await createCommunity({ visibility: "members" });
  await makeCreator({ communityId: community.id, userId: owner.id });
  const { id } = await requestToJoin({
    communityId: community.id,
    requester: await someone(),
    message: "Please let me in.",
  });
  return { path: `/communities/${community.slug}/requests`, requestId: String(id) };
}

export const rows: MatrixRow[] = [
  {
    name: "reply to an item's discussion",
    prepare: async () => ({
      path: `/library/${(await publishedItem()).slug}`,
      form: { intent: "reply", body: "A reply from the matrix." },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "mark an item helpful",
    prepare: async () => {
      const item = await publishedItem();
      return {
        path: `/library/${item.slug}`,
        form: { intent: "helpful", targetType: "item", targetId: String(item.id), helpful: "1" },
      };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "flag an item",
    prepare: async () => {
      const item = await publishedItem();
      return {
        path: `/library/${item.slug}`,
        form: { intent: "flag", targetType: "item", targetId: String(item.id), reason: "inaccurate", note: "" },
      };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "reply in an open community thread",
    prepare: async (owner) => ({
      path: (await ownersReply(owner)).path,
      form: { intent: "reply", body: "Another reply from the matrix." },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "edit a reply",
    prepare: async (owner) => {
      const { path, postId } = await ownersReply(owner);
      return { path, form: { intent: "edit", postId: String(postId), body: "Edited by the matrix." } };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "delete a reply",
    prepare: async (owner) => {
      const { path, postId } = await ownersReply(owner);
      return {
        path,
        form: { intent: "delete", postId: String(postId), reason: "Removed in the authorisation matrix" },
      };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "accept an answer to a question",
    prepare: async (owner) => {
      const { path, postId } = await ownersQuestion(owner);
      return { path, form: { intent: "accept", postId: String(postId) } };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "mark a reply helpful",
    prepare: async (owner) => {
      const { path, postId } = await ownersQuestion(owner);
      return { path, form: { intent: "helpful", targetType: "post", targetId: String(postId), helpful: "1" } };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "flag a reply",
    prepare: async (owner) => {
      const { path, postId } = await ownersQuestion(owner);
      return {
        path,
        form: { intent: "flag", targetType: "post", targetId: String(postId), reason: "off-topic", note: "" },
      };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "follow a thread",
    prepare: async (owner) => ({
      path: (await ownersQuestion(owner)).path,
      form: { intent: "follow-thread", follow: "1" },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "lock a thread",
    prepare: async (owner) => ({
      path: (await ownersQuestion(owner)).path,
      form: { intent: "moderate-thread", action: "lock", reason: "Matrix check" },
    }),
    allowed: STAFF,
  },
  {
    name: "hide a reply",
    prepare: async (owner) => {
      const { path, postId } = await ownersReply(owner);
      return {
        path,
        form: { intent: "moderate-post", postId: String(postId), action: "hide", reason: "Matrix check" },
      };
    },
    allowed: STAFF,
  },
  {
    name: "reply in a members-only thread",
    prepare: async (owner) => ({
      path: (await ownersPrivateCommunity(owner)).path,
      form: { intent: "reply", body: "Members-only reply." },
    }),
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "start a thread in a members-only community",
    prepare: async (owner) => {
      const { community } = await ownersPrivateCommunity(owner);
      return {
        path: `/communities/${community.slug}/threads/new`,
        form: { kind: "question", title: "A members-only question", body: "Asked in the matrix." },
      };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "start a thread in an open community",
    prepare: async () => {
      const community = await createCommunity();
      return {
        path: `/communities/${community.slug}/threads/new`,
        form: { kind: "discussion", title: "An open discussion thread", body: "Started in the matrix." },
      };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "join a community",
    prepare: async () => ({ path: `/communities/${(await createCommunity()).slug}`, form: { intent: "join" } }),
    allowed: SIGNED_IN,
  },
  {
    // Anyone signed in may ask (the owner, already a member as its creator, is told so with a 400).
    name: "ask to join a members-only community",
    prepare: async (owner) => {
      const community = await createCommunity({ visibility: "members" });
      await makeCreator({ communityId: community.id, userId: owner.id });
      return { path: `/communities/${community.slug}`, form: { intent: "ask", message: "Asked by the matrix." } };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "join a members-only community with one click",
    prepare: async (owner) => {
      const community = await createCommunity({ visibility: "members" });
      await makeCreator({ communityId: community.id, userId: owner.id });
      return { path: `/communities/${community.slug}`, form: { intent: "join" } };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    // Withdrawing acts on the sender's own request: others are told they have none (400), never shown the owner's.
    name: "withdraw a request to join",
    prepare: async (owner) => {
      const community = await createCommunity({ visibility: "members" });
      await requestToJoin({ communityId: community.id, requester: { id: owner.id, role: "member" }, message: "" });
      return { path: `/communities/${community.slug}`, form: { intent: "withdraw" } };
    },
    allowed: SIGNED_IN,
  },
  {
    name: "approve a request to join",
    prepare: async (owner) => {
      const { path, requestId } = await ownersCommunityWithRequest(owner);
      return { path, form: { intent: "approve", requestId } };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "decline a request to join",
    prepare: async (owner) => {
      const { path, requestId } = await ownersCommunityWithRequest(owner);
      return { path, form: { intent: "decline", requestId, reason: "Declined by the matrix." } };
    },
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "follow a members-only community",
    prepare: async (owner) => ({
      path: `/communities/${(await ownersPrivateCommunity(owner)).community.slug}`,
      form: { intent: "follow", follow: "1" },
    }),
    allowed: OWNER_OR_STAFF,
  },
  {
    name: "create a community",
    prepare: async () => ({
      path: "/communities/new",
      form: {
        name: `Matrix community ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`,
        description: "Created by the authorisation matrix.",
        kind: "topic",
        visibility: "open",
      },
    }),
    allowed: STAFF,
  },
  {
    name: "resolve a flag in the moderation queue",
    prepare: async (owner) => {
      const { postId } = await ownersReply(owner);
      await flagContent({ targetType: "post", targetId: postId, reporter: await someone(), reason: "spam", note: "" });
      const flag = await db
        .selectFrom("flags")
        .select("id")
        .where("target_id", "=", postId)
        .where("target_type", "=", "post")
        .executeTakeFirstOrThrow();
      return {
        path: "/moderation",
        form: { intent: "resolve", flagId: String(flag.id), outcome: "dismissed", reason: "Matrix check" },
      };
    },
    allowed: STAFF,
  },
  {
    name: "mark notifications read",
    prepare: async () => ({ path: "/notifications", form: { intent: "read-all" } }),
    allowed: SIGNED_IN,
  },
  {
    name: "follow a theme",
    prepare: async () => ({
      path: "/notifications",
      form: { intent: "follow-theme", theme: "downstream", follow: "1" },
    }),
    allowed: SIGNED_IN,
  },
];
