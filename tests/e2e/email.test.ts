import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { queueDigests } from "~/mail/notification-mail.server";
import { setFollowing } from "~/models/notification.server";

import { createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { createUser } from "../factories/users";

import { expectAccessible, expectHeading, useBrowser } from "./support/browser";
import { mailTo, pathOfLink, waitForMail } from "./support/mailbox";

// Journeys through real email: the server under test delivers to a real SMTP server started by
// the global setup, and the browser follows the links that arrive.

const { openPage } = useBrowser();

const accountLinks = (page: Page) => page.getByRole("navigation", { name: "Account" });

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("resetting a forgotten password $label", ({ javaScriptEnabled }) => {
  it("goes from the sign-in page to a new password by the link in the email, and tells the member", async () => {
    const user = await createUser({ displayName: "Fern Forgetful" });
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgotten your password?" }).click();
    await expectHeading(page, "Reset your password");
    if (javaScriptEnabled) await expectAccessible(page);
    await page.getByLabel("Email address").fill(user.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expectHeading(page, "Check your email");

    const mail = await waitForMail(mailTo(user.email, /Reset your Procurement Commons password/));
    expect(mail.html).toContain("Choose a new password");
    await page.goto(pathOfLink(mail, "/reset-password"));
    await expectHeading(page, "Choose a new password");
    if (javaScriptEnabled) await expectAccessible(page);
    const newPassword = `heron marsh lantern ${javaScriptEnabled ? "js" : "html"}`;
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL("**/sign-in?reset=1");
    await page.getByRole("status").filter({ hasText: "Your password has been changed" }).waitFor();

    await waitForMail(mailTo(user.email, /password has been changed/));
    await signIn(page, user.email, newPassword);
    await accountLinks(page).getByRole("link", { name: "Fern Forgetful" }).waitFor();

    // The link worked once.
    await page.goto(pathOfLink(mail, "/reset-password"));
    await expectHeading(page, "This link has already been used");
    await page.getByRole("link", { name: "Get a new link" }).waitFor();
  });
});

describe("a new member's email", () => {
  it("signs up, confirms the address, hears about a reply straight away and gets a digest", async () => {
    const page = await openPage();
    const email = `new-member-${Date.now()}@example.gov.uk`;
    await page.goto("/sign-up");
    await page.getByLabel("Your name").fill("Gwen Newcomer");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("brindleford kestrel tender");
    await page.getByRole("button", { name: "Create account" }).click();
    const banner = page.getByRole("region", { name: "Confirm your email address" });
    await banner.waitFor();
    await expectAccessible(page);

    const confirmation = await waitForMail(mailTo(email, /Confirm your email address/));
    await page.goto(pathOfLink(confirmation, "/verify-email"));
    await expectHeading(page, "Confirm your email address");
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await expectHeading(page, "Your email address is confirmed");
    expect(await banner.count()).toBe(0);

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
    await page.goto(pathOfLink(reply, "/communities/"));
    await page.locator(`#post-${postId}`).getByText("We used response times").waitFor();

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
    await page.goto(pathOfLink(digest, `/library/${item.slug}`));
    await expectHeading(page, "Running a provider forum that providers come to");

    // Its unsubscribe link works without signing in.
    const anonymous = await openPage({ javaScriptEnabled: false });
    await anonymous.goto(pathOfLink(digest, "/email/unsubscribe/"));
    await expectHeading(anonymous, "Unsubscribe");
    await anonymous.getByRole("button", { name: "Unsubscribe" }).click();
    await expectHeading(anonymous, "You have unsubscribed");
    await page.goto("/account/notifications");
    expect(await page.getByLabel("Never").first().isChecked()).toBe(false);
    expect(await page.locator("#followed-theme-never").isChecked()).toBe(true);
    await expectAccessible(page);
  });

  it("turns an altered unsubscribe link away with a message", async () => {
    const page = await openPage();
    const response = await page.goto("/email/unsubscribe/not-a-real-link");
    expect(response?.status()).toBe(400);
    await expectHeading(page, "This unsubscribe link does not work");
  });

  it("links the launch pages from the footer of every page", async () => {
    const page = await openPage();
    await page.goto("/");
    const footer = page.locator("footer");
    for (const [name, heading] of [
      ["Privacy", "Privacy notice"],
      ["Cookies", "Cookies"],
      ["Terms of use", "Terms of use"],
      ["House rules", "House rules"],
      ["Contact", "Contact us"],
    ] as const) {
      await footer.getByRole("link", { name, exact: true }).click();
      await expectHeading(page, heading);
      await expectAccessible(page);
    }
  });
});
