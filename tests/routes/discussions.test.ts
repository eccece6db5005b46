import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { actorFrom } from "~/models/actor.server";
import { listCommunities } from "~/models/community.server";
import { NotFoundError } from "~/models/domain-errors.server";
import { countUnreadNotifications, deliverQueuedNotifications, listNotifications } from "~/models/notification.server";
import { NEW_ACCOUNT_POSTS_PER_HOUR } from "~/models/posting-limit.server";
import { createItemFromEditor } from "~/models/publishing.server";
import { MAX_MENTIONS_PER_POST } from "~/models/reply-render.server";
import { getThreadView } from "~/models/thread.server";
import { action as communityAction, loader as communityLoader } from "~/routes/communities.$slug._index";
import { action as threadAction, loader as threadLoader } from "~/routes/communities.$slug.threads.$thread";
import { action as newThreadAction, loader as newThreadLoader } from "~/routes/communities.$slug.threads.new";
import { action as itemAction, loader as itemLoader } from "~/routes/library.$slug";
import { action as moderationAction, loader as moderationLoader } from "~/routes/moderation._index";
import { loader as moderationLogLoader } from "~/routes/moderation.log";
import { action as notificationsAction, loader as notificationsLoader } from "~/routes/notifications";
import { loader as historyLoader } from "~/routes/posts.$id.history";

import { addMember, createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { buildItemMeta, createItem } from "../factories/items";
import { createUser } from "../factories/users";
import { asUser, callAction, callLoader, replyOf, statusOf, thrownResponse } from "../support/remix";

function postIdFrom(response: unknown) {
  expect(response).toBeInstanceOf(Response);
  const location = (response as Response).headers.get("Location") ?? "";
  const match = /#post-(\d+)$/.exec(location);
  if (!match) throw new Error(`No post anchor in ${location}`);
  return Number(match[1]);
}

/** What a discussion action sends back with a 400. */
/** The message a thread page shows next to the form that was sent: the reply's first. */
function firstError(result: unknown) {
  return Object.values(replyOf(result).fieldErrors())[0];
}

let itemSlug: string;

beforeAll(async () => {
  itemSlug = (await createItem({ type: "tip", slug: "uk9-kpi-ratings", title: "Rate the KPI, not the relationship" }))
    .slug;
});

describe("an item's discussion", () => {
  it("creates the thread on the first reply and shows replies with whom they answer", async () => {
    const priya = await createEstablishedUser({ displayName: "Priya Shah" });
    const tom = await createEstablishedUser({ displayName: "Tom Okafor" });
    const url = `/library/${itemSlug}`;
    const params = { slug: itemSlug };

    const before = await callLoader(itemLoader, url, params);
    expect(before.discussion.threadId).toBeNull();

    const first = postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "reply", body: "We rated **two of three** KPIs as good." },
        { params, ...(await asUser(priya.id)) },
      ),
    );
    const answer = postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "reply", body: "Which KPI was the third?", parentPostId: String(first) },
        { params, ...(await asUser(tom.id)) },
      ),
    );
    const deeper = postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "reply", body: "Response times: requires improvement.", parentPostId: String(answer) },
        { params, ...(await asUser(priya.id)) },
      ),
    );

    const after = await callLoader(itemLoader, url, params);
    const view = after.discussion.view!;
    expect(view.thread.replyCount).toBe(3);
    expect(view.groups).toHaveLength(1);
    expect(view.groups[0]!.post.bodyHtml).toContain("<strong>two of three</strong>");
    expect(view.groups[0]!.replies.map((post) => [post.id, post.parentAuthorName])).toEqual([
      [answer, "Priya Shah"],
      [deeper, "Tom Okafor"],
    ]);
  });

  it("prefills a quote of the reply being answered", async () => {
    const author = await createEstablishedUser({ displayName: "Quoted Person" });
    const reader = await createEstablishedUser();
    const url = `/library/${itemSlug}`;
    const postId = postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "reply", body: "Line one\nLine two" },
        { params: { slug: itemSlug }, ...(await asUser(author.id)) },
      ),
    );
    const data = await callLoader(itemLoader, `${url}?quote=${postId}`, { slug: itemSlug }, await asUser(reader.id));
    expect(data.discussion.quote).toEqual({ postId, authorName: "Quoted Person", markdown: "Line one\nLine two" });
  });

  it.each([
    ["an empty reply", "   ", /Write a reply/],
    ["an enormous reply", "x".repeat(20_001), /up to 20,000 characters/],
  ])("refuses %s with a clear message and keeps the text", async (_label, body, message) => {
    const member = await createEstablishedUser();
    const result = await callAction(
      itemAction,
      `/library/${itemSlug}`,
      { intent: "reply", body },
      { params: { slug: itemSlug }, ...(await asUser(member.id)) },
    );
    expect(statusOf(result)).toBe(400);
    expect(firstError(result)).toMatch(message);
    expect(replyOf(result).valueOf("body")).toBe(body);
  });

  it("renders hostile markdown harmlessly", async () => {
    const member = await createEstablishedUser();
    const hostile = [
      "<script>alert(1)</script>",
      "A [click](javascript:alert(1)) link and an image ![x](data:text/html;base64,xx)",
      'Inline <img src=x onerror="alert(1)"> and <a href="javascript:alert(1)">raw</a>',
    ].join("\n\n");
    const postId = postIdFrom(
      await callAction(
        itemAction,
        `/library/${itemSlug}`,
        { intent: "reply", body: hostile },
        { params: { slug: itemSlug }, ...(await asUser(member.id)) },
      ),
    );
    const { body_html } = await db
      .selectFrom("posts")
      .select("body_html")
      .where("id", "=", postId)
      .executeTakeFirstOrThrow();
    expect(body_html).not.toMatch(/<script|<a[^>]*href="javascript:|<img[^>]*onerror|src="data:/i);
    expect(body_html).toContain("&lt;script&gt;");
  });

  it("asks anonymous readers to sign in before replying", async () => {
    const response = await thrownResponse(async () =>
      callAction(
        itemAction,
        `/library/${itemSlug}`,
        { intent: "reply", body: "Hello there" },
        { params: { slug: itemSlug } },
      ),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/sign-in\?redirectTo=/);
  });
});

