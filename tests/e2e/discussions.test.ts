import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { addMember, createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { sessionCookieFor } from "../factories/users";
import { baseUrl, expectAccessible, useBrowser } from "./support/browser";
import { type Evidence, expectVisible, mainHeading, navigate, revisitUntil } from "./support/evidence";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

/** An item of the test's own to discuss: replies left on a seeded item would show on pages other journeys read. */
async function itemToDiscuss(label: string) {
  const { slug } = await createItem({ slug: `discussed-${label}-${Date.now().toString(36)}` });
  return `/library/${slug}`;
}

/** axe needs JavaScript in the page, so pages are scanned in the JavaScript runs of each journey. */
async function scan(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expectAccessible(page);
}

/** Submits a form by its button and waits for `evidence` of the answer, with or without JavaScript. */
async function submit(page: Page, name: string | RegExp, evidence: Evidence, within = page.locator("body")) {
  await navigate(page, () => within.getByRole("button", { name }).first().click(), evidence);
}

async function replyIn(page: Page, text: string) {
  await page.locator("#reply-body").fill(text);
  await submit(page, "Post reply", page.locator("article.post", { hasText: text }));
  // A posted reply leaves an empty box for the next one.
  await expect(page.locator("#reply-body").inputValue()).resolves.toBe("");
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("discussions $label", ({ javaScriptEnabled }) => {
  it("replies to an item, answers a reply by quoting it, edits and deletes", async () => {
    const page = await openPage({ javaScriptEnabled });
    const run = javaScriptEnabled ? "js" : "html";
    const me = await signInAs(page, { displayName: `Replier ${run}` });
    const item = await itemToDiscuss(`replies-${run}`);
    await navigate(page, item, page.locator("#reply-body"));
    const first = `Day one is the day after publication (${run}).`;
    await replyIn(page, first);
    const myPostId = await page.locator("article.post", { hasText: first }).first().getAttribute("id");
    const myPost = page.locator(`#${myPostId}`);
    await expectVisible(myPost.getByRole("link", { name: me.display_name, exact: true }));
    // Its author cannot mark a reply helpful, so is not offered the button.
    await expectVisible(myPost.getByRole("link", { name: /^Quote/ }));
    await expect(myPost.getByRole("button", { name: /^Helpful/ }).count()).resolves.toBe(0);

    await navigate(
      page,
      () => myPost.getByRole("link", { name: /^Quote/ }).click(),
      page.getByRole("heading", { name: `Replying to ${me.display_name}` }),
      { url: /[?&]quote=\d+/ },
    );
    await expect(page.locator("#reply-body").inputValue()).resolves.toContain(`> **${me.display_name}** wrote:`);
    await page
      .locator("#reply-body")
      .fill(`${await page.locator("#reply-body").inputValue()}And bank holidays do not count (${run}).`);
    const answer = page.locator("article.post", { hasText: `And bank holidays do not count (${run}).` }).last();
    await submit(page, "Post reply", answer);
    await expect(answer.locator("blockquote").textContent()).resolves.toContain(first);
    await expect(answer.locator(".post__in-reply-to").textContent()).resolves.toBe(`in reply to ${me.display_name}`);

    const editBox = page.getByLabel("Edit your reply (markdown)");
    await navigate(page, () => myPost.getByRole("link", { name: /^Edit/ }).click(), editBox);
    await editBox.fill(`${first} Edited to add: check the regime.`);
    await submit(page, "Save changes", myPost.getByRole("link", { name: /edited/ }));
    await expectVisible(myPost.getByText("Edited to add"));
    await navigate(
      page,
      () => myPost.getByRole("link", { name: /edited/ }).click(),
      mainHeading(page, `History of a reply by ${me.display_name}`),
    );
    await expect(page.locator(".revision-text").first().textContent()).resolves.toBe(first);
    await scan(page, javaScriptEnabled);

    await navigate(page, item, myPost.getByRole("link", { name: /^Delete/ }));
    await navigate(
      page,
      () => myPost.getByRole("link", { name: /^Delete/ }).click(),
      page.getByRole("button", { name: "Delete reply" }),
    );
    await submit(page, "Delete reply", myPost.getByText("This reply was deleted by its author."));
    await expect(
      page.locator("article.post", { hasText: `And bank holidays do not count (${run}).` }).count(),
    ).resolves.toBe(1);
    await scan(page, javaScriptEnabled);
  });

  it("keeps the text and explains when a reply is empty", async () => {
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page);
    await navigate(
      page,
      await itemToDiscuss(`empty-reply-${javaScriptEnabled ? "js" : "html"}`),
      page.locator("#reply-body"),
    );
    await page.locator("#reply-body").fill("  ");
    await submit(page, "Post reply", page.getByText("Write a reply before posting it"));
    await expect(page.locator("#reply-body").getAttribute("aria-invalid")).resolves.toBe("true");
  });

  it("joins a community, asks a question and accepts an answer", async () => {
    const community = await createCommunity({ name: `Accepting ${javaScriptEnabled ? "js" : "html"} ${Date.now()}` });
    const page = await openPage({ javaScriptEnabled });
    const me = await signInAs(page, { displayName: "Asking Member" });
    await navigate(page, `/communities/${community.slug}`, mainHeading(page, community.name));
    await submit(page, "Join community", page.getByRole("button", { name: "Leave community" }));
    await expect(page.locator(".member-list").textContent()).resolves.toContain("Asking Member");
    await scan(page, javaScriptEnabled);

    await navigate(
      page,
      () => page.getByRole("link", { name: "Start a thread" }).click(),
      mainHeading(page, "Start a thread"),
    );
    await scan(page, javaScriptEnabled);
    await page.getByLabel("Title").fill("Has anyone published a UK9 yet for a framework?");
    await page.getByLabel("Your post").fill("We have three KPIs per lot.");
    await page.getByLabel("Downstream").check();
    await page.getByLabel("Tags (optional)").fill("uk9, kpis");
    await submit(page, "Start thread", mainHeading(page, "Has anyone published a UK9 yet for a framework?"));

    const threadId = Number(/threads\/(\d+)-/.exec(page.url())![1]);
    const thread = await db
      .selectFrom("threads")
      .select(["author_user_id", "kind"])
      .where("id", "=", threadId)
      .executeTakeFirstOrThrow();
    expect(thread).toEqual({ author_user_id: me.id, kind: "question" });
    const helper = await createEstablishedUser({ displayName: "Helpful Harriet" });
    await createReply({ threadId, author: { id: helper.id, role: "member" }, body: "Rate each KPI separately." });
    const answer = page.locator("article.post", { hasText: "Rate each KPI separately." });
    await navigate(page, () => page.reload(), answer);
    await submit(page, "Accept as answer", page.getByRole("heading", { name: "Accepted answer" }), answer);
    await expect(page.locator(".accepted-answer").textContent()).resolves.toContain("Rate each KPI separately.");
    await scan(page, javaScriptEnabled);
  });

  it("marks a reply helpful, once, and takes it back", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser({ displayName: "Author Of Tip" });
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: { id: author.id, role: "member" },
      kind: "discussion",
    });
    await createReply({ threadId, author: { id: author.id, role: "member" }, body: "Keep a bank holiday calendar." });
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page);
    const post = page.locator("article.post", { hasText: "Keep a bank holiday calendar." });
    await navigate(page, `/communities/${community.slug}/threads/${threadId}-${slug}`, post);
    await submit(page, /^Helpful/, post.locator('button[aria-pressed="true"]'), post);
    await expect(post.locator(".helpful-count").textContent()).resolves.toBe("(1)");
    await submit(page, /^Helpful/, post.locator('button[aria-pressed="false"]'), post);
    await expect(post.locator(".helpful-count").textContent()).resolves.toBe("(0)");
  });

  it("notifies a mentioned member, with an unread count in the header", async () => {
    const community = await createCommunity();
    const page = await openPage({ javaScriptEnabled });
    const me = await signInAs(page, { username: `mentioned-${javaScriptEnabled ? "js" : "html"}-${Date.now()}` });
    const other = await createEstablishedUser({ displayName: "Mentioning Member" });
    const { threadId } = await createThread({
      communityId: community.id,
      author: { id: other.id, role: "member" },
      title: "Who has done a UK2 checklist?",
    });
    await createReply({
      threadId,
      author: { id: other.id, role: "member" },
      body: `@${me.username} you ran one last year, didn't you?`,
    });

    // Notifications fan out in the server's background worker, within a second of the reply.
    const badge = page.locator(".site-header__notifications");
    await revisitUntil(
      page,
      "/",
      mainHeading(page, "Learn from the people doing the buying"),
      () => badge.textContent(),
      "Notifications1 unread",
    );
    await navigate(page, () => badge.click(), mainHeading(page, "Notifications"));
    await expect(page.locator(".notification").first().textContent()).resolves.toContain(
      "Mentioning Member mentioned you in Who has done a UK2 checklist?",
    );
    await scan(page, javaScriptEnabled);
    await submit(page, "Mark all as read", page.getByText("You are all caught up."));
    await expect(page.locator(".site-header__notifications").textContent()).resolves.toBe("Notifications");
  });

  it("flags a reply, and a moderator hides it with a reason in the log", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser();
    const text = `Cheap widgets at spam.example ${javaScriptEnabled ? "js" : "html"}`;
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: { id: author.id, role: "member" },
      kind: "discussion",
    });
    await createReply({ threadId, author: { id: author.id, role: "member" }, body: text });
    const threadPath = `/communities/${community.slug}/threads/${threadId}-${slug}`;

    const memberPage = await openPage({ javaScriptEnabled });
    await signInAs(memberPage);
    const reply = memberPage.locator("article.post", { hasText: text });
    await navigate(memberPage, threadPath, reply);
    await navigate(
      memberPage,
      () => reply.getByRole("link", { name: /^Flag/ }).click(),
      memberPage.getByLabel("Spam or advertising"),
    );
    await memberPage.getByLabel("Spam or advertising").check();
    await submit(
      memberPage,
      "Flag for a moderator",
      memberPage.getByText("Thank you. A moderator will look at what you flagged."),
    );

    const moderatorPage = await openPage({ javaScriptEnabled });
    await signInAs(moderatorPage, { role: "moderator", displayName: "Mo Derator" });
    const card = moderatorPage.locator(".flag-card", { hasText: text });
    const moderationLink = moderatorPage
      .getByRole("navigation", { name: "Account" })
      .getByRole("link", { name: "Moderation", exact: true });
    await navigate(moderatorPage, "/", moderationLink);
    await navigate(moderatorPage, () => moderationLink.click(), card);
    await expectVisible(mainHeading(moderatorPage, "Moderation queue"));
    await scan(moderatorPage, javaScriptEnabled);
    await card.getByLabel("Reason (recorded in the moderation log)").fill("Advertising");
    // What the moderator sees is the flag leaving the queue.
    await submit(moderatorPage, "Hide the reply", () => card.waitFor({ state: "detached" }), card);
    await navigate(moderatorPage, "/moderation/log", mainHeading(moderatorPage, "Moderation log"));
    await expect(moderatorPage.locator("tbody tr").first().textContent()).resolves.toMatch(
      /Mo Derator.*Hid a reply.*Advertising/,
    );
    await scan(moderatorPage, javaScriptEnabled);

    await navigate(memberPage, threadPath, memberPage.getByText("This reply was hidden by a moderator."));
    expect(await memberPage.getByText(text).count()).toBe(0);

    await navigate(moderatorPage, threadPath, moderatorPage.getByText("Moderate this thread"));
    await moderatorPage.getByText("Moderate this thread").click();
    await moderatorPage.getByLabel("Reason (recorded in the moderation log)").fill("Resolved");
    await submit(moderatorPage, "Lock thread", moderatorPage.getByText("This thread is closed to new replies."));
    await navigate(
      memberPage,
      () => memberPage.reload(),
      memberPage.getByText("This thread is locked: no new replies can be added."),
    );
  });
});

