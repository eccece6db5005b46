import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { createCommunity, makeCreator } from "../../tests/factories/discussions";
import { createUser } from "../../tests/factories/users";
import {
  canDecideJoinRequests,
  countPendingJoinRequests,
  decideJoinRequest,
  getOwnJoinRequest,
  listCommunitiesWithPendingRequests,
  listPendingJoinRequests,
  requestToJoin,
  withdrawJoinRequest,
} from "./community-join-request.server";
import { isCommunityMember, joinCommunity } from "./community.server";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors.server";
import { listModerationLog } from "./moderation.server";
import { countUnreadNotifications, listNotifications } from "./notification.server";

const asMember = (user: { id: string }) => ({ id: user.id, role: "member" as const });

async function privateCommunityWithCreator() {
  const community = await createCommunity({ visibility: "members" });
  const creator = await createUser({ displayName: "Cora Creator" });
  await makeCreator({ communityId: community.id, userId: creator.id });
  return { community, creator };
}

describe("asking to join a members-only community", () => {
  it("records one pending request with its message and tells the stewards", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const requester = await createUser({ displayName: "Rhys Requester" });
    const bystander = await createUser();
    await requestToJoin({ communityId: community.id, requester, message: "I run the regional framework." });

    const own = await getOwnJoinRequest({ communityId: community.id, userId: requester.id });
    expect(own).toMatchObject({ status: "pending", message: "I run the regional framework.", declineReason: null });
    expect(await countPendingJoinRequests({ communityId: community.id })).toBe(1);
    expect(await listPendingJoinRequests({ communityId: community.id })).toEqual([
      expect.objectContaining({ requesterName: "Rhys Requester", message: "I run the regional framework." }),
    ]);
    expect(await listCommunitiesWithPendingRequests()).toContainEqual(
      expect.objectContaining({ slug: community.slug, pending: 1 }),
    );
    expect(await isCommunityMember(db, { communityId: community.id, userId: requester.id })).toBe(false);

    const creatorsNotices = await listNotifications({ viewer: asMember(creator) });
    expect(creatorsNotices[0]).toMatchObject({
      kind: "join-request",
      actorName: "Rhys Requester",
      threadTitle: community.name,
      href: `/communities/${community.slug}/requests`,
    });
    expect(await listNotifications({ viewer: { id: community.creator.id, role: "moderator" } })).toContainEqual(
      expect.objectContaining({ kind: "join-request" }),
    );
    expect(await countUnreadNotifications({ viewer: asMember(bystander) })).toBe(0);
    expect(await countUnreadNotifications({ viewer: asMember(requester) })).toBe(0);
  });

  it("refuses a second pending request, a member, and an open community, with messages", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const requester = await createUser();
    await requestToJoin({ communityId: community.id, requester, message: "" });
    await expect(requestToJoin({ communityId: community.id, requester, message: "again" })).rejects.toThrow(
      /already waiting for approval/,
    );
    await expect(requestToJoin({ communityId: community.id, requester: creator, message: "" })).rejects.toThrow(
      /already a member/,
    );
    const open = await createCommunity();
    await expect(requestToJoin({ communityId: open.id, requester, message: "" })).rejects.toThrow(/open to everyone/);
    expect(await countPendingJoinRequests({ communityId: community.id })).toBe(1);
  });

  it("keeps one pending request per member even if two arrive at once (the database says no)", async () => {
    const { community } = await privateCommunityWithCreator();
    const requester = await createUser();
    const values = { community_id: community.id, user_id: requester.id, created_at: new Date().toISOString() };
    await db.insertInto("community_join_requests").values(values).execute();
    await expect(db.insertInto("community_join_requests").values(values).execute()).rejects.toThrow(/UNIQUE/);
  });

  it("no longer lets a member join a members-only community with one click; stewards still may", async () => {
    const { community } = await privateCommunityWithCreator();
    const outsider = await createUser();
    await expect(joinCommunity({ communityId: community.id, user: asMember(outsider) })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const moderator = await createUser({ role: "moderator" });
    await joinCommunity({ communityId: community.id, user: { id: moderator.id, role: "moderator" } });
    expect(await isCommunityMember(db, { communityId: community.id, userId: moderator.id })).toBe(true);
    const open = await createCommunity();
    await joinCommunity({ communityId: open.id, user: asMember(outsider) });
    expect(await isCommunityMember(db, { communityId: open.id, userId: outsider.id })).toBe(true);
    const twice = await joinCommunity({ communityId: open.id, user: asMember(outsider) }).catch(
      (error: unknown) => error,
    );
    expect(twice).toBeInstanceOf(InvalidInputError);
    expect((twice as InvalidInputError).fieldErrors).toEqual({ form: `You are already a member of ${open.name}.` });
  });
});