describe("editing and deleting replies", () => {
  it("keeps the history of an edit, and lets only the author or a moderator edit", async () => {
    const author = await createEstablishedUser();
    const other = await createEstablishedUser();
    const url = `/library/${itemSlug}`;
    const params = { slug: itemSlug };
    const postId = postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "reply", body: "First version" },
        { params, ...(await asUser(author.id)) },
      ),
    );
    postIdFrom(
      await callAction(
        itemAction,
        url,
        { intent: "edit", postId: String(postId), body: "Second version" },
        { params, ...(await asUser(author.id)) },
      ),
    );

    const history = await callLoader(historyLoader, `/posts/${postId}/history`, { id: String(postId) });
    expect(history.post.bodyHtml).toContain("Second version");
    expect(history.post.editedAt).not.toBeNull();
    expect(history.revisions.map((revision) => revision.bodyMarkdown)).toEqual(["First version"]);

    const refused = await thrownResponse(async () =>
      callAction(
        itemAction,
        url,
        { intent: "edit", postId: String(postId), body: "Vandalised" },
        { params, ...(await asUser(other.id)) },
      ),
    );
    expect(refused.status).toBe(403);
  });

  it("leaves a tombstone that keeps the conversation's shape", async () => {
    const community = await createCommunity();
    const asker = await createEstablishedUser();
    const answerer = await createEstablishedUser();
    const { threadId } = await createThread({ communityId: community.id, author: asker });
    const { postId } = await createReply({ threadId, author: answerer, body: "A reply that will be deleted" });
    await createReply({ threadId, author: asker, body: "Thanks!", parentPostId: postId });
    const path = `/communities/${community.slug}/threads/${threadId}`;
    const params = { slug: community.slug, thread: String(threadId) };
    postIdFrom(
      await callAction(
        threadAction,
        path,
        { intent: "delete", postId: String(postId) },
        { params, ...(await asUser(answerer.id)) },
      ),
    );

    const view = await getThreadView({ threadId, viewer: null });
    expect(view.groups[0]!.post.isDeleted).toBe(true);
    expect(view.groups[0]!.post.bodyHtml).toBe("");
    expect(view.groups[0]!.replies[0]!.parentAuthorName).not.toBeNull();
    expect(JSON.stringify(view)).not.toContain("will be deleted");
    const again = await callAction(
      threadAction,
      path,
      { intent: "edit", postId: String(postId), body: "Back again" },
      { params, ...(await asUser(answerer.id)) },
    );
    expect(statusOf(again)).toBe(400);
  });
});

