import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { addMember, createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { sessionCookieFor } from "../factories/users";

import { baseUrl, expectAccessible, expectHeading, useBrowser } from "./support/browser";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

const ITEM = "/library/standstill-after-uk6-count-working-days";

/** axe needs JavaScript in the page, so pages are scanned in the JavaScript runs of each journey. */
async function scan(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expectAccessible(page);
}

/** Submits a form by its button and waits until the page shows the result, with or without JavaScript. */
async function submit(page: Page, name: string | RegExp, within = page.locator("body")) {
  const button = within.getByRole("button", { name }).first();
  const isHydrated = (await page.locator("html[data-hydrated]").count()) > 0;
  if (!isHydrated) {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), button.click()]);
    return;
  }
  const posted = page.waitForResponse((response) => response.request().method() === "POST");
  await button.click();
  await posted;
  await page.waitForFunction(() => {
    const router = (
      window as unknown as { __remixRouter?: { state: { navigation: { state: string }; revalidation: string } } }
    ).__remixRouter;
    return router !== undefined && router.state.navigation.state === "idle" && router.state.revalidation === "idle";
  });
}

async function replyIn(page: Page, text: string) {
  await page.locator("#reply-body").fill(text);
  await submit(page, "Post reply");
  await page.getByText(text.split("\n").at(-1)!.replace(/^> /, "")).first().waitFor();
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
    await page.goto(ITEM);
    const first = `Day one is the day after publication (${run}).`;
    await replyIn(page, first);
    const myPostId = await page.locator("article.post", { hasText: first }).first().getAttribute("id");
    const myPost = page.locator(`#${myPostId}`);
    await expect(myPost.getByRole("link", { name: me.display_name })).toBeTruthy();

    await myPost.getByRole("link", { name: /^Quote/ }).click();
    await page.waitForURL(/quote=\d+/);
    await page.waitForFunction(() =>
      (document.querySelector<HTMLTextAreaElement>("#reply-body")?.value ?? "").includes("wrote:"),
    );
    await expect(page.locator("#reply-body").inputValue()).resolves.toContain(`> **${me.display_name}** wrote:`);
    await expect(page.getByRole("heading", { name: `Replying to ${me.display_name}` })).toBeTruthy();
    await page
      .locator("#reply-body")
      .fill(`${await page.locator("#reply-body").inputValue()}And bank holidays do not count (${run}).`);
    await submit(page, "Post reply");
    const answer = page.locator("article.post", { hasText: `And bank holidays do not count (${run}).` }).last();
    await answer.waitFor();
    await expect(answer.locator("blockquote").textContent()).resolves.toContain(first);
    await expect(answer.locator(".post__in-reply-to").textContent()).resolves.toBe(`in reply to ${me.display_name}`);

    await myPost.getByRole("link", { name: /^Edit/ }).click();
    await page.locator("textarea[name=body]").first().waitFor();
    await page.getByLabel("Edit your reply (markdown)").fill(`${first} Edited to add: check the regime.`);
    await submit(page, "Save changes");
    const edited = myPost;
    await page.getByText("Edited to add").first().waitFor();
    await edited.waitFor();
    await edited.getByRole("link", { name: /edited/ }).click();
    await expectHeading(page, `History of a reply by ${me.display_name}`);
    await expect(page.locator(".revision-text").first().textContent()).resolves.toBe(first);
    await scan(page, javaScriptEnabled);

    await page.goBack();
    await page.goto(ITEM);
    await myPost.getByRole("link", { name: /^Delete/ }).click();
    await submit(page, "Delete reply");
    await myPost.getByText("This reply was deleted by its author.").waitFor();
    await expect(
      page.locator("article.post", { hasText: `And bank holidays do not count (${run}).` }).count(),
    ).resolves.toBe(1);
    await scan(page, javaScriptEnabled);
  });

  it("keeps the text and explains when a reply is empty", async () => {
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page);
    await page.goto(ITEM);
    await page.locator("#reply-body").fill("  ");
    await submit(page, "Post reply");
    await page.getByText("Write a reply before posting it").waitFor();
    await expect(page.locator("#reply-body").getAttribute("aria-invalid")).resolves.toBe("true");
  });

  it("joins a community, asks a question and accepts an answer", async () => {
    const community = await createCommunity({ name: `Accepting ${javaScriptEnabled ? "js" : "html"} ${Date.now()}` });
    const page = await openPage({ javaScriptEnabled });
    const me = await signInAs(page, { displayName: "Asking Member" });
    await page.goto(`/communities/${community.slug}`);
    await expectHeading(page, community.name);
    await submit(page, "Join community");
    await page.getByRole("button", { name: "Leave community" }).waitFor();
    await expect(page.locator(".member-list").textContent()).resolves.toContain("Asking Member");
    await scan(page, javaScriptEnabled);

    await page.getByRole("link", { name: "Start a thread" }).click();
    await expectHeading(page, "Start a thread");
    await scan(page, javaScriptEnabled);
    await page.getByLabel("Title").fill("Has anyone published a UK9 yet for a framework?");
    await page.getByLabel("Your post").fill("We have three KPIs per lot.");
    await page.getByLabel("Downstream").check();
    await page.getByLabel("Tags (optional)").fill("uk9, kpis");
    await submit(page, "Start thread");
    await expectHeading(page, "Has anyone published a UK9 yet for a framework?");

    const threadId = Number(/threads\/(\d+)-/.exec(page.url())![1]);
    const helper = await createEstablishedUser({ displayName: "Helpful Harriet" });
    await createReply({ threadId, author: { id: helper.id, role: "member" }, body: "Rate each KPI separately." });
    await page.reload();
    await submit(page, "Accept as answer", page.locator("article.post", { hasText: "Rate each KPI separately." }));
    await page.getByRole("heading", { name: "Accepted answer" }).waitFor();
    await expect(page.locator(".accepted-answer").textContent()).resolves.toContain("Rate each KPI separately.");
    await scan(page, javaScriptEnabled);
    expect(me.id).toBeTruthy();
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
    await page.goto(`/communities/${community.slug}/threads/${threadId}-${slug}`);
    const post = page.locator("article.post", { hasText: "Keep a bank holiday calendar." });
    await submit(page, /^Helpful/, post);
    await post.locator('button[aria-pressed="true"]').waitFor();
    await expect(post.locator(".helpful-count").textContent()).resolves.toBe("(1)");
    await submit(page, /^Helpful/, post);
    await post.locator('button[aria-pressed="false"]').waitFor();
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
    await expect
      .poll(async () => {
        await page.goto("/");
        return badge.textContent();
      })
      .toBe("Notifications1 unread");
    await badge.click();
    await expectHeading(page, "Notifications");
    await expect(page.locator(".notification").first().textContent()).resolves.toContain(
      "Mentioning Member mentioned you in Who has done a UK2 checklist?",
    );
    await scan(page, javaScriptEnabled);
    await submit(page, "Mark all as read");
    await page.getByText("You are all caught up.").waitFor();
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
    await memberPage.goto(threadPath);
    await memberPage.locator("article.post", { hasText: text }).getByRole("link", { name: /^Flag/ }).click();
    await memberPage.getByLabel("Spam or advertising").check();
    await submit(memberPage, "Flag for a moderator");
    await memberPage.getByText("Thank you. A moderator will look at what you flagged.").waitFor();

    const moderatorPage = await openPage({ javaScriptEnabled });
    await signInAs(moderatorPage, { role: "moderator", displayName: "Mo Derator" });
    await moderatorPage.goto("/moderation");
    await expectHeading(moderatorPage, "Moderation queue");
    await scan(moderatorPage, javaScriptEnabled);
    const card = moderatorPage.locator(".flag-card", { hasText: text });
    await card.getByLabel("Reason (recorded in the moderation log)").fill("Advertising");
    await submit(moderatorPage, "Hide the reply", card);
    await moderatorPage.locator(".flag-card", { hasText: text }).waitFor({ state: "detached" });
    await moderatorPage.goto("/moderation/log");
    await expect(moderatorPage.locator("tbody tr").first().textContent()).resolves.toMatch(
      /Mo Derator.*Hid a reply.*Advertising/,
    );
    await scan(moderatorPage, javaScriptEnabled);

    await memberPage.goto(threadPath);
    await memberPage.getByText("This reply was hidden by a moderator.").waitFor();
    expect(await memberPage.getByText(text).count()).toBe(0);

    await moderatorPage.goto(threadPath);
    await moderatorPage.getByText("Moderate this thread").click();
    await moderatorPage.getByLabel("Reason (recorded in the moderation log)").fill("Resolved");
    await submit(moderatorPage, "Lock thread");
    await moderatorPage.getByText("This thread is closed to new replies.").waitFor();
    await memberPage.reload();
    await memberPage.getByText("This thread is locked: no new replies can be added.").waitFor();
  });
});

