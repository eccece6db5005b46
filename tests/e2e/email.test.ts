import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { queueDigests } from "~/mail/notification-mail.server";
import { setFollowing } from "~/models/notification.server";

import { createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser } from "../factories/users";
import type { ReceivedMail } from "../support/smtp-server";
import { expectAccessible, useBrowser } from "./support/browser";
import { expectVisible, mainHeading, navigate } from "./support/evidence";
import { mailTo, pathOfLink, waitForMail } from "./support/mailbox";
import { signInAs } from "./support/session";

// Journeys through real email: the server under test delivers to a real SMTP server started by
// the global setup, and the browser follows the links that arrive.

const { openPage } = useBrowser();

const accountLinks = (page: Page) => page.getByRole("navigation", { name: "Account" });

async function signIn(page: Page, email: string, password: string, evidence = accountLinks(page)) {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await navigate(page, () => page.getByRole("button", { name: "Sign in" }).click(), evidence);
}

/** A message's HTML part, opened as a mail client would show it, must pass the same scan as our pages. */
async function expectAccessibleMail(page: Page, mail: ReceivedMail) {
  await page.setContent(mail.html);
  await expectVisible(page.getByRole("heading", { level: 1 }));
  await expectAccessible(page);
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("resetting a forgotten password $label", ({ javaScriptEnabled }) => {
  it("goes from the sign-in page to a new password by the link in the email, and tells the member", async () => {
    const user = await createUser({ displayName: "Fern Forgetful" });
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/sign-in", mainHeading(page, "Sign in"));
    await navigate(
      page,
      () => page.getByRole("link", { name: "Forgotten your password?" }).click(),
      mainHeading(page, "Reset your password"),
    );
    if (javaScriptEnabled) await expectAccessible(page);
    await page.getByLabel("Email address").fill(user.email);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Send me a link" }).click(),
      mainHeading(page, "Check your email"),
    );

    const mail = await waitForMail(mailTo(user.email, /Reset your Procurement Commons password/));
    expect(mail.html).toContain("Choose a new password");
    await navigate(page, pathOfLink(mail, "/reset-password"), mainHeading(page, "Choose a new password"));
    if (javaScriptEnabled) await expectAccessible(page);
    const newPassword = `heron marsh lantern ${javaScriptEnabled ? "js" : "html"}`;
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save new password" }).click(),
      page.getByRole("status").filter({ hasText: "Your password has been changed" }),
      { url: "/sign-in?reset=1" },
    );

    const notice = await waitForMail(mailTo(user.email, /password has been changed/));
    await signIn(page, user.email, newPassword, accountLinks(page).getByRole("link", { name: "Fern Forgetful" }));

    // The link worked once.
    await navigate(page, pathOfLink(mail, "/reset-password"), mainHeading(page, "This link has already been used"));
    await expectVisible(page.getByRole("link", { name: "Get a new link" }));

    if (javaScriptEnabled) {
      const reader = await openPage();
      await expectAccessibleMail(reader, mail);
      await expectAccessibleMail(reader, notice);
    }
  });
});

