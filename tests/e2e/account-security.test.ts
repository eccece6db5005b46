import { describe, expect, it } from "vitest";

import { createItemInEditor } from "../factories/items";
import { createUser, sessionCookieFor, TEST_PASSWORD } from "../factories/users";
import { baseUrl, expectAccessible, useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";
import { httpRequest } from "./support/http";
import { signInAs } from "./support/session";

// Issue 13, items 5 and 8 (nobody can lock a member out with wrong passwords of their own), and
// sign-up not telling strangers who has an account.

const { openPage } = useBrowser();
let addresses = 0;
/** A documentation address (RFC 5737) of its own for each caller: the server trusts X-Forwarded-For from loopback. */
const nextAddress = () => `198.51.100.${(addresses += 1)}`;

function signInOverHttp(email: string, password: string, address: string) {
  return httpRequest("/sign-in", {
    method: "POST",
    headers: {
      Origin: baseUrl(),
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Forwarded-For": address,
    },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

describe("wrong passwords for someone else's account", () => {
  it("never stop the owner signing in, and the owner is told", async () => {
    const owner = await createUser({ displayName: "Targeted Member" });
    const attacker = nextAddress();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signInOverHttp(owner.email, `guess ${attempt}`, attacker)).status).toBe(400);
    }
    expect((await signInOverHttp(owner.email, TEST_PASSWORD, attacker)).status).toBe(429);

    const signedIn = await signInOverHttp(owner.email, TEST_PASSWORD, nextAddress());
    expect(signedIn.status).toBe(302);
    const cookie = [signedIn.headers["set-cookie"] ?? []].flat().find((value) => value.startsWith("__Host-"));
    expect(cookie).toBeDefined();

    const notifications = await httpRequest("/notifications", { headers: { Cookie: cookie!.split(";")[0]! } });
    expect(notifications.status).toBe(200);
    expect(notifications.body).toContain("tried several wrong passwords to sign in to");
    expect(notifications.body).toContain('href="/account#sessions"');
  });
});

describe("a stolen session", () => {
  it("cannot lock the owner out of changing their password, and the owner can sign it out without a password", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const owner = await signInAs(page, { displayName: "Owner Of Account" });
    const stolen = await sessionCookieFor(owner.id);
    const guess = (attempt: number) =>
      httpRequest("/account/password", {
        method: "POST",
        headers: { Origin: baseUrl(), Cookie: stolen, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          currentPassword: `guess ${attempt}`,
          newPassword: "thief chosen passphrase",
          confirmPassword: "thief chosen passphrase",
        }).toString(),
      });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await guess(attempt)).status).toBe(400);
    expect((await guess(5)).status).toBe(429);

    await navigate(page, "/account", mainHeading(page, "Your profile"));
    await page.getByText("You are also signed in on 1 other browser or device.").waitFor();
    await navigate(
      page,
      () => page.getByRole("button", { name: "Sign out of every other session" }).click(),
      page.getByRole("status").filter({ hasText: "You have been signed out of every other session." }),
    );
    await page.getByText("You are not signed in anywhere else.").waitFor();
    const thief = await httpRequest("/account", { headers: { Cookie: stolen } });
    expect(thief.status).toBe(302);
    expect(thief.headers.location).toMatch(/^\/sign-in/);

    await navigate(page, "/account/password", mainHeading(page, "Change your password"));
    await page.getByLabel("Current password").fill(TEST_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("owner kept the account");
    await page.getByLabel("Confirm new password").fill("owner kept the account");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Change password" }).click(),
      page.getByRole("status").filter({ hasText: "Your password has been changed." }),
    );
  });

  it("leaves the account page accessible with the sessions section", async () => {
    const page = await openPage();
    await signInAs(page);
    await navigate(page, "/account", page.getByRole("heading", { name: "Where you are signed in" }));
    await expectAccessible(page);
  });
});

describe("signing up with an address that has an account", () => {
  it("answers as for a new address without saying it is taken, and the sign-up limit still applies", async () => {
    const member = await createUser();
    const address = nextAddress();
    const signUp = (email: string) =>
      httpRequest("/sign-up", {
        method: "POST",
        headers: { Origin: baseUrl(), "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address },
        body: new URLSearchParams({
          displayName: "Curious Person",
          email,
          password: "curious person passphrase",
        }).toString(),
      });
    const answer = await signUp(member.email.toUpperCase());
    const fresh = await signUp(`fresh-${Date.now()}@example.gov.uk`);
    // The same answer as for an address nobody has: the page that says a message has been sent.
    for (const response of [answer, fresh]) {
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe("/sign-up?sent=1");
      expect(response.headers["set-cookie"] ?? []).toEqual([]);
    }
    expect(answer.body).not.toMatch(/already exists|already in use|is taken/i);
    for (let attempt = 2; attempt < 10; attempt += 1) expect((await signUp(member.email)).status).toBe(302);
    expect((await signUp(member.email)).status).toBe(429);
  });
});

describe("deleting an account", () => {
  it("credits the member's library items, author page, API and JSON-LD to Former member", async () => {
    const name = `Leaving Writer ${Date.now()}`;
    const member = await createUser({ displayName: name });
    const item = await createItemInEditor({
      user: member,
      status: "published",
      title: `Tip by a leaver ${Date.now()}`,
    });
    const apiItem = async () => JSON.parse((await httpRequest(`/api/v1/items/${item.slug}`)).body).data;
    const authorUrl = new URL((await apiItem()).authors[0].url as string).pathname;
    // A member's author address leads to their profile, the one address for a person.
    const before = await httpRequest(authorUrl);
    expect(before.status).toBe(301);
    expect(before.headers.location).toBe(`/members/${member.username}`);
    expect((await httpRequest(`/members/${member.username}`)).body).toContain(name);

    const deleted = await httpRequest("/account/delete", {
      method: "POST",
      headers: {
        Origin: baseUrl(),
        Cookie: await sessionCookieFor(member.id),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ confirm: "yes", password: TEST_PASSWORD }).toString(),
    });
    expect(deleted.headers.location).toBe("/account/delete?deleted=1");

    const page = await httpRequest(`/library/${item.slug}`);
    expect(page.body).not.toContain(name);
    expect(page.body).toContain("Former member");
    const jsonLd = /<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(page.body)?.[1] ?? "";
    expect(jsonLd).toContain('"name":"Former member"');
    const credits = (await apiItem()).authors as { name: string; url: string }[];
    expect(credits.map((credit) => credit.name)).toEqual(["Former member"]);
    expect((await httpRequest(authorUrl)).status).toBe(404);
    const authorPage = await httpRequest(new URL(credits[0]!.url).pathname);
    expect(authorPage.body).toContain("Former member");
    expect(authorPage.body).not.toContain(name);
    for (const path of [
      `/library/${item.slug}/download`,
      `/library/${item.slug}/history`,
      "/library",
      "/feeds/everything.atom",
    ]) {
      expect((await httpRequest(path)).body, path).not.toContain(name);
    }
  });
});