describe("communities", () => {
  it("lets a member join once, with a clear message the second time, and leave", async () => {
    const community = await createCommunity();
    const member = await createUser();
    const path = `/communities/${community.slug}`;
    const params = { slug: community.slug };
    const first = await callAction(communityAction, path, { intent: "join" }, { params, ...(await asUser(member.id)) });
    expect(statusOf(first)).toBe(303);
    const second = await callAction(
      communityAction,
      path,
      { intent: "join" },
      { params, ...(await asUser(member.id)) },
    );
    expect(statusOf(second)).toBe(400);
    expect(replyOf(second).errorOf("form")).toMatch(/already a member/);
    const page = await callLoader(communityLoader, path, params, await asUser(member.id));
    expect(page.community.isMember).toBe(true);
    await callAction(communityAction, path, { intent: "leave" }, { params, ...(await asUser(member.id)) });
    expect((await callLoader(communityLoader, path, params, await asUser(member.id))).community.isMember).toBe(false);
  });

  it("starts a question with themes and tags, keeping the input when something is wrong", async () => {
    const community = await createCommunity();
    const member = await createEstablishedUser();
    const path = `/communities/${community.slug}/threads/new`;
    const params = { slug: community.slug };
    const bad = await callAction(
      newThreadAction,
      path,
      { kind: "question", title: "Short", body: "Body text here", themes: ["downstream"], items: "no-such-item" },
      { params, ...(await asUser(member.id)) },
    );
    expect(statusOf(bad)).toBe(400);
    expect(replyOf(bad).valueOf("body")).toBe("Body text here");
    expect(replyOf(bad).valuesOf("themes")).toEqual(["downstream"]);

    const unknownItem = await callAction(
      newThreadAction,
      path,
      { kind: "question", title: "Has anyone published a UK9 yet?", body: "Body text here", items: "no-such-item" },
      { params, ...(await asUser(member.id)) },
    );
    expect(replyOf(unknownItem).errorOf("items")).toMatch(/could not find "no-such-item"/);

    const created = await callAction(
      newThreadAction,
      path,
      {
        kind: "question",
        title: "Has anyone published a UK9 yet?",
        body: "We have three KPIs.",
        themes: ["downstream"],
        tags: "uk9, KPIs",
        items: itemSlug,
      },
      { params, ...(await asUser(member.id)) },
    );
    expect(statusOf(created)).toBe(303);
    const location = (created as Response).headers.get("Location")!;
    expect(location).toMatch(
      new RegExp(`^/communities/${community.slug}/threads/\\d+-has-anyone-published-a-uk9-yet$`),
    );
    const threadParam = location.split("/").pop()!;
    const page = await callLoader(threadLoader, location, { slug: community.slug, thread: threadParam });
    expect(page.view.thread.themes).toEqual(["downstream"]);
    expect(page.view.thread.tags).toEqual(["kpis", "uk9"]);
    expect(page.view.thread.linkedItems.map((item) => item.slug)).toEqual([itemSlug]);
    expect(page.view.openingPost?.bodyHtml).toContain("three KPIs");
  });
});

describe("accepted answers", () => {
  it("lets the asker accept a reply from their thread, shown first, and nobody else", async () => {
    const community = await createCommunity();
    const asker = await createEstablishedUser();
    const answerer = await createEstablishedUser();
    const bystander = await createEstablishedUser();
    const { threadId } = await createThread({ communityId: community.id, author: asker });
    const { postId: early } = await createReply({ threadId, author: bystander, body: "No idea, sorry." });
    const { postId: answer } = await createReply({
      threadId,
      author: answerer,
      body: "Yes: rate each KPI separately.",
    });
    const other = await createThread({ communityId: community.id, author: asker });
    const { postId: elsewhere } = await createReply({ threadId: other.threadId, author: answerer, body: "Elsewhere" });
    const path = `/communities/${community.slug}/threads/${threadId}`;
    const params = { slug: community.slug, thread: String(threadId) };

    const refused = await thrownResponse(async () =>
      callAction(
        threadAction,
        path,
        { intent: "accept", postId: String(answer) },
        { params, ...(await asUser(bystander.id)) },
      ),
    );
    expect(refused.status).toBe(403);
    const wrongThread = await callAction(
      threadAction,
      path,
      { intent: "accept", postId: String(elsewhere) },
      { params, ...(await asUser(asker.id)) },
    );
    expect(statusOf(wrongThread)).toBe(400);
    expect(firstError(wrongThread)).toMatch(/not part of this thread/);

    await callAction(
      threadAction,
      path,
      { intent: "accept", postId: String(answer) },
      { params, ...(await asUser(asker.id)) },
    );
    const view = await getThreadView({ threadId, viewer: null });
    expect(view.acceptedPost?.id).toBe(answer);
    expect(view.groups.map((group) => group.post.id)).toEqual([early, answer]);
    const notified = await listNotifications({ viewer: { id: answerer.id, role: "member" } });
    expect(notified.some((notification) => notification.kind === "accepted")).toBe(true);
  });
});

