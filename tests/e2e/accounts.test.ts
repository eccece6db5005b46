import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { createUser, TEST_PASSWORD } from "../factories/users";

import { expectAccessible, expectHeading, useBrowser } from "./support/browser";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

/** axe runs inside the page, so it can only scan with JavaScript on; the HTML is the same without. */
async function expectAccessibleWhenScriptable(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expectAccessible(page);
}

const accountLinks = (page: Page) => page.getByRole("navigation", { name: "Account" });

async function signInThroughForm(page: Page, email: string, password: string) {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse(
      (response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/sign-in"),
    ),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("accounts $label", ({ javaScriptEnabled }) => {
  it("creates an account from a library page and comes back to it, signed in", async () => {
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/library?type=tip");
    await accountLinks(page).getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL("**/sign-up?redirectTo=%2Flibrary%3Ftype%3Dtip");
    await expectHeading(page, "Create an account");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    const email = `new-${javaScriptEnabled ? "js" : "html"}-${Date.now()}@example.gov.uk`;
    await page.getByLabel("Your name").fill("Aisha Bello");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("password123");
    await page.getByLabel("Which side of the table").selectOption("supplier");
    await page.getByLabel("Organisation (optional)").fill("Bello Facilities Ltd");
    await page.getByRole("button", { name: "Create account" }).click();

    // A common password is refused next to the field, with the rest of the form kept.
    const passwordError = page.locator("#password-error");
    await passwordError.waitFor();
    expect(await passwordError.textContent()).toMatch(/list of common passwords/);
    expect(await page.getByLabel("Your name").inputValue()).toBe("Aisha Bello");
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    await expect.poll(() => page.getByLabel("Password").inputValue()).toBe("");
    expect(await page.getByLabel("Which side of the table").inputValue()).toBe("supplier");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await page.getByLabel("Password").fill("brindleford kestrel tender");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/library?type=tip");
    await accountLinks(page).getByRole("link", { name: "Aisha Bello" }).waitFor();
    expect(await accountLinks(page).getByRole("link", { name: "Sign in" }).count()).toBe(0);
  });

  it("signs in from a members-only page, returns there, and signs out for good", async () => {
    const user = await createUser({ displayName: "Rowan Price" });
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/account/password");
    await page.waitForURL("**/sign-in?redirectTo=%2Faccount%2Fpassword");
    await expectHeading(page, "Sign in");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await signInThroughForm(page, user.email.toUpperCase(), TEST_PASSWORD);
    await page.waitForURL("**/account/password");
    await expectHeading(page, "Change your password");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await accountLinks(page).getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await accountLinks(page).getByRole("link", { name: "Sign in" }).waitFor();
    await page.goto("/account");
    await page.waitForURL("**/sign-in?redirectTo=%2Faccount");
  });

  it("says the same thing for a wrong password, keeps the email, and blocks after too many tries", async () => {
    const user = await createUser();
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/sign-in");
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await signInThroughForm(page, user.email, `wrong guess ${attempt}`);
      await page.getByRole("alert").filter({ hasText: "The email address or password is not right" }).waitFor();
      expect(await page.getByLabel("Email address").inputValue()).toBe(user.email);
      await expect.poll(() => page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    }
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);
    await signInThroughForm(page, user.email, TEST_PASSWORD);
    await page
      .getByRole("alert")
      .filter({ hasText: "Too many attempts to sign in. Try again in 15 minutes." })
      .waitFor();
    expect(await accountLinks(page).getByRole("link", { name: "Sign in" }).count()).toBe(1);
  });
});

describe("account pages", () => {
  it("edits the profile, which shows on the public profile with a role badge", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: "Grace Moderator", role: "moderator" });
    await page.goto("/account");
    await expectHeading(page, "Your profile");
    await expectAccessible(page);
    await page.getByLabel("Job role (optional)").fill("Head of commissioning");
    await page.getByLabel("About you (optional)").fill("I look after adult social care contracts.");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").filter({ hasText: "Your profile has been saved." }).waitFor();

    await accountLinks(page).getByRole("link", { name: "Grace Moderator" }).click();
    await page.waitForURL(`**/members/${user.username}`);
    await page.getByRole("heading", { level: 1, name: /Grace Moderator/ }).waitFor();
    expect(await page.locator("h1 .role-badge").textContent()).toBe("Moderator");
    expect(await page.getByText("I look after adult social care contracts.").count()).toBe(1);
    expect(await page.getByText(user.email).count()).toBe(0);
    await expectAccessible(page);

    await page.goto("/account/password");
    await expectAccessible(page);
    await page.goto("/account/delete");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.locator("#confirm-error").waitFor();
    await expectAccessible(page);
  });

  it("explains deletion, then deletes the account without JavaScript", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const user = await signInAs(page, { displayName: "Leaving Soon" });
    await page.goto("/account/delete");
    await expectHeading(page, "Delete your account");
    expect(await page.getByText("shown as written by “Former member”").count()).toBe(1);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.locator("#confirm-error").waitFor();

    await page.getByLabel("I understand that deleting my account cannot be undone").check();
    await page.getByLabel("Your password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expectHeading(page, "Your account has been deleted");
    const response = await page.goto(`/members/${user.username}`);
    expect(response?.status()).toBe(404);
  });

  it("stops a session guessing the current password after 5 wrong tries, without JavaScript", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await signInAs(page, { displayName: "Guarded Member" });
    await page.goto("/account/password");
    const submit = async (currentPassword: string) => {
      await page.getByLabel("Current password").fill(currentPassword);
      await page.getByLabel("New password", { exact: true }).fill("brindleford kestrel tender");
      await page.getByLabel("Confirm new password").fill("brindleford kestrel tender");
      const [response] = await Promise.all([
        page.waitForResponse(
          (response) =>
            response.request().method() === "POST" && new URL(response.url()).pathname === "/account/password",
        ),
        page.getByRole("button", { name: "Change password" }).click(),
      ]);
      await page.waitForLoadState();
      return response.status();
    };
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await submit(`wrong guess ${attempt}`)).toBe(400);
      await page.locator("#currentPassword-error").filter({ hasText: "Your current password is not right" }).waitFor();
    }
    expect(await submit(TEST_PASSWORD)).toBe(429);
    await page.getByRole("alert").filter({ hasText: "Too many wrong passwords. Try again in 15 minutes." }).waitFor();
    await expectHeading(page, "Change your password");
    expect(await page.getByText("Your password has been changed").count()).toBe(0);
  });

  it("downloads the member's data as a JSON file", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: "Data Person" });
    await page.goto("/account");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download your data" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`procurement-commons-${user.username}.json`);
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8")).profile.display_name).toBe("Data Person");
  });
});
