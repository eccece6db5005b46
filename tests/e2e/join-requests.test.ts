import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { addMember, createCommunity, createThread, makeCreator } from "../factories/discussions";
import { createUser } from "../factories/users";

import { expectAccessible, expectHeading, useBrowser } from "./support/browser";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

/** Without JavaScript every form is a full page load: click and wait for the next document. */
async function submit(page: Page, name: string | RegExp) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name }).first().click(),
  ]);
}

/** The page's own second-level heading: what state the request is in. */
async function expectSection(page: Page, name: string) {
  await page.getByRole("heading", { level: 2, name, exact: true }).waitFor({ timeout: 10_000 });
}

async function privateCommunityWithThread(label: string) {
  const community = await createCommunity({
    visibility: "members",
    name: `Heads of commercial ${label} ${Date.now()}`,
  });
  const insider = await createUser();
  await addMember({ communityId: community.id, userId: insider.id });
  const { threadId, slug } = await createThread({
    communityId: community.id,
    author: { id: insider.id, role: "member" },
    title: `Framework pricing benchmarks ${label}`,
  });
  return {
    community,
    path: `/communities/${community.slug}`,
    threadTitle: `Framework pricing benchmarks ${label}`,
    threadPath: `/communities/${community.slug}/threads/${threadId}-${slug}`,
  };
}

describe("asking to join a members-only community, without JavaScript", () => {
  it("asks, waits, is approved by a moderator, and then reads the community", async () => {
    const { community, path, threadTitle, threadPath } = await privateCommunityWithThread("approve");
    const member = await openPage({ javaScriptEnabled: false });
    await signInAs(member, { displayName: "Asha Asker" });
    await member.goto("/communities");
    await member.getByRole("link", { name: `Ask to join ${community.name}` }).click();
    await expectHeading(member, community.name);
    expect(await member.getByText(threadTitle).count()).toBe(0);
    await member.getByLabel("Message to the stewards (optional)").fill("I lead commercial at a county council.");
    await submit(member, "Ask to join");
    await expectSection(member, "Your request to join is waiting for approval");
    await member.getByText("I lead commercial at a county council.").waitFor();

    const moderator = await openPage({ javaScriptEnabled: false });
    await signInAs(moderator, { role: "moderator", displayName: "Mo Moderator" });
    await moderator.goto("/moderation");
    await moderator.getByRole("link", { name: new RegExp(`${community.name}: 1 request waiting`) }).waitFor();
    await moderator.goto(path);
    await moderator.getByRole("link", { name: "Requests to join (1)" }).click();
    await expectHeading(moderator, `Requests to join ${community.name}`);
    await moderator.getByText("I lead commercial at a county council.").waitFor();
    await submit(moderator, "Approve Asha Asker");
    await moderator.getByText("No requests waiting.").waitFor();
    await moderator.goto("/moderation/log");
    await moderator.getByText(`Approved Asha Asker's request to join "${community.name}"`).waitFor();

    await member.goto("/notifications");
    await member.getByText("approved your request to join").waitFor();
    await member.getByRole("link", { name: community.name }).click();
    await expectHeading(member, community.name);
    await member.getByRole("button", { name: "Leave community" }).waitFor();
    await member.getByRole("link", { name: threadTitle }).click();
    await expectHeading(member, threadTitle);
    expect(new URL(member.url()).pathname).toBe(threadPath);
  });

  it("is declined with a reason by the community's creator, and may ask again", async () => {
    const { community, path } = await privateCommunityWithThread("decline");
    const member = await openPage({ javaScriptEnabled: false });
    await signInAs(member, { displayName: "Dev Declined" });
    await member.goto(path);
    await submit(member, "Ask to join");
    await expectSection(member, "Your request to join is waiting for approval");

    const creatorPage = await openPage({ javaScriptEnabled: false });
    const creator = await signInAs(creatorPage, { displayName: "Cora Creator" });
    await makeCreator({ communityId: community.id, userId: creator.id });
    await creatorPage.goto(`${path}/requests`);
    await creatorPage.getByText("No message.").waitFor();
    await creatorPage
      .getByLabel("Reason for declining Dev Declined (optional)")
      .fill("This group is for heads of commercial only.");
    await submit(creatorPage, "Decline Dev Declined");
    await creatorPage.getByText("No requests waiting.").waitFor();

    await member.goto(path);
    await member.getByText("Your request to join was declined").waitFor();
    await member.getByText("Reason given: This group is for heads of commercial only.").waitFor();
    await expectSection(member, "Ask to join");
    await submit(member, "Ask to join");
    await expectSection(member, "Your request to join is waiting for approval");
  });

  it("withdraws a request, and shows a too-long message as an error with the text kept", async () => {
    const { path } = await privateCommunityWithThread("withdraw");
    const member = await openPage({ javaScriptEnabled: false });
    await signInAs(member);
    await member.goto(path);
    const long = "a".repeat(520);
    // The browser's maxlength would stop a person typing more; a crafted form still gets a clear answer.
    await member.locator("#message").evaluate((element) => element.removeAttribute("maxlength"));
    await member.locator("#message").fill(long);
    await submit(member, "Ask to join");
    await member.getByRole("alert").getByRole("link", { name: "Keep your message under 500 characters" }).waitFor();
    await expect(member.locator("#message").inputValue()).resolves.toBe(long);
    await member.locator("#message").fill("Short and sweet.");
    await submit(member, "Ask to join");
    await expectSection(member, "Your request to join is waiting for approval");
    await submit(member, "Withdraw request");
    await expectSection(member, "Ask to join");
  });
});

describe("join request pages with JavaScript", () => {
  it("pass an accessibility scan: the outside of a community, the request waiting, and the requests page", async () => {
    const { community, path } = await privateCommunityWithThread("axe");
    const member = await openPage({ javaScriptEnabled: true });
    await signInAs(member, { displayName: "Axel Asker" });
    await member.goto(path);
    await expectSection(member, "Ask to join");
    await expectAccessible(member);
    await member.getByLabel("Message to the stewards (optional)").fill("Please let me in.");
    await member.getByRole("button", { name: "Ask to join" }).click();
    await expectSection(member, "Your request to join is waiting for approval");
    await expectAccessible(member);

    const moderator = await openPage({ javaScriptEnabled: true });
    await signInAs(moderator, { role: "admin" });
    await moderator.goto(`${path}/requests`);
    await expectHeading(moderator, `Requests to join ${community.name}`);
    await moderator.getByText("Please let me in.").waitFor();
    await expectAccessible(moderator);
  });
});