describe("creating communities", () => {
  it.each([true, false])(
    "lets a moderator create one, explaining what is missing first (JavaScript: %s)",
    async (javaScriptEnabled) => {
      const page = await openPage({ javaScriptEnabled });
      await signInAs(page, { role: "moderator" });
      await page.goto("/communities");
      await page.getByRole("link", { name: "Create a community" }).click();
      await expectHeading(page, "Create a community");
      const name = `North East buyers ${javaScriptEnabled ? "js" : "html"} ${Date.now()}`;
      await page.getByLabel("Name").fill(name);
      await submit(page, "Create community");
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      await expect(page.getByLabel("Name").inputValue()).resolves.toBe(name);
      await scan(page, javaScriptEnabled);
      await page
        .getByLabel("Who it is for and what it discusses")
        .fill("Councils and NHS bodies in the North East comparing notes.");
      await page.getByLabel("Region").check();
      await page.getByLabel("Members only").check();
      await submit(page, "Create community");
      await expectHeading(page, name);
      await expect(page.getByText("Members only").first().isVisible()).resolves.toBe(true);
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
  it("answer 404 to outsiders for the page, its threads and their data, and open up to members", async () => {
    const community = await createCommunity({ visibility: "members", name: `Private ${Date.now()}` });
    const insider = await createEstablishedUser();
    await addMember({ communityId: community.id, userId: insider.id });
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: { id: insider.id, role: "member" },
      title: "Confidential framework pricing",
    });
    const threadPath = `/communities/${community.slug}/threads/${threadId}-${slug}`;
    for (const path of [
      `/communities/${community.slug}`,
      threadPath,
      `${threadPath}.data`,
      `/communities/${community.slug}.data`,
    ]) {
      const response = await fetch(`${baseUrl()}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("Confidential framework pricing");
    }
    const listing = await (await fetch(`${baseUrl()}/communities`)).text();
    expect(listing).toContain(community.name);
    expect(listing).not.toContain("Confidential framework pricing");

    const page = await openPage();
    const outsider = await signInAs(page);
    const response = await page.goto(threadPath);
    expect(response?.status()).toBe(404);
    // Approval of a request to join is covered in join-requests.test.ts; here the member is simply added.
    await addMember({ communityId: community.id, userId: outsider.id });
    await page.goto(threadPath);
    await expectHeading(page, "Confidential framework pricing");
    await expectAccessible(page);
  });

  it("lists the seeded communities and the UK9 question with its accepted answer", async () => {
    const page = await openPage();
    await page.goto("/communities");
    await expectHeading(page, "Communities");
    await expectAccessible(page);
    await page.getByRole("link", { name: "West Midlands" }).click();
    await expectHeading(page, "West Midlands");
    await page.getByRole("link", { name: "Has anyone published a UK9 yet?" }).click();
    await expectHeading(page, "Has anyone published a UK9 yet?");
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
