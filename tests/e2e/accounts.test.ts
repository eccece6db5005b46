import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { createUser, TEST_PASSWORD } from "../factories/users";
import { expectAccessible, useBrowser } from "./support/browser";
import { type Evidence, expectVisible, mainHeading, navigate } from "./support/evidence";
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

/**
 * Checks the wait a rate limit names. It counts down from the first attempt of its 15-minute
 * window, so it reads 15 minutes only if the attempts took under a minute: on a slow machine
 * fewer minutes are right, but never fewer than the time the test has taken allows.
 */
async function expectMinutesLeft(alert: Locator, firstAttemptNotBefore: number) {
  const minutes = Number(/Try again in (\d+) minutes?\./.exec((await alert.textContent()) ?? "")?.[1]);
  const elapsedSeconds = Math.ceil((Date.now() - firstAttemptNotBefore) / 1000);
  expect(minutes, "minutes left in the rate limit's window").toBeLessThanOrEqual(15);
  expect(minutes, "minutes left in the rate limit's window").toBeGreaterThanOrEqual(
    Math.ceil((15 * 60 - elapsedSeconds) / 60),
  );
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("accounts $label", ({ javaScriptEnabled }) => {
  it("creates an account from a library page and comes back to it, signed in", async () => {
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/library?type=tip", mainHeading(page, "Tips"));
    await navigate(
      page,
      () => accountLinks(page).getByRole("link", { name: "Create an account" }).click(),
      mainHeading(page, "Create an account"),
      { url: "/sign-up?redirectTo=%2Flibrary%3Ftype%3Dtip" },
    );
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    const email = `new-${javaScriptEnabled ? "js" : "html"}-${Date.now()}@example.gov.uk`;
    await page.getByLabel("Your name").fill("Aisha Bello");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("password123");
    await page.getByLabel("Which side of the table").selectOption("supplier");
    await page.getByLabel("Organisation (optional)").fill("Bello Facilities Ltd");

    // A common password is refused next to the field, with the rest of the form kept.
    const passwordError = page.locator("#password-error");
    await navigate(page, () => page.getByRole("button", { name: "Create account" }).click(), passwordError);
    expect(await passwordError.textContent()).toMatch(/list of common passwords/);
    expect(await page.getByLabel("Your name").inputValue()).toBe("Aisha Bello");
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    await expect.poll(() => page.getByLabel("Password").inputValue()).toBe("");
    expect(await page.getByLabel("Which side of the table").inputValue()).toBe("supplier");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await page.getByLabel("Password").fill("brindleford kestrel tender");
    // Signing up signs nobody in (an address that already has an account gets this same page); the
    // member signs in and is taken back to where they were.
    await navigate(
      page,
      () => page.getByRole("button", { name: "Create account" }).click(),
      mainHeading(page, "Check your email"),
      { url: "/sign-up?sent=1&redirectTo=%2Flibrary%3Ftype%3Dtip" },
    );
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);
    await navigate(
      page,
      () => page.getByRole("main").getByRole("link", { name: "Sign in" }).click(),
      mainHeading(page, "Sign in"),
      { url: "/sign-in?redirectTo=%2Flibrary%3Ftype%3Dtip" },
    );
    await navigate(
      page,
      () => signInThroughForm(page, email, "brindleford kestrel tender"),
      accountLinks(page).getByRole("link", { name: "Aisha Bello" }),
      { url: "/library?type=tip" },
    );
    await expectVisible(mainHeading(page, "Tips"));
    expect(await accountLinks(page).getByRole("link", { name: "Sign in" }).count()).toBe(0);
  });

  it("signs in from a members-only page, returns there, and signs out for good", async () => {
    const user = await createUser({ displayName: "Rowan Price" });
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/account/password", mainHeading(page, "Sign in"), {
      url: "/sign-in?redirectTo=%2Faccount%2Fpassword",
    });
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await navigate(
      page,
      () => signInThroughForm(page, user.email.toUpperCase(), TEST_PASSWORD),
      mainHeading(page, "Change your password"),
      { url: "/account/password" },
    );
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await navigate(
      page,
      () => accountLinks(page).getByRole("button", { name: "Sign out" }).click(),
      accountLinks(page).getByRole("link", { name: "Sign in" }),
      { url: /^\/(\?|$)/ },
    );
    await navigate(page, "/account", mainHeading(page, "Sign in"), { url: "/sign-in?redirectTo=%2Faccount" });
  });

  it("says the same thing for a wrong password, keeps the email, and blocks after too many tries", async () => {
    const user = await createUser();
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/sign-in", mainHeading(page, "Sign in"));
    const wrongPassword = page.getByRole("alert").filter({ hasText: "The email address or password is not right" });
    const password = page.getByLabel("Password", { exact: true });
    const firstAttemptNotBefore = Date.now();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      // From the second try the answer looks like the page before it, except that the password
      // this test typed has gone: that is what shows this try was answered.
      await navigate(
        page,
        () => signInThroughForm(page, user.email, `wrong guess ${attempt}`),
        async () => {
          await expectVisible(wrongPassword);
          await expect.poll(() => password.inputValue()).toBe("");
        },
      );
      expect(await page.getByLabel("Email address").inputValue()).toBe(user.email);
    }
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);
    const blocked = page.getByRole("alert").filter({ hasText: "Too many attempts to sign in. Try again in" });
    await navigate(page, () => signInThroughForm(page, user.email, TEST_PASSWORD), blocked);
    await expectMinutesLeft(blocked, firstAttemptNotBefore);
    expect(await accountLinks(page).getByRole("link", { name: "Sign in" }).count()).toBe(1);
  });
});