describe("members-only communities", () => {
  it("never show their threads to non-members: pages, lists, history, notifications", async () => {
    const community = await createCommunity({ visibility: "members" });
    const member = await createEstablishedUser({ username: `insider-${Date.now()}` });
    const outsider = await createEstablishedUser({ username: `outsider-${Date.now()}` });
    await addMember({ communityId: community.id, userId: member.id });
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: member,
      title: "Confidential supplier performance",
      body: `Secret text. cc @${outsider.username}`,
    });
    const { postId } = await createReply({ threadId, author: member, body: "More secret text" });
    await db.updateTable("posts").set({ edited_at: new Date().toISOString() }).where("id", "=", postId).execute();

    const threadPath = `/communities/${community.slug}/threads/${threadId}-${slug}`;
    const threadParams = { slug: community.slug, thread: `${threadId}-${slug}` };
    // A signed-out reader sees its outside too (name, description, how to join), and none of its threads.
    const anonymous = await callLoader(communityLoader, `/communities/${community.slug}`, { slug: community.slug });
    expect(anonymous).toMatchObject({ isSignedIn: false, threads: [], members: [], joinRequest: null });
    expect(anonymous.community).toMatchObject({ name: community.name, canRead: false });
    expect(JSON.stringify(anonymous)).not.toContain("Confidential supplier performance");
    // A signed-in outsider sees the community's outside, to ask to join from, and none of its threads.
    const outside = await callLoader(
      communityLoader,
      `/communities/${community.slug}`,
      { slug: community.slug },
      await asUser(outsider.id),
    );
    expect(outside.community.canRead).toBe(false);
    expect(JSON.stringify(outside)).not.toContain("Confidential");
    for (const headers of [{}, await asUser(outsider.id)]) {
      expect(
        (await thrownResponse(async () => callLoader(threadLoader, threadPath, threadParams, headers))).status,
      ).toBe(404);
      expect(
        (
          await thrownResponse(async () =>
            callLoader(historyLoader, `/posts/${postId}/history`, { id: String(postId) }, headers),
          )
        ).status,
      ).toBe(404);
    }
    expect(
      (
        await thrownResponse(async () =>
          callLoader(
            newThreadLoader,
            `/communities/${community.slug}/threads/new`,
            { slug: community.slug },
            await asUser(outsider.id),
          ),
        )
      ).status,
    ).toBe(404);
    const replied = await thrownResponse(async () =>
      callAction(
        threadAction,
        threadPath,
        { intent: "reply", body: "Let me in" },
        { params: threadParams, ...(await asUser(outsider.id)) },
      ),
    );
    expect(replied.status).toBe(404);

    const listed = (await listCommunities({ viewer: { id: outsider.id, role: "member" } })).find(
      (entry) => entry.id === community.id,
    )!;
    expect(listed.threadCount).toBe(0);
    expect(await countUnreadNotifications({ viewer: { id: outsider.id, role: "member" } })).toBe(0);
    const notifications = await callLoader(notificationsLoader, "/notifications", {}, await asUser(outsider.id));
    expect(JSON.stringify(notifications)).not.toContain("Confidential");

    // The member sees it all; a moderator may too.
    const page = await callLoader(threadLoader, threadPath, threadParams, await asUser(member.id));
    expect(page.view.thread.title).toBe("Confidential supplier performance");
    const moderator = await createUser({ role: "moderator" });
    expect(
      (await callLoader(threadLoader, threadPath, threadParams, await asUser(moderator.id))).view.groups,
    ).toHaveLength(1);
  });

  it("stops notifying someone who leaves", async () => {
    const community = await createCommunity({ visibility: "members" });
    const member = await createEstablishedUser();
    const leaver = await createEstablishedUser();
    await addMember({ communityId: community.id, userId: member.id });
    await addMember({ communityId: community.id, userId: leaver.id });
    const { threadId } = await createThread({
      communityId: community.id,
      author: leaver,
      title: "Members only notice thread",
    });
    await createReply({ threadId, author: member, body: "A reply the leaver follows" });
    // Notifications fan out after the reply's transaction, in the background worker.
    await deliverQueuedNotifications();
    expect(await countUnreadNotifications({ viewer: { id: leaver.id, role: "member" } })).toBe(1);
    await callAction(
      communityAction,
      `/communities/${community.slug}`,
      { intent: "leave" },
      { params: { slug: community.slug }, ...(await asUser(leaver.id)) },
    );
    expect(await countUnreadNotifications({ viewer: { id: leaver.id, role: "member" } })).toBe(0);
    await createReply({ threadId, author: member, body: "Another reply" });
    await deliverQueuedNotifications();
    expect(await db.selectFrom("notifications").select("id").where("user_id", "=", leaver.id).execute()).toHaveLength(
      1,
    );
  });
});

