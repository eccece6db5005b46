import { z } from "zod";

import { type DB, db, writeTransaction } from "~/db/client.server";
import type { JoinRequestStatus, NotificationKind } from "~/db/schema";
import { nowIso } from "~/utils/dates";

import type { Actor, Viewer } from "./actor.server";
import { canModerate } from "./discussion-access.server";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";
import { recordModerationAction } from "./moderation.server";

export const JoinRequestFormSchema = z.object({
  message: z.string().trim().max(500, "Keep your message under 500 characters").optional().default(""),
});

export const DeclineFormSchema = z.object({
  reason: z.string().trim().max(500, "Keep the reason under 500 characters").optional().default(""),
});

/** Who decides requests to join: moderators and admins, who look after every space, and the community's creator. */
export function canDecideJoinRequests(viewer: Viewer, community: { createdByUserId: string | null }) {
  if (!viewer) return false;
  return canModerate(viewer) || (community.createdByUserId !== null && community.createdByUserId === viewer.id);
}

async function communityForRequests(executor: DB, communityId: number) {
  const community = await executor
    .selectFrom("communities")
    .select(["id", "slug", "name", "visibility", "created_by_user_id as createdByUserId"])
    .where("id", "=", communityId)
    .executeTakeFirst();
  if (!community) throw new NotFoundError();
  return community;
}