describe("withdrawing a request", () => {
  it("withdraws the pending request, clears the stewards' unread notice, and allows asking again", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const requester = await createUser();
    await requestToJoin({ communityId: community.id, requester, message: "" });
    await withdrawJoinRequest({ communityId: community.id, userId: requester.id });
    expect((await getOwnJoinRequest({ communityId: community.id, userId: requester.id }))?.status).toBe("withdrawn");
    expect(await countPendingJoinRequests({ communityId: community.id })).toBe(0);
    expect(await countUnreadNotifications({ viewer: asMember(creator) })).toBe(0);
    await expect(withdrawJoinRequest({ communityId: community.id, userId: requester.id })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await requestToJoin({ communityId: community.id, requester, message: "Second try" });
    expect((await getOwnJoinRequest({ communityId: community.id, userId: requester.id }))?.status).toBe("pending");
  });
});

describe("deciding a request", () => {
  it("approves: the requester becomes a member, is told, and the moderation log records it", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const requester = await createUser({ displayName: "Ada Applicant" });
    const { id } = await requestToJoin({ communityId: community.id, requester, message: "" });
    await decideJoinRequest({
      requestId: id,
      communityId: community.id,
      decider: asMember(creator),
      decision: "approve",
      reason: "",
    });

    expect(await isCommunityMember(db, { communityId: community.id, userId: requester.id })).toBe(true);
    const request = await db
      .selectFrom("community_join_requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(request).toMatchObject({ status: "approved", decided_by_user_id: creator.id, decline_reason: null });
    expect(request.decided_at).not.toBeNull();
    const [notice] = await listNotifications({ viewer: asMember(requester) });
    expect(notice).toMatchObject({
      kind: "join-approved",
      actorName: "Cora Creator",
      href: `/communities/${community.slug}`,
    });
    const [logged] = await listModerationLog({ limit: 1 });
    expect(logged).toMatchObject({
      action: "approve-join-request",
      targetType: "community",
      targetId: String(community.id),
      moderatorName: "Cora Creator",
    });
    expect(logged!.reason).toContain("Ada Applicant");
  });

  it("declines with a reason the requester sees, and refuses to decide the same request twice", async () => {
    const { community } = await privateCommunityWithCreator();
    const moderator = await createUser({ role: "moderator" });
    const requester = await createUser();
    const { id } = await requestToJoin({ communityId: community.id, requester, message: "" });
    await decideJoinRequest({
      requestId: id,
      communityId: community.id,
      decider: { id: moderator.id, role: "moderator" },
      decision: "decline",
      reason: "For heads of commercial only",
    });
    expect(await getOwnJoinRequest({ communityId: community.id, userId: requester.id })).toMatchObject({
      status: "declined",
      declineReason: "For heads of commercial only",
    });
    expect(await isCommunityMember(db, { communityId: community.id, userId: requester.id })).toBe(false);
    expect((await listNotifications({ viewer: asMember(requester) }))[0]).toMatchObject({ kind: "join-declined" });
    const [logged] = await listModerationLog({ limit: 1 });
    expect(logged).toMatchObject({ action: "decline-join-request" });
    expect(logged!.reason).toContain("For heads of commercial only");
    await expect(
      decideJoinRequest({
        requestId: id,
        communityId: community.id,
        decider: { id: moderator.id, role: "moderator" },
        decision: "approve",
        reason: "",
      }),
    ).rejects.toThrow(/already been declined/);
  });

  it("is only for moderators, admins and the creator", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const member = await createUser();
    await db
      .insertInto("community_members")
      .values({ community_id: community.id, user_id: member.id, joined_at: new Date().toISOString() })
      .execute();
    const requester = await createUser();
    const { id } = await requestToJoin({ communityId: community.id, requester, message: "" });
    await expect(
      decideJoinRequest({
        requestId: id,
        communityId: community.id,
        decider: asMember(member),
        decision: "approve",
        reason: "",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(canDecideJoinRequests(asMember(creator), { createdByUserId: creator.id })).toBe(true);
    expect(canDecideJoinRequests({ id: member.id, role: "admin" }, { createdByUserId: creator.id })).toBe(true);
    expect(canDecideJoinRequests(asMember(member), { createdByUserId: creator.id })).toBe(false);
    expect(canDecideJoinRequests(null, { createdByUserId: null })).toBe(false);
    // A request from another community cannot be decided through this one.
    const other = await privateCommunityWithCreator();
    await expect(
      decideJoinRequest({
        requestId: id,
        communityId: other.community.id,
        decider: asMember(other.creator),
        decision: "approve",
        reason: "",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("tells a withdrawn request apart from a decided one", async () => {
    const { community, creator } = await privateCommunityWithCreator();
    const requester = await createUser({ displayName: "Wren Withdrawn" });
    const { id } = await requestToJoin({ communityId: community.id, requester, message: "" });
    await withdrawJoinRequest({ communityId: community.id, userId: requester.id });
    await expect(
      decideJoinRequest({
        requestId: id,
        communityId: community.id,
        decider: asMember(creator),
        decision: "approve",
        reason: "",
      }),
    ).rejects.toThrow(/Wren Withdrawn has withdrawn/);
  });
});