describe("creating communities", () => {
  it.each([true, false])(
    "lets a moderator create one, explaining what is missing first (JavaScript: %s)",
    async (javaScriptEnabled) => {
      const page = await openPage({ javaScriptEnabled });
      await signInAs(page, { role: "moderator" });
      await navigate(page, "/communities", mainHeading(page, "Communities"));
      await navigate(
        page,
        () => page.getByRole("link", { name: "Create a community" }).click(),
        mainHeading(page, "Create a community"),
      );
      const name = `North East buyers ${javaScriptEnabled ? "js" : "html"} ${Date.now()}`;
      await page.getByLabel("Name").fill(name);
      await submit(page, "Create community", page.getByRole("heading", { name: "There is a problem" }));
      await expect(page.getByLabel("Name").inputValue()).resolves.toBe(name);
      await scan(page, javaScriptEnabled);
      await page
        .getByLabel("Who it is for and what it discusses")
        .fill("Councils and NHS bodies in the North East comparing notes.");
      await page.getByLabel("Region").check();
      await page.getByLabel("Members only").check();
      await submit(page, "Create community", mainHeading(page, name));
      await expectVisible(page.getByText("Members only").first());
    },
  );

  it("is refused to members", async () => {
    const member = await createEstablishedUser();
    const response = await fetch(`${baseUrl()}/communities/new`, {
      headers: { Cookie: await sessionCookieFor(member.id) },
    });
    expect(response.status).toBe(403);
  });
});

