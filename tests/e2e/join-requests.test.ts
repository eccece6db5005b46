import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { addMember, createCommunity, createThread, makeCreator } from "../factories/discussions";
import { createUser } from "../factories/users";
import { expectAccessible, useBrowser } from "./support/browser";
import { type Evidence, expectVisible, mainHeading, navigate } from "./support/evidence";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

/** Submits a form by its button and waits for `evidence` of the answer. */
async function submit(page: Page, name: string | RegExp, evidence: Evidence) {
  await navigate(page, () => page.getByRole("button", { name }).first().click(), evidence);
}

/** The page's own second-level heading: what state the request is in. */
function section(page: Page, name: string) {
  return page.getByRole("heading", { level: 2, name, exact: true });
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
    await navigate(member, "/communities", mainHeading(member, "Communities"));
    await navigate(
      member,
      () => member.getByRole("link", { name: `Ask to join ${community.name}` }).click(),
      mainHeading(member, community.name),
    );
    expect(await member.getByText(threadTitle).count()).toBe(0);
    await member.getByLabel("Message to the stewards (optional)").fill("I lead commercial at a county council.");
    await submit(member, "Ask to join", section(member, "Your request to join is waiting for approval"));
    await expectVisible(member.getByText("I lead commercial at a county council."));

    const moderator = await openPage({ javaScriptEnabled: false });
    await signInAs(moderator, { role: "moderator", displayName: "Mo Moderator" });
    await navigate(
      moderator,
      "/moderation",
      moderator.getByRole("link", { name: new RegExp(`${community.name}: 1 request waiting`) }),
    );
    await navigate(moderator, path, moderator.getByRole("link", { name: "Requests to join (1)" }));
    await navigate(
      moderator,
      () => moderator.getByRole("link", { name: "Requests to join (1)" }).click(),
      mainHeading(moderator, `Requests to join ${community.name}`),
    );
    await expectVisible(moderator.getByText("I lead commercial at a county council."));
    await submit(moderator, "Approve Asha Asker", moderator.getByText("No requests waiting."));
    await navigate(
      moderator,
      "/moderation/log",
      moderator.getByText(`Approved Asha Asker's request to join "${community.name}"`),
    );

    await navigate(member, "/notifications", member.getByText("approved your request to join"));
    await navigate(
      member,
      () => member.getByRole("link", { name: community.name }).click(),
      member.getByRole("button", { name: "Leave community" }),
    );
    await expectVisible(mainHeading(member, community.name));
    await navigate(
      member,
      () => member.getByRole("link", { name: threadTitle }).click(),
      mainHeading(member, threadTitle),
      {
        url: threadPath,
      },
    );
  });

  it("is declined with a reason by the community's creator, and may ask again", async () => {
    const { community, path } = await privateCommunityWithThread("decline");
    const member = await openPage({ javaScriptEnabled: false });
    await signInAs(member, { displayName: "Dev Declined" });
    await navigate(member, path, section(member, "Ask to join"));
    await submit(member, "Ask to join", section(member, "Your request to join is waiting for approval"));

    const creatorPage = await openPage({ javaScriptEnabled: false });
    const creator = await signInAs(creatorPage, { displayName: "Cora Creator" });
    await makeCreator({ communityId: community.id, userId: creator.id });
    await navigate(creatorPage, `${path}/requests`, creatorPage.getByText("No message."));
    await creatorPage
      .getByLabel("Reason for declining Dev Declined (optional)")
      .fill("This group is for heads of commercial only.");
    await submit(creatorPage, "Decline Dev Declined", creatorPage.getByText("No requests waiting."));

    await navigate(member, path, member.getByText("Your request to join was declined"));
    await expectVisible(member.getByText("Reason given: This group is for heads of commercial only."));
    await expectVisible(section(member, "Ask to join"));
    await submit(member, "Ask to join", section(member, "Your request to join is waiting for approval"));
  });

  it("withdraws a request, and shows a too-long message as an error with the text kept", async () => {
    const { path } = await privateCommunityWithThread("withdraw");
    const member = await openPage({ javaScriptEnabled: false });
    await signInAs(member);
    await navigate(member, path, section(member, "Ask to join"));
    const long = "a".repeat(520);
    // The browser's maxlength would stop a person typing more; a crafted form still gets a clear answer.
    await member.locator("#message").evaluate((element) => element.removeAttribute("maxlength"));
    await member.locator("#message").fill(long);
    await submit(
      member,
      "Ask to join",
      member.getByRole("alert").getByRole("link", { name: "Keep your message under 500 characters" }),
    );
    await expect(member.locator("#message").inputValue()).resolves.toBe(long);
    await member.locator("#message").fill("Short and sweet.");
    await submit(member, "Ask to join", section(member, "Your request to join is waiting for approval"));
    await submit(member, "Withdraw request", section(member, "Ask to join"));
  });
});

describe("join request pages with JavaScript", () => {
  it("pass an accessibility scan: the outside of a community, the request waiting, and the requests page", async () => {
    const { community, path } = await privateCommunityWithThread("axe");
    const member = await openPage({ javaScriptEnabled: true });
    await signInAs(member, { displayName: "Axel Asker" });
    await navigate(member, path, section(member, "Ask to join"));
    await expectAccessible(member);
    await member.getByLabel("Message to the stewards (optional)").fill("Please let me in.");
    await submit(member, "Ask to join", section(member, "Your request to join is waiting for approval"));
    await expectAccessible(member);

    const moderator = await openPage({ javaScriptEnabled: true });
    await signInAs(moderator, { role: "admin" });
    await navigate(moderator, `${path}/requests`, mainHeading(moderator, `Requests to join ${community.name}`));
    await expectVisible(moderator.getByText("Please let me in."));
    await expectAccessible(moderator);
  });
});