/** The community's stewards for a slug, with whether the viewer is one; 404 for a missing community. */
export async function findCommunityForStewards({ slug, viewer }: { slug: string; viewer: Viewer }) {
  const community = await db
    .selectFrom("communities")
    .select(["id", "slug", "name", "visibility", "created_by_user_id as createdByUserId"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!community) throw new NotFoundError();
  return { ...community, canDecide: canDecideJoinRequests(viewer, community) };
}

export type OwnJoinRequest = {
  id: number;
  status: JoinRequestStatus;
  message: string | null;
  declineReason: string | null;
  createdAt: string;
  decidedAt: string | null;
};

/** The member's latest request to join a community, whatever became of it; null if they never asked. */
export async function getOwnJoinRequest({
  communityId,
  userId,
}: {
  communityId: number;
  userId: string;
}): Promise<OwnJoinRequest | null> {
  const row = await db
    .selectFrom("community_join_requests")
    .select([
      "id",
      "status",
      "message",
      "decline_reason as declineReason",
      "created_at as createdAt",
      "decided_at as decidedAt",
    ])
    .where("community_id", "=", communityId)
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row ?? null;
}

/** A member asks to join a members-only community; its stewards hear about it. */
export async function requestToJoin({
  communityId,
  requester,
  message,
}: {
  communityId: number;
  requester: Actor;
  message: string;
}) {
  return writeTransaction(async (trx) => {
    const community = await communityForRequests(trx, communityId);
    if (community.visibility === "open")
      throw InvalidInputError.of("form", `${community.name} is open to everyone: join it directly.`);
    const member = await trx
      .selectFrom("community_members")
      .select("user_id")
      .where("community_id", "=", communityId)
      .where("user_id", "=", requester.id)
      .executeTakeFirst();
    if (member) throw InvalidInputError.of("form", `You are already a member of ${community.name}.`);
    const pending = await trx
      .selectFrom("community_join_requests")
      .select("id")
      .where("community_id", "=", communityId)
      .where("user_id", "=", requester.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (pending)
      throw InvalidInputError.of("form", `Your request to join ${community.name} is already waiting for approval.`);
    const now = nowIso();
    const { id } = await trx
      .insertInto("community_join_requests")
      .values({ community_id: communityId, user_id: requester.id, message: message || null, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const stewards = await trx
      .selectFrom("users")
      .select("id")
      .where("deleted_at", "is", null)
      .where("id", "!=", requester.id)
      .where((eb) =>
        eb.or([
          eb("role", "in", ["moderator", "admin"]),
          ...(community.createdByUserId ? [eb("id", "=", community.createdByUserId)] : []),
        ]),
      )
      .execute();
    await notify(trx, {
      recipients: stewards.map((steward) => steward.id),
      kind: "join-request",
      actorId: requester.id,
      joinRequestId: id,
      now,
    });
    return { id };
  });
}

/** The member takes back a request still waiting; stewards' unread notices of it go too. */
export async function withdrawJoinRequest({ communityId, userId }: { communityId: number; userId: string }) {
  await writeTransaction(async (trx) => {
    const pending = await trx
      .selectFrom("community_join_requests")
      .select("id")
      .where("community_id", "=", communityId)
      .where("user_id", "=", userId)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (!pending)
      throw InvalidInputError.of("form", "You have no request to join waiting: it may already have been decided.");
    await trx
      .updateTable("community_join_requests")
      .set({ status: "withdrawn", decided_at: nowIso() })
      .where("id", "=", pending.id)
      .execute();
    await trx
      .deleteFrom("notifications")
      .where("join_request_id", "=", pending.id)
      .where("kind", "=", "join-request")
      .where("read_at", "is", null)
      .execute();
  });
}

export type PendingJoinRequest = {
  id: number;
  message: string | null;
  createdAt: string;
  requesterName: string;
  requesterUsername: string;
  requesterOrganisation: string | null;
};

/** Requests waiting in one community, oldest first. */
export async function listPendingJoinRequests({ communityId }: { communityId: number }): Promise<PendingJoinRequest[]> {
  return db
    .selectFrom("community_join_requests")
    .innerJoin("users", "users.id", "community_join_requests.user_id")
    .select([
      "community_join_requests.id",
      "community_join_requests.message",
      "community_join_requests.created_at as createdAt",
      "users.display_name as requesterName",
      "users.username as requesterUsername",
      "users.organisation as requesterOrganisation",
    ])
    .where("community_join_requests.community_id", "=", communityId)
    .where("community_join_requests.status", "=", "pending")
    .where("users.deleted_at", "is", null)
    .orderBy("community_join_requests.created_at")
    .orderBy("community_join_requests.id")
    .execute();
}

export async function countPendingJoinRequests({ communityId }: { communityId: number }) {
  const { n } = await db
    .selectFrom("community_join_requests")
    .innerJoin("users", "users.id", "community_join_requests.user_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("community_join_requests.community_id", "=", communityId)
    .where("community_join_requests.status", "=", "pending")
    .where("users.deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Communities with requests waiting, for the moderation queue: how many and since when. */
export async function listCommunitiesWithPendingRequests() {
  const rows = await db
    .selectFrom("community_join_requests")
    .innerJoin("communities", "communities.id", "community_join_requests.community_id")
    .innerJoin("users", "users.id", "community_join_requests.user_id")
    .select((eb) => [
      "communities.slug",
      "communities.name",
      eb.fn.countAll<number>().as("pending"),
      eb.fn.min("community_join_requests.created_at").as("oldestAt"),
    ])
    .where("community_join_requests.status", "=", "pending")
    .where("users.deleted_at", "is", null)
    .groupBy(["communities.id", "communities.slug", "communities.name"])
    .orderBy("oldestAt")
    .execute();
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    pending: Number(row.pending),
    oldestAt: String(row.oldestAt),
  }));
}

/**
 * A steward approves (the requester becomes a member) or declines (with an optional reason the
 * requester sees). Logged like every moderator action, and the requester is told either way.
 */
export async function decideJoinRequest({
  requestId,
  communityId,
  decider,
  decision,
  reason,
}: {
  requestId: number;
  communityId: number;
  decider: Actor;
  decision: "approve" | "decline";
  reason: string;
}) {
  await writeTransaction(async (trx) => {
    const community = await communityForRequests(trx, communityId);
    if (!canDecideJoinRequests(decider, community)) throw new ForbiddenError("Forbidden");
    const request = await trx
      .selectFrom("community_join_requests")
      .innerJoin("users", "users.id", "community_join_requests.user_id")
      .select([
        "community_join_requests.id",
        "community_join_requests.status",
        "community_join_requests.user_id as userId",
        "users.display_name as requesterName",
      ])
      .where("community_join_requests.id", "=", requestId)
      .where("community_join_requests.community_id", "=", communityId)
      .executeTakeFirst();
    if (!request) throw new NotFoundError();
    if (request.status !== "pending") {
      throw InvalidInputError.of(
        "form",
        request.status === "withdrawn"
          ? `${request.requesterName} has withdrawn this request.`
          : `This request has already been ${request.status}, perhaps by another steward.`,
      );
    }
    const now = nowIso();
    await trx
      .updateTable("community_join_requests")
      .set({
        status: decision === "approve" ? "approved" : "declined",
        decided_at: now,
        decided_by_user_id: decider.id,
        decline_reason: decision === "decline" && reason ? reason : null,
      })
      .where("id", "=", requestId)
      .execute();
    if (decision === "approve") {
      await trx
        .insertInto("community_members")
        .values({ community_id: communityId, user_id: request.userId, joined_at: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await recordModerationAction(trx, {
      moderatorId: decider.id,
      action: decision === "approve" ? "approve-join-request" : "decline-join-request",
      targetType: "community",
      targetId: String(communityId),
      reason:
        decision === "approve"
          ? `Approved ${request.requesterName}'s request to join "${community.name}"`
          : `Declined ${request.requesterName}'s request to join "${community.name}"${reason ? `: ${reason}` : ""}`,
    });
    await notify(trx, {
      recipients: [request.userId],
      kind: decision === "approve" ? "join-approved" : "join-declined",
      actorId: decider.id,
      joinRequestId: requestId,
      now,
    });
  });
}

async function notify(
  trx: DB,
  {
    recipients,
    kind,
    actorId,
    joinRequestId,
    now,
  }: { recipients: string[]; kind: NotificationKind; actorId: string; joinRequestId: number; now: string },
) {
  if (recipients.length === 0) return;
  await trx
    .insertInto("notifications")
    .values(
      recipients.map((userId) => ({
        user_id: userId,
        kind,
        actor_user_id: actorId,
        thread_id: null,
        post_id: null,
        join_request_id: joinRequestId,
        created_at: now,
      })),
    )
    .execute();
}