describe("helpful, mentions and notifications", () => {
  it("counts one Helpful per member, and refuses your own reply", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser();
    const reader = await createEstablishedUser();
    const { threadId } = await createThread({ communityId: community.id, author });
    const { postId } = await createReply({ threadId, author, body: "Useful tip" });
    const path = `/communities/${community.slug}/threads/${threadId}`;
    const params = { slug: community.slug, thread: String(threadId) };
    const helpful = { intent: "helpful", targetType: "post", targetId: String(postId), helpful: "1" };
    await callAction(threadAction, path, helpful, { params, ...(await asUser(reader.id)) });
    await callAction(threadAction, path, helpful, { params, ...(await asUser(reader.id)) });
    let view = await getThreadView({ threadId, viewer: { id: reader.id, role: "member" } });
    expect(view.groups[0]!.post.helpfulCount).toBe(1);
    expect(view.groups[0]!.post.isHelpfulToViewer).toBe(true);
    expect(view.groups[0]!.post.canMarkHelpful).toBe(true);
    const authorsView = await getThreadView({ threadId, viewer: { id: author.id, role: "member" } });
    expect(authorsView.groups[0]!.post.canMarkHelpful).toBe(false);
    expect((await getThreadView({ threadId, viewer: null })).groups[0]!.post.canMarkHelpful).toBe(false);
    const own = await callAction(threadAction, path, helpful, { params, ...(await asUser(author.id)) });
    expect(statusOf(own)).toBe(400);
    await callAction(threadAction, path, { ...helpful, helpful: "0" }, { params, ...(await asUser(reader.id)) });
    view = await getThreadView({ threadId, viewer: null });
    expect(view.groups[0]!.post.helpfulCount).toBe(0);

    const itemResult = await callAction(
      itemAction,
      `/library/${itemSlug}`,
      {
        intent: "helpful",
        targetType: "item",
        targetId: String((await callLoader(itemLoader, `/library/${itemSlug}`, { slug: itemSlug })).item.id),
        helpful: "1",
      },
      { params: { slug: itemSlug }, ...(await asUser(reader.id)) },
    );
    expect(statusOf(itemResult)).toBe(303);
    expect((await callLoader(itemLoader, `/library/${itemSlug}`, { slug: itemSlug })).discussion.helpful.count).toBe(1);
  });

  it("links @mentions and notifies the member mentioned, the author answered and followers", async () => {
    const community = await createCommunity();
    const asker = await createEstablishedUser();
    const mentioned = await createEstablishedUser({ username: `aisha-${Date.now()}` });
    const follower = await createEstablishedUser();
    await db
      .insertInto("follows")
      .values({
        user_id: follower.id,
        target_type: "community",
        target_key: String(community.id),
        created_at: new Date().toISOString(),
      })
      .execute();
    const { threadId } = await createThread({ communityId: community.id, author: asker });
    await deliverQueuedNotifications();
    expect(await countUnreadNotifications({ viewer: { id: follower.id, role: "member" } })).toBe(1);
    const { postId } = await createReply({
      threadId,
      author: follower,
      body: `Ask @${mentioned.username}, she did one. Not \`@${mentioned.username}\` in code.`,
    });
    const { body_html } = await db
      .selectFrom("posts")
      .select("body_html")
      .where("id", "=", postId)
      .executeTakeFirstOrThrow();
    expect(body_html).toContain(`<a class="mention" href="/members/${mentioned.username}">@${mentioned.username}</a>`);
    expect(body_html).toContain(`<code>@${mentioned.username}</code>`);
    await deliverQueuedNotifications();
    const forMentioned = await listNotifications({ viewer: { id: mentioned.id, role: "member" } });
    expect(forMentioned.map((notification) => notification.kind)).toEqual(["mention"]);
    const forAsker = await listNotifications({ viewer: { id: asker.id, role: "member" } });
    expect(forAsker.map((notification) => notification.kind)).toEqual(["followed-thread"]);
    expect(forAsker[0]!.href).toMatch(new RegExp(`#post-${postId}$`));
  });

  it("follows a theme from the notifications page, and says so when the form names no theme we have", async () => {
    const member = await createUser();
    const headers = await asUser(member.id);
    const followed = await callAction(
      notificationsAction,
      "/notifications",
      { intent: "follow-theme", theme: "downstream", follow: "1" },
      headers,
    );
    expect(statusOf(followed)).toBe(303);
    expect((await callLoader(notificationsLoader, "/notifications", {}, headers)).followedThemes).toEqual([
      "downstream",
    ]);
    const unknown = await callAction(
      notificationsAction,
      "/notifications",
      { intent: "follow-theme", theme: "sideways", follow: "1" },
      headers,
    );
    expect(statusOf(unknown)).toBe(400);
    expect(replyOf(unknown).fieldErrors()).toEqual({ theme: "There is no theme of that name." });
    const unrecognised = await callAction(notificationsAction, "/notifications", { intent: "shrug" }, headers);
    expect(statusOf(unrecognised)).toBe(400);
    expect(replyOf(unrecognised).fieldErrors()).toEqual({
      intent: "That form is not one we recognise. Reload the page and try again.",
    });
  });
});

