import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { action as communityAction, loader as communityLoader } from "~/routes/communities.$slug._index";
import { action as requestsAction, loader as requestsLoader } from "~/routes/communities.$slug.requests";
import { loader as moderationLoader } from "~/routes/moderation._index";
import { loader as notificationsLoader } from "~/routes/notifications";

import { createCommunity, makeCreator } from "../factories/discussions";
import { createUser } from "../factories/users";
import { asUser, callAction, callLoader, replyOf, statusOf, thrownResponse } from "../support/remix";

async function privateCommunity() {
  const community = await createCommunity({ visibility: "members" });
  const creator = await createUser({ displayName: "Cora Creator" });
  await makeCreator({ communityId: community.id, userId: creator.id });
  const path = `/communities/${community.slug}`;
  return { community, creator, path, params: { slug: community.slug } };
}

describe("a members-only community's page for a signed-in outsider", () => {
  it("shows only its outside, asks to join, shows the request waiting, and withdraws it", async () => {
    const { path, params } = await privateCommunity();
    const outsider = await createUser();
    const headers = await asUser(outsider.id);

    const outside = await callLoader(communityLoader, path, params, headers);
    expect(outside.community.canRead).toBe(false);
    expect(outside.threads).toEqual([]);
    expect(outside.members).toEqual([]);
    expect(outside.joinRequest).toBeNull();

    const asked = await callAction(
      communityAction,
      path,
      { intent: "ask", message: "  I lead category management.  " },
      { params, ...headers },
    );
    expect(statusOf(asked)).toBe(303);
    const waiting = await callLoader(communityLoader, path, params, headers);
    expect(waiting.joinRequest).toMatchObject({ status: "pending", message: "I lead category management." });

    const again = await callAction(communityAction, path, { intent: "ask", message: "Please" }, { params, ...headers });
    expect(statusOf(again)).toBe(400);
    expect(replyOf(again).errorOf("form")).toMatch(/already waiting/);

    expect(statusOf(await callAction(communityAction, path, { intent: "withdraw" }, { params, ...headers }))).toBe(303);
    expect((await callLoader(communityLoader, path, params, headers)).joinRequest?.status).toBe("withdrawn");
    const nothingToWithdraw = await callAction(communityAction, path, { intent: "withdraw" }, { params, ...headers });
    expect(statusOf(nothingToWithdraw)).toBe(400);
  });

  it("keeps a too-long message with a field error, and shows anonymous visitors only the way to sign in", async () => {
    const { path, params } = await privateCommunity();
    const outsider = await createUser();
    const long = "x".repeat(501);
    const result = await callAction(
      communityAction,
      path,
      { intent: "ask", message: long },
      { params, ...(await asUser(outsider.id)) },
    );
    expect(statusOf(result)).toBe(400);
    expect(replyOf(result).fieldErrors()).toEqual({ message: "Keep your message under 500 characters" });
    expect(replyOf(result).valueOf("message")).toBe(long);
    const anonymous = await callLoader(communityLoader, path, params);
    expect(anonymous).toMatchObject({ isSignedIn: false, threads: [], joinRequest: null });
    expect(anonymous.community.canRead).toBe(false);
  });

  it("refuses one-click joining of a members-only community with a 403, but not of an open one", async () => {
    const { path, params } = await privateCommunity();
    const outsider = await createUser();
    const refused = await thrownResponse(async () =>
      callAction(communityAction, path, { intent: "join" }, { params, ...(await asUser(outsider.id)) }),
    );
    expect(refused.status).toBe(403);
    const open = await createCommunity();
    const joined = await callAction(
      communityAction,
      `/communities/${open.slug}`,
      { intent: "join" },
      { params: { slug: open.slug }, ...(await asUser(outsider.id)) },
    );
    expect(statusOf(joined)).toBe(303);
  });
});