describe("members-only communities over HTTP", () => {
  it("show outsiders only their outside, answer 404 for their threads and data, and open up to members", async () => {
    const community = await createCommunity({ visibility: "members", name: `Private ${Date.now()}` });
    const insider = await createEstablishedUser();
    await addMember({ communityId: community.id, userId: insider.id });
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: { id: insider.id, role: "member" },
      title: "Confidential framework pricing",
    });
    const threadPath = `/communities/${community.slug}/threads/${threadId}-${slug}`;
    for (const path of [threadPath, `${threadPath}.data`]) {
      const response = await fetch(`${baseUrl()}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("Confidential framework pricing");
    }
    for (const path of [`/communities/${community.slug}`, `/communities/${community.slug}.data`]) {
      const response = await fetch(`${baseUrl()}${path}`);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body, path).toContain(community.name);
      expect(body, path).not.toContain("Confidential framework pricing");
    }
    const listing = await (await fetch(`${baseUrl()}/communities`)).text();
    expect(listing).toContain(community.name);
    expect(listing).not.toContain("Confidential framework pricing");

    const page = await openPage();
    await navigate(page, "/communities", mainHeading(page, "Communities"));
    await navigate(
      page,
      () => page.getByRole("link", { name: community.name }).click(),
      mainHeading(page, community.name),
    );
    await expectVisible(page.getByText("Only members can read and post in this community."));
    await expectAccessible(page);
    await navigate(
      page,
      () => page.getByRole("link", { name: "Sign in to ask to join" }).click(),
      mainHeading(page, "Sign in"),
      {
        url: `/sign-in?redirectTo=${encodeURIComponent(`/communities/${community.slug}`)}`,
      },
    );
    const outsider = await signInAs(page);
    const response = await navigate(page, threadPath, mainHeading(page, "Page not found"));
    expect(response?.status()).toBe(404);
    // Approval of a request to join is covered in join-requests.test.ts; here the member is simply added.
    await addMember({ communityId: community.id, userId: outsider.id });
    await navigate(page, threadPath, mainHeading(page, "Confidential framework pricing"));
    await expectAccessible(page);
  });

  it("lists the seeded communities and the UK9 question with its accepted answer", async () => {
    const page = await openPage();
    await navigate(page, "/communities", mainHeading(page, "Communities"));
    await expectAccessible(page);
    await navigate(
      page,
      () => page.getByRole("link", { name: "West Midlands" }).click(),
      mainHeading(page, "West Midlands"),
    );
    await navigate(
      page,
      () => page.getByRole("link", { name: "Has anyone published a UK9 yet?" }).click(),
      mainHeading(page, "Has anyone published a UK9 yet?"),
    );
    await expect(page.locator(".accepted-answer").textContent()).resolves.toContain(
      "Rate each KPI on its own evidence",
    );
    await expectAccessible(page);
    const seeded = await db
      .selectFrom("users")
      .select("password_hash")
      .where("username", "=", "priya-shah")
      .executeTakeFirstOrThrow();
    expect(seeded.password_hash).toBeNull();
  });
});