describe("mentions per post (issue 13, item 10)", () => {
  it(`notifies up to ${MAX_MENTIONS_PER_POST} members mentioned, and refuses a reply that mentions more, notifying no one`, async () => {
    const writer = await createEstablishedUser();
    const people = await Promise.all(Array.from({ length: MAX_MENTIONS_PER_POST + 1 }, () => createEstablishedUser()));
    const url = `/library/${itemSlug}`;
    const params = { slug: itemSlug };
    const mentioning = (count: number) =>
      people
        .slice(0, count)
        .map((person) => `@${person.username}`)
        .join(" ");
    const mentionsOf = async () =>
      (
        await db
          .selectFrom("notifications")
          .select("user_id")
          .where("kind", "=", "mention")
          .where("actor_user_id", "=", writer.id)
          .execute()
      ).length;

    const refused = await callAction(
      itemAction,
      url,
      { intent: "reply", body: `Ask ${mentioning(MAX_MENTIONS_PER_POST + 1)}` },
      { params, ...(await asUser(writer.id)) },
    );
    expect(statusOf(refused)).toBe(400);
    expect(firstError(refused)).toBe(
      `You can mention at most ${MAX_MENTIONS_PER_POST} people in one post, and this one mentions ${MAX_MENTIONS_PER_POST + 1}. Remove some @names and post again. Your text is still here, so nothing is lost.`,
    );
    expect(replyOf(refused).valueOf("body")).toBe(`Ask ${mentioning(MAX_MENTIONS_PER_POST + 1)}`);
    await deliverQueuedNotifications();
    expect(await mentionsOf()).toBe(0);

    const accepted = await callAction(
      itemAction,
      url,
      { intent: "reply", body: `Ask ${mentioning(MAX_MENTIONS_PER_POST)}, and @${people[0]!.username} again` },
      { params, ...(await asUser(writer.id)) },
    );
    expect(statusOf(accepted)).toBe(303);
    await deliverQueuedNotifications();
    expect(await mentionsOf()).toBe(MAX_MENTIONS_PER_POST);
  });
});