describe("the requests page", () => {
  it("is for stewards only: the creator, moderators and admins", async () => {
    const { community, creator, params } = await privateCommunity();
    const requestsPath = `/communities/${community.slug}/requests`;
    const member = await createUser();
    await db
      .insertInto("community_members")
      .values({ community_id: community.id, user_id: member.id, joined_at: new Date().toISOString() })
      .execute();
    expect(
      (await thrownResponse(async () => callLoader(requestsLoader, requestsPath, params, await asUser(member.id))))
        .status,
    ).toBe(403);
    const anonymous = await thrownResponse(async () => callLoader(requestsLoader, requestsPath, params));
    expect(anonymous.headers.get("Location")).toMatch(/^\/sign-in/);
    for (const steward of [creator, await createUser({ role: "moderator" }), await createUser({ role: "admin" })]) {
      expect((await callLoader(requestsLoader, requestsPath, params, await asUser(steward.id))).requests).toEqual([]);
    }
    const creatorsPage = await callLoader(
      communityLoader,
      `/communities/${community.slug}`,
      params,
      await asUser(creator.id),
    );
    expect(creatorsPage).toMatchObject({ canDecide: true, pendingRequests: 0 });
    const membersPage = await callLoader(
      communityLoader,
      `/communities/${community.slug}`,
      params,
      await asUser(member.id),
    );
    expect(membersPage.canDecide).toBe(false);
  });

  it("approves one request and declines another with a reason; each requester sees the outcome", async () => {
    const { community, creator, path, params } = await privateCommunity();
    const requestsPath = `/communities/${community.slug}/requests`;
    const ada = await createUser({ displayName: "Ada Applicant" });
    const ben = await createUser({ displayName: "Ben Bidder" });
    await callAction(
      communityAction,
      path,
      { intent: "ask", message: "Ada here" },
      { params, ...(await asUser(ada.id)) },
    );
    await callAction(communityAction, path, { intent: "ask", message: "" }, { params, ...(await asUser(ben.id)) });

    const stewardHeaders = await asUser(creator.id);
    expect((await callLoader(communityLoader, path, params, stewardHeaders)).pendingRequests).toBe(2);
    const moderator = await createUser({ role: "moderator" });
    const queue = await callLoader(moderationLoader, "/moderation", {}, await asUser(moderator.id));
    expect(queue.joinRequests).toContainEqual(expect.objectContaining({ slug: community.slug, pending: 2 }));
    const notices = await callLoader(notificationsLoader, "/notifications", {}, stewardHeaders);
    expect(notices.notifications.map((notice) => notice.kind)).toEqual(["join-request", "join-request"]);

    const listed = await callLoader(requestsLoader, requestsPath, params, stewardHeaders);
    const [adaRequest, benRequest] = listed.requests;
    expect(adaRequest).toMatchObject({ requesterName: "Ada Applicant", message: "Ada here" });

    const tooLong = await callAction(
      requestsAction,
      requestsPath,
      { intent: "decline", requestId: String(benRequest!.id), reason: "y".repeat(501) },
      { params, ...stewardHeaders },
    );
    expect(statusOf(tooLong)).toBe(400);
    expect(replyOf(tooLong).fieldErrors()).toEqual({ reason: "Keep the reason under 500 characters" });
    expect(replyOf(tooLong).valueOf("requestId")).toBe(String(benRequest!.id));

    expect(
      statusOf(
        await callAction(
          requestsAction,
          requestsPath,
          { intent: "approve", requestId: String(adaRequest!.id) },
          { params, ...stewardHeaders },
        ),
      ),
    ).toBe(303);
    expect(
      statusOf(
        await callAction(
          requestsAction,
          requestsPath,
          { intent: "decline", requestId: String(benRequest!.id), reason: "Heads of commercial only" },
          { params, ...stewardHeaders },
        ),
      ),
    ).toBe(303);
    const twice = await callAction(
      requestsAction,
      requestsPath,
      { intent: "approve", requestId: String(benRequest!.id) },
      { params, ...stewardHeaders },
    );
    expect(statusOf(twice)).toBe(400);
    expect(replyOf(twice).errorOf("form")).toMatch(/already been declined/);
    const nonsense = await callAction(
      requestsAction,
      requestsPath,
      { intent: "shrug", requestId: "x" },
      { params, ...stewardHeaders },
    );
    expect(statusOf(nonsense)).toBe(400);
    expect(
      (
        await thrownResponse(async () =>
          callAction(
            requestsAction,
            requestsPath,
            { intent: "approve", requestId: "999999" },
            { params, ...stewardHeaders },
          ),
        )
      ).status,
    ).toBe(404);

    const adaPage = await callLoader(communityLoader, path, params, await asUser(ada.id));
    expect(adaPage.community).toMatchObject({ canRead: true, isMember: true });
    const benPage = await callLoader(communityLoader, path, params, await asUser(ben.id));
    expect(benPage.community.canRead).toBe(false);
    expect(benPage.joinRequest).toMatchObject({ status: "declined", declineReason: "Heads of commercial only" });
    const benNotices = await callLoader(notificationsLoader, "/notifications", {}, await asUser(ben.id));
    expect(benNotices.notifications[0]).toMatchObject({ kind: "join-declined", href: path });
    expect((await callLoader(requestsLoader, requestsPath, params, stewardHeaders)).requests).toEqual([]);
  });
});