describe("a new member's email", () => {
  it("signs up, confirms the address, hears about a reply straight away and gets a digest", async () => {
    const page = await openPage();
    const email = `new-member-${Date.now()}@example.gov.uk`;
    await navigate(page, "/sign-up", mainHeading(page, "Create an account"));
    await page.getByLabel("Your name").fill("Gwen Newcomer");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("brindleford kestrel tender");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Create account" }).click(),
      mainHeading(page, "Check your email"),
    );
    await expectAccessible(page);

    const confirmation = await waitForMail(mailTo(email, /Confirm your email address/));
    await navigate(page, pathOfLink(confirmation, "/verify-email"), mainHeading(page, "Confirm your email address"));
    await navigate(
      page,
      () => page.getByRole("button", { name: "Confirm my email address" }).click(),
      mainHeading(page, "Your email address is confirmed"),
    );
    await navigate(
      page,
      () => page.getByRole("main").getByRole("link", { name: "Sign in" }).click(),
      mainHeading(page, "Sign in"),
    );
    await signIn(
      page,
      email,
      "brindleford kestrel tender",
      accountLinks(page).getByRole("link", { name: "Gwen Newcomer" }),
    );
    expect(await page.getByRole("region", { name: "Confirm your email address" }).count()).toBe(0);

    // Someone answers the question the new member asked: an email arrives and its link leads to the reply.
    const member = await db.selectFrom("users").select(["id"]).where("email", "=", email).executeTakeFirstOrThrow();
    const community = await createCommunity();
    const { threadId, openingPostId } = await createThread({
      communityId: community.id,
      author: { id: member.id, role: "member" },
      title: "Who has set KPIs for grounds maintenance?",
    });
    const answerer = await createEstablishedUser({ displayName: "Hal Helper" });
    const { postId } = await createReply({
      threadId,
      author: { id: answerer.id, role: "member" },
      parentPostId: openingPostId,
      body: "We used response times and a quarterly site walk.",
    });
    const reply = await waitForMail(mailTo(email, /Hal Helper replied to you/));
    expect(reply.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    await navigate(
      page,
      pathOfLink(reply, "/communities/"),
      page.locator(`#post-${postId}`).getByText("We used response times"),
    );

    // The daily digest lists a new library item on a theme the member follows.
    await setFollowing({
      viewer: { id: member.id, role: "member" },
      targetType: "theme",
      targetKey: "partnership",
      follow: true,
    });
    const item = await createItem({
      title: "Running a provider forum that providers come to",
      themes: ["partnership"],
    });
    await db.updateTable("items").set({ published_at: new Date().toISOString() }).where("id", "=", item.id).execute();
    await queueDigests({ frequency: "daily" });
    const digest = await waitForMail(mailTo(email, /Your daily digest/));
    await navigate(
      page,
      pathOfLink(digest, `/library/${item.slug}`),
      mainHeading(page, "Running a provider forum that providers come to"),
    );

    // Its unsubscribe link works without signing in.
    const anonymous = await openPage({ javaScriptEnabled: false });
    await navigate(anonymous, pathOfLink(digest, "/email/unsubscribe/"), mainHeading(anonymous, "Unsubscribe"));
    await navigate(
      anonymous,
      () => anonymous.getByRole("button", { name: "Unsubscribe" }).click(),
      mainHeading(anonymous, "You have unsubscribed"),
    );
    await navigate(page, "/account/notifications", mainHeading(page, "Email notifications"));
    expect(await page.getByLabel("Never").first().isChecked()).toBe(false);
    expect(await page.locator("#followed-theme-never").isChecked()).toBe(true);
    await expectAccessible(page);

    const reader = await openPage();
    for (const mail of [confirmation, reply, digest]) await expectAccessibleMail(reader, mail);
  });

  it("tells the owner when someone signs up with their address, answering exactly as for a new one", async () => {
    const owner = await createUser({ displayName: "Ivy Owner" });
    const page = await openPage({ javaScriptEnabled: false });
    await navigate(page, "/sign-up", mainHeading(page, "Create an account"));
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("Email address").fill(owner.email.toUpperCase());
    await page.getByLabel("Password").fill("somebody else's passphrase");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Create account" }).click(),
      mainHeading(page, "Check your email"),
      { url: "/sign-up?sent=1" },
    );
    await expectVisible(accountLinks(page).getByRole("link", { name: "Sign in" }));
    const notice = await waitForMail(mailTo(owner.email, /tried to create a Procurement Commons account/));
    expect(pathOfLink(notice, "/forgot-password")).toBe("/forgot-password");
  });

  it("turns an altered unsubscribe link away with a message", async () => {
    const page = await openPage();
    const response = await navigate(
      page,
      "/email/unsubscribe/not-a-real-link",
      mainHeading(page, "This unsubscribe link does not work"),
    );
    expect(response?.status()).toBe(400);
  });
});

describe("the launch pages", () => {
  it("are linked from the footer of every page", async () => {
    const page = await openPage();
    await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));
    const footer = page.locator("footer");
    for (const [name, heading] of [
      ["Privacy", "Privacy notice"],
      ["Cookies", "Cookies"],
      ["Terms of use", "Terms of use"],
      ["House rules", "House rules"],
      ["Contact", "Contact us"],
    ] as const) {
      await navigate(page, () => footer.getByRole("link", { name, exact: true }).click(), mainHeading(page, heading));
      await expectAccessible(page);
    }
  });

  it("are linked from the reply form and the flag form", async () => {
    const community = await createCommunity();
    const author = await createEstablishedUser();
    const { threadId, slug } = await createThread({
      communityId: community.id,
      author: { id: author.id, role: "member" },
      title: "Where do the house rules apply?",
    });
    await createReply({
      threadId,
      author: { id: author.id, role: "member" },
      body: "Everywhere on the site, I think.",
    });
    const page = await openPage({ javaScriptEnabled: false });
    await signInAs(page);
    const reply = page.locator("article.post", { hasText: "Everywhere on the site" });
    await navigate(page, `/communities/${community.slug}/threads/${threadId}-${slug}`, reply);
    const replyHint = page.locator("#reply-body-hint");
    await expectVisible(replyHint.getByRole("link", { name: "house rules" }));
    await expectVisible(replyHint.getByRole("link", { name: "terms of use" }));

    await navigate(
      page,
      () => reply.getByRole("link", { name: /^Flag/ }).click(),
      page.getByLabel("Spam or advertising"),
    );
    const flagForm = page.locator("form", { has: page.getByLabel("Spam or advertising") });
    await expectVisible(flagForm.getByRole("link", { name: "terms of use" }));
    await navigate(
      page,
      () => flagForm.getByRole("link", { name: "house rules" }).click(),
      mainHeading(page, "House rules"),
    );
  });
});