describe("moderation", () => {
  it("takes a flag through the queue to a hidden reply, with an audit log entry", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser();
    const reporter = await createEstablishedUser();
    const moderator = await createUser({ role: "moderator" });
    const { threadId } = await createThread({ communityId: community.id, author });
    const { postId } = await createReply({ threadId, author, body: "Buy cheap widgets at spam.example" });
    const path = `/communities/${community.slug}/threads/${threadId}`;
    const params = { slug: community.slug, thread: String(threadId) };
    const flag = { intent: "flag", targetType: "post", targetId: String(postId), reason: "spam", note: "Advert" };
    expect(statusOf(await callAction(threadAction, path, flag, { params, ...(await asUser(reporter.id)) }))).toBe(303);
    const twice = await callAction(threadAction, path, flag, { params, ...(await asUser(reporter.id)) });
    expect(firstError(twice)).toMatch(/already flagged/);

    expect((await thrownResponse(async () => callLoader(moderationLoader, "/moderation", {}, {}))).status).toBe(302);
    const asReporter = await asUser(reporter.id);
    expect((await thrownResponse(async () => callLoader(moderationLoader, "/moderation", {}, asReporter))).status).toBe(
      403,
    );
    const queue = await callLoader(moderationLoader, "/moderation", {}, await asUser(moderator.id));
    const entry = queue.flags.find((candidate) => candidate.targetId === postId)!;
    expect(entry.excerptHtml).toContain("spam.example");

    const noReason = await callAction(
      moderationAction,
      "/moderation",
      { intent: "resolve", flagId: String(entry.id), outcome: "actioned", reason: "" },
      await asUser(moderator.id),
    );
    expect(statusOf(noReason)).toBe(400);
    expect(replyOf(noReason).fieldErrors()).toEqual({ reason: "Say why, in a few words, for the audit log" });
    expect(replyOf(noReason).valueOf("flagId")).toBe(String(entry.id));
    await callAction(
      moderationAction,
      "/moderation",
      { intent: "resolve", flagId: String(entry.id), outcome: "actioned", reason: "Advertising" },
      await asUser(moderator.id),
    );
    const memberView = await getThreadView({ threadId, viewer: { id: reporter.id, role: "member" } });
    expect(memberView.groups[0]!.post.isHidden).toBe(true);
    expect(memberView.groups[0]!.post.bodyHtml).toBe("");
    const log = await callLoader(moderationLogLoader, "/moderation/log", {}, await asUser(moderator.id));
    expect(log.entries[0]).toMatchObject({
      action: "hide-post",
      targetId: String(postId),
      reason: "Advertising",
      moderatorName: expect.any(String),
    });

    await callAction(
      threadAction,
      path,
      { intent: "moderate-post", postId: String(postId), action: "unhide", reason: "Appeal upheld" },
      { params, ...(await asUser(moderator.id)) },
    );
    expect((await getThreadView({ threadId, viewer: null })).groups[0]!.post.bodyHtml).toContain("spam.example");
    const after = await callLoader(moderationLogLoader, "/moderation/log", {}, await asUser(moderator.id));
    expect(after.entries[0]).toMatchObject({ action: "unhide-post", reason: "Appeal upheld" });
  });

  it("locks, pins and hides threads for moderators only, and a locked thread refuses replies kindly", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser();
    const moderator = await createUser({ role: "moderator" });
    const { threadId } = await createThread({ communityId: community.id, author });
    const path = `/communities/${community.slug}/threads/${threadId}`;
    const params = { slug: community.slug, thread: String(threadId) };
    const asAuthor = await asUser(author.id);
    const denied = await thrownResponse(async () =>
      callAction(
        threadAction,
        path,
        { intent: "moderate-thread", action: "lock", reason: "Resolved" },
        { params, ...asAuthor },
      ),
    );
    expect(denied.status).toBe(403);
    for (const action of ["lock", "pin"]) {
      expect(
        statusOf(
          await callAction(
            threadAction,
            path,
            { intent: "moderate-thread", action, reason: "Answered fully" },
            { params, ...(await asUser(moderator.id)) },
          ),
        ),
      ).toBe(303);
    }
    const locked = await callAction(
      threadAction,
      path,
      { intent: "reply", body: "One more thing" },
      { params, ...(await asUser(author.id)) },
    );
    expect(statusOf(locked)).toBe(400);
    expect(firstError(locked)).toMatch(/locked/);
    expect(replyOf(locked).valueOf("body")).toBe("One more thing");
    const pinned = await callLoader(communityLoader, `/communities/${community.slug}?view=pinned`, {
      slug: community.slug,
    });
    expect(pinned.threads.map((thread) => thread.id)).toEqual([threadId]);

    await callAction(
      threadAction,
      path,
      { intent: "moderate-thread", action: "hide", reason: "Off topic" },
      { params, ...(await asUser(moderator.id)) },
    );
    expect((await thrownResponse(async () => callLoader(threadLoader, path, params))).status).toBe(404);
  });
});

describe("new accounts", () => {
  it(`may post ${NEW_ACCOUNT_POSTS_PER_HOUR} times an hour, then get a friendly message that keeps their text`, async () => {
    const newcomer = await createUser();
    const url = `/library/${itemSlug}`;
    for (let n = 0; n < NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) {
      expect(
        statusOf(
          await callAction(
            itemAction,
            url,
            { intent: "reply", body: `Reply number ${n}` },
            { params: { slug: itemSlug }, ...(await asUser(newcomer.id)) },
          ),
        ),
      ).toBe(303);
    }
    const limited = await callAction(
      itemAction,
      url,
      { intent: "reply", body: "One too many" },
      { params: { slug: itemSlug }, ...(await asUser(newcomer.id)) },
    );
    expect(statusOf(limited)).toBe(400);
    expect(firstError(limited)).toMatch(/New accounts can post .* Your text is still here/);
    expect(replyOf(limited).valueOf("body")).toBe("One too many");
  });
});