describe("account pages", () => {
  it("edits the profile, which shows on the public profile with a role badge", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: "Grace Moderator", role: "moderator" });
    await navigate(page, "/account", mainHeading(page, "Your profile"));
    await expectAccessible(page);
    await page.getByLabel("Job role (optional)").fill("Head of commissioning");
    await page.getByLabel("About you (optional)").fill("I look after adult social care contracts.");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save profile" }).click(),
      page.getByRole("status").filter({ hasText: "Your profile has been saved." }),
    );

    await navigate(
      page,
      () => accountLinks(page).getByRole("link", { name: "Grace Moderator" }).click(),
      page.getByRole("heading", { level: 1, name: /Grace Moderator/ }),
      { url: `/members/${user.username}` },
    );
    expect(await page.locator("h1 .role-badge").textContent()).toBe("Moderator");
    expect(await page.getByText("I look after adult social care contracts.").count()).toBe(1);
    expect(await page.getByText(user.email).count()).toBe(0);
    await expectAccessible(page);

    await navigate(page, "/account/password", mainHeading(page, "Change your password"));
    await expectAccessible(page);
    await navigate(page, "/account/delete", mainHeading(page, "Delete your account"));
    await navigate(
      page,
      () => page.getByRole("button", { name: "Delete my account" }).click(),
      page.locator("#confirm-error"),
    );
    await expectAccessible(page);
  });

  it("explains deletion, then deletes the account without JavaScript", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const user = await signInAs(page, { displayName: "Leaving Soon" });
    await navigate(page, "/account/delete", mainHeading(page, "Delete your account"));
    expect(await page.getByText("shown as written by “Former member”").count()).toBe(1);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Delete my account" }).click(),
      page.locator("#confirm-error"),
    );

    await page.getByLabel("I understand that deleting my account cannot be undone").check();
    await page.getByLabel("Your password").fill(TEST_PASSWORD);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Delete my account" }).click(),
      mainHeading(page, "Your account has been deleted"),
    );
    const response = await navigate(page, `/members/${user.username}`, mainHeading(page, "Page not found"));
    expect(response?.status()).toBe(404);
  });

  it("stops a session guessing the current password after 5 wrong tries, without JavaScript", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await signInAs(page, { displayName: "Guarded Member" });
    await navigate(page, "/account/password", mainHeading(page, "Change your password"));
    const currentPassword = page.getByLabel("Current password");
    const submit = async (guess: string, evidence: Evidence) => {
      await currentPassword.fill(guess);
      await page.getByLabel("New password", { exact: true }).fill("brindleford kestrel tender");
      await page.getByLabel("Confirm new password").fill("brindleford kestrel tender");
      const [response] = await navigate(
        page,
        () =>
          Promise.all([
            page.waitForResponse(
              (response) =>
                response.request().method() === "POST" && new URL(response.url()).pathname === "/account/password",
            ),
            page.getByRole("button", { name: "Change password" }).click(),
          ]),
        evidence,
      );
      return response.status();
    };
    const wrongPassword = page
      .locator("#currentPassword-error")
      .filter({ hasText: "Your current password is not right" });
    const firstAttemptNotBefore = Date.now();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      // The answer looks like the page before it, except that the password this test typed has gone.
      const status = await submit(`wrong guess ${attempt}`, async () => {
        await expectVisible(wrongPassword);
        await expect.poll(() => currentPassword.inputValue()).toBe("");
      });
      expect(status).toBe(400);
    }
    const blocked = page.getByRole("alert").filter({ hasText: "Too many wrong passwords. Try again in" });
    expect(await submit(TEST_PASSWORD, blocked)).toBe(429);
    await expectMinutesLeft(blocked, firstAttemptNotBefore);
    await expectVisible(mainHeading(page, "Change your password"));
    expect(await page.getByText("Your password has been changed").count()).toBe(0);
  });

  it("downloads the member's data as a JSON file", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: "Data Person" });
    await navigate(page, "/account", page.getByRole("link", { name: "Download your data" }));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download your data" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`procurement-commons-${user.username}.json`);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString("utf8")).profile.display_name).toBe("Data Person");
  });
});