describe("new accounts' posting limit counts items and edits (issue 13, item 10)", () => {
  it("refuses a reply once items saved this hour reach the limit, keeping the text", async () => {
    const newcomer = await createUser();
    const actor = actorFrom(newcomer);
    for (let n = 0; n < NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) {
      await createItemFromEditor({ meta: buildItemMeta({ status: "draft" }), body: `Draft ${n}`, user: actor });
    }
    const limited = await callAction(
      itemAction,
      `/library/${itemSlug}`,
      { intent: "reply", body: "After ten drafts" },
      { params: { slug: itemSlug }, ...(await asUser(newcomer.id)) },
    );
    expect(statusOf(limited)).toBe(400);
    expect(firstError(limited)).toMatch(/replies, edits and items all count.*Your text is still here/);
  });

  it("refuses an edit of a reply, and a new item, once replies and edits reach the limit", async () => {
    const newcomer = await createUser();
    const url = `/library/${itemSlug}`;
    const params = { slug: itemSlug };
    const postId = postIdFrom(
      await callAction(itemAction, url, { intent: "reply", body: "First" }, { params, ...(await asUser(newcomer.id)) }),
    );
    for (let n = 1; n < NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) {
      const edited = await callAction(
        itemAction,
        url,
        { intent: "edit", postId: String(postId), body: `Edit ${n}` },
        { params, ...(await asUser(newcomer.id)) },
      );
      expect(statusOf(edited)).toBe(303);
    }
    const limited = await callAction(
      itemAction,
      url,
      { intent: "edit", postId: String(postId), body: "One edit too many" },
      { params, ...(await asUser(newcomer.id)) },
    );
    expect(statusOf(limited)).toBe(400);
    expect(replyOf(limited).valueOf("body")).toBe("One edit too many");

    const actor = actorFrom(newcomer);
    await expect(
      createItemFromEditor({ meta: buildItemMeta({ status: "draft" }), body: "A draft", user: actor }),
    ).rejects.toThrow(/New accounts can post 10 times an hour/);
  });
});

describe("people who wrote an item", () => {
  it("hear about replies to its discussion", async () => {
    const writer = await createEstablishedUser({ displayName: "Item Writer" });
    const item = await createItem({ type: "tip", slug: "writer-follows-discussion" });
    await db
      .insertInto("authors")
      .values({ slug: "item-writer-account", name: "Item Writer", organisation: null, role: null, user_id: writer.id })
      .execute();
    const { id: authorId } = await db
      .selectFrom("authors")
      .select("id")
      .where("slug", "=", "item-writer-account")
      .executeTakeFirstOrThrow();
    const { id: itemId } = await db
      .selectFrom("items")
      .select("id")
      .where("slug", "=", item.slug)
      .executeTakeFirstOrThrow();
    await db.insertInto("item_authors").values({ item_id: itemId, author_id: authorId, position: 9 }).execute();
    const reader = await createEstablishedUser();
    await callAction(
      itemAction,
      `/library/${item.slug}`,
      { intent: "reply", body: "Thanks, this saved us a week." },
      { params: { slug: item.slug }, ...(await asUser(reader.id)) },
    );
    await deliverQueuedNotifications();
    const notifications = await listNotifications({ viewer: { id: writer.id, role: "member" } });
    expect(notifications.map((notification) => notification.kind)).toEqual(["followed-thread"]);
  });

  it("stops discussion of an item once it is archived", async () => {
    const item = await createItem({ type: "tip", slug: "soon-archived" });
    const member = await createEstablishedUser();
    await callAction(
      itemAction,
      `/library/${item.slug}`,
      { intent: "reply", body: "A reply before archiving" },
      { params: { slug: item.slug }, ...(await asUser(member.id)) },
    );
    const thread = await db
      .selectFrom("threads")
      .select("id")
      .where("slug", "=", item.slug)
      .where("kind", "=", "item")
      .executeTakeFirstOrThrow();
    await db.updateTable("items").set({ status: "archived" }).where("slug", "=", item.slug).execute();
    await expect(
      getThreadView({ threadId: thread.id, viewer: { id: member.id, role: "member" } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("joining a members-only community", () => {
  it("is by request: an outsider sees only its outside, may not follow or join it directly", async () => {
    const community = await createCommunity({ visibility: "members" });
    const outsider = await createUser();
    const headers = await asUser(outsider.id);
    const outside = await callLoader(
      communityLoader,
      `/communities/${community.slug}`,
      { slug: community.slug },
      headers,
    );
    expect(outside.community.canRead).toBe(false);
    expect(outside.threads).toEqual([]);
    expect(
      (
        await thrownResponse(async () =>
          callAction(
            communityAction,
            `/communities/${community.slug}`,
            { intent: "follow", follow: "1" },
            { params: { slug: community.slug }, ...headers },
          ),
        )
      ).status,
    ).toBe(404);
    const joined = await thrownResponse(async () =>
      callAction(
        communityAction,
        `/communities/${community.slug}`,
        { intent: "join" },
        { params: { slug: community.slug }, ...headers },
      ),
    );
    expect(joined.status).toBe(403);
    expect(
      (await callLoader(communityLoader, `/communities/${community.slug}`, { slug: community.slug }, headers)).community
        .isMember,
    ).toBe(false);
  });
});
