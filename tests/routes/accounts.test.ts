import type { AppLoadContext } from "@remix-run/node";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";

import { lucia, SESSION_ABSOLUTE_LIFETIME_SECONDS } from "~/auth/lucia.server";
import { getUser } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { passwordReentryKey } from "~/models/password-attempts.server";
import { ACCOUNT_SLOWDOWN, RATE_LIMITS, slowdownMsFor } from "~/models/rate-limit.server";
import { action as profileAction } from "~/routes/account._index";
import { loader as accountDataLoader } from "~/routes/account.data";
import { action as deleteAction } from "~/routes/account.delete";
import { action as passwordAction } from "~/routes/account.password";
import { loader as authorLoader } from "~/routes/authors.$slug";
import { loader as memberLoader } from "~/routes/members.$username";
import { action as signInAction } from "~/routes/sign-in";
import { action as signOutAction } from "~/routes/sign-out";
import { action as signUpAction } from "~/routes/sign-up";
import { nowIso } from "~/utils/dates";
import { type FormReply, readReply } from "~/utils/forms";

import { createItem, createItemInEditor } from "../factories/items";
import { createUser, sessionCookieFor, TEST_PASSWORD } from "../factories/users";
import { callLoader, submitForm, thrownResponse } from "../support/remix";

const GOOD_PASSWORD = "kestrel lantern orchard 42";

function contextFor(clientIp: string): AppLoadContext {
  return { requestId: "test", setCookies: [], clientIp };
}

/** The session cookie a response sets, as "name=value", or null. */
function sessionCookieFrom(response: Response) {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${lucia.sessionCookieName}=`));
  return cookie ? cookie.split(";")[0]! : null;
}

function sessionIdOf(cookie: string) {
  return cookie.split("=")[1]!;
}

async function userFor(cookie: string) {
  const request = new Request("http://localhost:3000/", { headers: { Cookie: cookie } });
  return getUser(request, { requestId: "test", setCookies: [] });
}

async function sessionCount(userId: string) {
  const rows = await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
  return rows.length;
}

async function createThread({
  title,
  authorId = null,
  visibility = "open",
}: {
  title: string;
  authorId?: string | null;
  visibility?: "open" | "members";
}) {
  const now = nowIso();
  const slug = `t-${crypto.randomUUID().slice(0, 8)}`;
  const community = await db
    .insertInto("communities")
    .values({
      slug,
      name: `Community ${slug}`,
      description: "A test community",
      kind: "topic",
      visibility,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .insertInto("threads")
    .values({
      kind: "discussion",
      community_id: community.id,
      slug,
      title,
      author_user_id: authorId,
      last_activity_at: now,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

const signUpForm = (overrides: Record<string, string> = {}) => ({
  displayName: "Priya Shah",
  email: `priya-${crypto.randomUUID().slice(0, 8)}@Example.gov.uk`,
  password: GOOD_PASSWORD,
  organisation: "Brindleford Borough Council",
  organisationType: "local-authority",
  jobRole: "Category manager",
  side: "buyer",
  redirectTo: "/library",
  ...overrides,
});

describe("sign up", () => {
  it("creates the account with a lower-case email and a username from the name, and asks the member to check their email", async () => {
    const form = signUpForm();
    const response = await submitForm(signUpAction, "/sign-up", form, {
      context: contextFor("10.0.0.1"),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/sign-up?sent=1&redirectTo=%2Flibrary");
    // Nobody is signed in by signing up: an address that already has an account gets this same answer.
    expect(sessionCookieFrom(response)).toBeNull();
    const user = await db
      .selectFrom("users")
      .select(["email", "display_name", "side", "role", "username", "email_verified_at"])
      .where("email", "=", form.email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email: form.email.toLowerCase(),
      display_name: "Priya Shah",
      side: "buyer",
      role: "member",
      email_verified_at: null,
    });
    expect(user.username).toMatch(/^priya-shah(-\d+)?$/);
  });

  it("gives a second member with the same name a different username", async () => {
    for (const address of ["sam-one@example.gov.uk", "sam-two@example.gov.uk"])
      await submitForm(signUpAction, "/sign-up", signUpForm({ displayName: "Sam Doe", email: address }), {
        context: contextFor("10.0.0.2"),
      });
    const names = await db
      .selectFrom("users")
      .select("username")
      .where("email", "in", ["sam-one@example.gov.uk", "sam-two@example.gov.uk"])
      .orderBy("created_at")
      .orderBy("username")
      .execute();
    expect(names.map((row) => row.username)).toEqual(["sam-doe", "sam-doe-2"]);
  });

  it("answers an email already in use in another letter case exactly as a new one, changing nothing", async () => {
    const owner = await createUser({ email: "taken@example.gov.uk" });
    const response = await submitForm(signUpAction, "/sign-up", signUpForm({ email: "TAKEN@Example.gov.uk" }), {
      context: contextFor("10.0.0.3"),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/sign-up?sent=1&redirectTo=%2Flibrary");
    expect(sessionCookieFrom(response)).toBeNull();
    const accounts = await db
      .selectFrom("users")
      .select("id")
      .where(sql`email collate nocase`, "=", "taken@example.gov.uk")
      .execute();
    expect(accounts).toEqual([{ id: owner.id }]);
  });

  it("puts each problem next to its field", async () => {
    const response = await submitForm(
      signUpAction,
      "/sign-up",
      signUpForm({
        displayName: " ",
        email: "not-an-email",
        password: "password1",
        side: "referee",
        organisationType: "castle",
      }),
      { context: contextFor("10.0.0.4") },
    );
    expect(response.status).toBe(400);
    const errors = readReply(await response.json()).fieldErrors();
    expect(errors).toEqual({
      displayName: "Enter your name.",
      email: "Enter an email address in the right format, like name@example.gov.uk.",
      password: expect.stringMatching(/list of common passwords/),
      side: "Choose which side of the table you sit on from the list.",
      organisationType: "Choose an organisation type from the list.",
    });
  });

  it("accepts a 200-character password whole, without truncating it", async () => {
    const password = "long passphrase ".repeat(12) + "ending here"; // 203 characters
    const form = signUpForm({ password });
    await submitForm(signUpAction, "/sign-up", form, { context: contextFor("10.0.0.5") });
    const truncated = await submitForm(
      signInAction,
      "/sign-in",
      { email: form.email, password: password.slice(0, 72) },
      { context: contextFor("10.0.0.5") },
    );
    expect(truncated.status).toBe(400);
    const whole = await submitForm(
      signInAction,
      "/sign-in",
      { email: form.email, password },
      { context: contextFor("10.0.0.5") },
    );
    expect(whole.status).toBe(302);
  });

  it("limits sign-ups from one address and says how long to wait", async () => {
    const context = () => contextFor("10.9.9.9");
    for (let count = 0; count < RATE_LIMITS.signUpPerIp.limit; count += 1) {
      const response = await submitForm(signUpAction, "/sign-up", signUpForm(), { context: context() });
      expect(response.status).toBe(302);
    }
    const limited = await submitForm(signUpAction, "/sign-up", signUpForm(), { context: context() });
    expect(limited.status).toBe(429);
    expect(readReply(await limited.json()).errorOf("form")).toMatch(/Try again in 60 minutes\./);
  });
});

describe("sign in", () => {
  it("gives the same message for a wrong password and an unknown email, in about the same time", async () => {
    const user = await createUser();
    const attempt = async (email: string) => {
      const started = performance.now();
      const response = await submitForm(
        signInAction,
        "/sign-in",
        { email, password: "not the password" },
        { context: contextFor(`10.1.${Math.random()}`) },
      );
      return { elapsed: performance.now() - started, body: await response.json(), status: response.status };
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    await attempt("warm-up@example.gov.uk");
    const known: number[] = [];
    const unknown: number[] = [];
    let wrongPassword, unknownEmail;
    for (let round = 0; round < 4; round += 1) {
      // A fresh address each time, so the per-account limit never interferes.
      wrongPassword = await attempt(user.email);
      unknownEmail = await attempt(`nobody-${round}@example.gov.uk`);
      known.push(wrongPassword.elapsed);
      unknown.push(unknownEmail.elapsed);
    }
    expect(wrongPassword?.status).toBe(400);
    expect(unknownEmail?.status).toBe(400);
    expect(wrongPassword?.body.error).toEqual(unknownEmail?.body.error);
    expect(wrongPassword?.body.initialValue).toEqual({ email: user.email });
    // Both paths run one argon2id verification (tens of milliseconds); skipping it for an unknown email
    // would put the ratio near 0.02. The wide band allows for a loaded, shared machine.
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(5);
  });

  it("only honours same-site paths to return to", async () => {
    const user = await createUser();
    for (const [redirectTo, expected] of [
      ["/library?theme=upstream", "/library?theme=upstream"],
      ["/library/a-tip#discussion", "/library/a-tip#discussion"],
      ["/library/../account", "/account"],
      ["https://evil.example/", "/"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["/\t/evil.example/landed", "/"],
      ["/%09/evil.example/landed", "/"],
      ["/\n/evil.example", "/"],
      ["/%0a/evil.example", "/"],
      ["/library%0d%0aSet-Cookie:%20x=1", "/"],
      ["/%5cevil.example", "/"],
      ["/%2f/evil.example", "/"],
      ["/%2F%2Fevil.example", "/"],
      ["/\u0000/evil.example", "/"],
      ["http://localhost:3000/library", "/"],
    ]) {
      const response = await submitForm(
        signInAction,
        "/sign-in",
        { email: user.email, password: TEST_PASSWORD, redirectTo: redirectTo! },
        { context: contextFor("10.1.0.2") },
      );
      expect(response.headers.get("Location")).toBe(expected);
    }
  });

  it("starts a new session and ends the one the browser already had (no session fixation)", async () => {
    const user = await createUser();
    const planted = await sessionCookieFor(user.id);
    const response = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { headers: { Cookie: planted }, context: contextFor("10.1.0.3") },
    );
    const fresh = sessionCookieFrom(response)!;
    expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(planted));
    expect(await userFor(planted)).toBeNull();
    expect((await userFor(fresh))?.id).toBe(user.id);
  });

  const wrongSignIn = (email: string, address: string, attempt: number) =>
    submitForm(
      signInAction,
      "/sign-in",
      { email, password: `guess number ${attempt}` },
      { context: contextFor(address) },
    );

  it("never refuses the owner's right password because of wrong ones from elsewhere: it slows down and tells the owner", async () => {
    const user = await createUser();
    for (let attempt = 0; attempt < ACCOUNT_SLOWDOWN.freeFailures; attempt += 1) {
      expect((await wrongSignIn(user.email, `10.2.0.${attempt}`, attempt)).status).toBe(400);
    }
    const started = performance.now();
    const owner = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email.toUpperCase(), password: TEST_PASSWORD },
      { context: contextFor("10.2.1.1") },
    );
    expect(owner.status).toBe(302);
    expect(performance.now() - started).toBeGreaterThanOrEqual(slowdownMsFor(ACCOUNT_SLOWDOWN.freeFailures) - 50);
    const alerts = await db
      .selectFrom("notifications")
      .select(["kind", "thread_id", "actor_user_id"])
      .where("user_id", "=", user.id)
      .execute();
    expect(alerts).toEqual([{ kind: "failed-sign-ins", thread_id: null, actor_user_id: null }]);
  });

  it("refuses an address that has failed 5 times for an account, for that account only, and says how long to wait", async () => {
    const user = await createUser();
    const other = await createUser();
    for (let attempt = 0; attempt < RATE_LIMITS.signInPerAddressAndAccount.limit; attempt += 1) {
      expect((await wrongSignIn(user.email, "10.2.2.1", attempt)).status).toBe(400);
    }
    const limited = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.2.2.1") },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(readReply(await limited.json()).errorOf("form")).toBe(
      "Too many attempts to sign in. Try again in 15 minutes.",
    );
    const otherAccount = await submitForm(
      signInAction,
      "/sign-in",
      { email: other.email, password: TEST_PASSWORD },
      { context: contextFor("10.2.2.1") },
    );
    expect(otherAccount.status).toBe(302);
  });

  it("slows down, but never refuses, attempts on an account attacked from many addresses", async () => {
    expect([4, 5, 6, 7, 8, 9, 40].map(slowdownMsFor)).toEqual([0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it("limits attempts from one address across many accounts", async () => {
    for (let attempt = 0; attempt < RATE_LIMITS.signInPerIp.limit; attempt += 1) {
      await submitForm(
        signInAction,
        "/sign-in",
        { email: `stuffing-${attempt}@example.gov.uk`, password: "Summer2026!" },
        { context: contextFor("10.3.3.3") },
      );
    }
    const user = await createUser();
    const limited = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.3.3.3") },
    );
    expect(limited.status).toBe(429);
    const elsewhere = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.3.3.4") },
    );
    expect(elsewhere.status).toBe(302);
  });

  it("clears the account's failures after a successful sign-in", async () => {
    const user = await createUser();
    for (let attempt = 0; attempt < RATE_LIMITS.signInPerAddressAndAccount.limit - 1; attempt += 1) {
      await submitForm(
        signInAction,
        "/sign-in",
        { email: user.email, password: "wrong wrong" },
        { context: contextFor("10.4.0.1") },
      );
    }
    await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.4.0.1") },
    );
    const again = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: "wrong again" },
      { context: contextFor("10.4.0.1") },
    );
    expect(again.status).toBe(400);
  });

  it("refuses a deleted account", async () => {
    const user = await createUser();
    await db.updateTable("users").set({ deleted_at: nowIso() }).where("id", "=", user.id).execute();
    const response = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.4.0.2") },
    );
    expect(response.status).toBe(400);
  });
});

describe("sessions", () => {
  it("sign-out ends the session on the server, not just in the browser", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const response = await submitForm(signOutAction, "/sign-out", {}, { headers: { Cookie: cookie } });
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.getSetCookie().join()).toMatch(new RegExp(`${lucia.sessionCookieName}=;.*Max-Age=0`));
    expect(response.headers.get("Clear-Site-Data")).toBe('"cache", "storage"');
    expect(await userFor(cookie)).toBeNull();
    expect(
      await db.selectFrom("sessions").select("id").where("id", "=", sessionIdOf(cookie)).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("ends a session left idle past its expiry", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    await db
      .updateTable("sessions")
      .set({ expires_at: Math.floor(Date.now() / 1000) - 1 })
      .where("id", "=", sessionIdOf(cookie))
      .execute();
    expect(await userFor(cookie)).toBeNull();
  });

  it("extends an active session and refreshes its cookie in one place", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const oneDay = 24 * 60 * 60;
    await db
      .updateTable("sessions")
      .set({ expires_at: Math.floor(Date.now() / 1000) + oneDay })
      .where("id", "=", sessionIdOf(cookie))
      .execute();
    const context: AppLoadContext = { requestId: "test", setCookies: [] };
    expect((await getUser(new Request("http://localhost:3000/", { headers: { Cookie: cookie } }), context))?.id).toBe(
      user.id,
    );
    expect(context.setCookies).toHaveLength(1);
    expect(context.setCookies[0]).toMatch(/Max-Age=1209600/);
    const row = await db
      .selectFrom("sessions")
      .select("expires_at")
      .where("id", "=", sessionIdOf(cookie))
      .executeTakeFirstOrThrow();
    expect(row.expires_at).toBeGreaterThan(Date.now() / 1000 + 13 * oneDay);
  });

  it("ends a session past its absolute lifetime, however active", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const now = Math.floor(Date.now() / 1000);
    await db
      .updateTable("sessions")
      .set({ created_at: now - SESSION_ABSOLUTE_LIFETIME_SECONDS - 1, expires_at: now + 10 * 24 * 60 * 60 })
      .where("id", "=", sessionIdOf(cookie))
      .execute();
    const context: AppLoadContext = { requestId: "test", setCookies: [] };
    expect(await getUser(new Request("http://localhost:3000/", { headers: { Cookie: cookie } }), context)).toBeNull();
    expect(context.setCookies[0]).toMatch(/Max-Age=0/);
    expect(await sessionCount(user.id)).toBe(0);
  });

  it("sets the cookie HttpOnly and SameSite=Lax (Secure and __Host- in production: see the browser tests)", async () => {
    const user = await createUser();
    const response = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: TEST_PASSWORD },
      { context: contextFor("10.5.0.1") },
    );
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(lucia.sessionCookieName))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
  });
});

describe("account", () => {
  it("changing the password ends the member's other sessions but keeps this one", async () => {
    const user = await createUser();
    const here = await sessionCookieFor(user.id);
    const elsewhere = await sessionCookieFor(user.id);
    const response = await submitForm(
      passwordAction,
      "/account/password",
      { currentPassword: TEST_PASSWORD, newPassword: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD },
      { headers: { Cookie: here } },
    );
    expect(response.headers.get("Location")).toBe("/account/password?changed=1");
    expect((await userFor(here))?.id).toBe(user.id);
    expect(await userFor(elsewhere)).toBeNull();
    const signIn = await submitForm(
      signInAction,
      "/sign-in",
      { email: user.email, password: GOOD_PASSWORD },
      { context: contextFor("10.6.0.1") },
    );
    expect(signIn.status).toBe(302);
  });

  it("signs out of every other session without asking for the password, keeping this one", async () => {
    const user = await createUser();
    const here = await sessionCookieFor(user.id);
    const elsewhere = [await sessionCookieFor(user.id), await sessionCookieFor(user.id)];
    const someoneElse = await sessionCookieFor((await createUser()).id);
    const response = await submitForm(
      profileAction,
      "/account",
      { intent: "sign-out-others" },
      { headers: { Cookie: here } },
    );
    expect(response.headers.get("Location")).toBe("/account?signedOutElsewhere=1#sessions");
    expect((await userFor(here))?.id).toBe(user.id);
    for (const cookie of elsewhere) expect(await userFor(cookie)).toBeNull();
    expect(await userFor(someoneElse)).not.toBeNull();
    const unchanged = await db
      .selectFrom("users")
      .select("display_name")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.display_name).toBe(user.display_name);
  });

  it("refuses a password change with the wrong current password, a common new one or a mismatch", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const errorsFor = async (form: Record<string, string>) => {
      const response = await submitForm(passwordAction, "/account/password", form, {
        headers: { Cookie: cookie },
      });
      expect(response.status).toBe(400);
      return readReply(await response.json()).fieldErrors();
    };
    expect(
      await errorsFor({ currentPassword: "nope nope", newPassword: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD }),
    ).toEqual({
      currentPassword: "Your current password is not right. Check it and try again.",
    });
    expect(
      (await errorsFor({ currentPassword: TEST_PASSWORD, newPassword: "football", confirmPassword: "football" }))
        .newPassword,
    ).toMatch(/common passwords/);
    expect(
      (await errorsFor({ currentPassword: TEST_PASSWORD, newPassword: GOOD_PASSWORD, confirmPassword: "other" }))
        .confirmPassword,
    ).toMatch(/do not match/);
  });

  it("saves the profile, and sends anonymous visitors to sign in", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const response = await submitForm(
      profileAction,
      "/account",
      {
        displayName: "Priya R. Shah",
        side: "adviser",
        organisation: "",
        organisationType: "",
        jobRole: "Consultant",
        bio: "Ten years in health commissioning.",
      },
      { headers: { Cookie: cookie } },
    );
    expect(response.headers.get("Location")).toBe("/account?saved=1");
    const saved = await db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({
      display_name: "Priya R. Shah",
      side: "adviser",
      organisation: null,
      job_role: "Consultant",
      bio: "Ten years in health commissioning.",
    });
    const anonymous = await thrownResponse(() => submitForm(profileAction, "/account", { displayName: "X" }));
    expect(anonymous.headers.get("Location")).toBe("/sign-in?redirectTo=%2Faccount");
  });

  it("downloads everything the member wrote as JSON, without the password hash", async () => {
    const user = await createUser({ displayName: "Data Owner" });
    const now = nowIso();
    const thread = await createThread({ title: "Has anyone published a UK9?", authorId: user.id });
    await db
      .insertInto("posts")
      .values({
        thread_id: thread.id,
        author_user_id: user.id,
        body_markdown: "We rated three KPIs.",
        body_html: "<p>We rated three KPIs.</p>",
        created_at: now,
      })
      .execute();
    const cookie = await sessionCookieFor(user.id);
    const response = await callLoader(accountDataLoader, "/account/data", {}, { headers: { Cookie: cookie } });
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="procurement-commons-.+\.json"$/,
    );
    const text = await response.text();
    expect(text).not.toContain("argon2");
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ id: user.id, email: user.email, display_name: "Data Owner" });
    expect(data.threads.map((t: { title: string }) => t.title)).toEqual(["Has anyone published a UK9?"]);
    expect(data.posts.map((p: { body_markdown: string }) => p.body_markdown)).toEqual(["We rated three KPIs."]);
  });

  it("deleting the account scrubs personal details, ends sessions and keeps posts as a former member's", async () => {
    const user = await createUser({ displayName: "Leaving Member", organisation: "Eastholme County Council" });
    const now = nowIso();
    const thread = await createThread({ title: "Social value follow-up" });
    const post = await db
      .insertInto("posts")
      .values({
        thread_id: thread.id,
        author_user_id: user.id,
        body_markdown: "Check delivery, not promises.",
        body_html: "<p>Check delivery, not promises.</p>",
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const cookie = await sessionCookieFor(user.id);
    await sessionCookieFor(user.id);

    const unconfirmed = await submitForm(
      deleteAction,
      "/account/delete",
      { password: TEST_PASSWORD },
      { headers: { Cookie: cookie } },
    );
    expect(readReply(await unconfirmed.json()).errorOf("confirm")).toMatch(/Tick the box/);
    const wrongPassword = await submitForm(
      deleteAction,
      "/account/delete",
      { confirm: "yes", password: "nope nope" },
      { headers: { Cookie: cookie } },
    );
    expect(readReply(await wrongPassword.json()).errorOf("password")).toMatch(/not right/);

    const response = await submitForm(
      deleteAction,
      "/account/delete",
      { confirm: "yes", password: TEST_PASSWORD },
      { headers: { Cookie: cookie } },
    );
    expect(response.headers.get("Location")).toBe("/account/delete?deleted=1");
    expect(response.headers.get("Clear-Site-Data")).toBe('"cache", "storage"');
    expect(response.headers.getSetCookie().join()).toMatch(/Max-Age=0/);
    const row = await db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      display_name: "Former member",
      password_hash: null,
      organisation: null,
      bio: null,
      side: null,
    });
    expect(row.deleted_at).not.toBeNull();
    expect(row.email).not.toContain(user.email.split("@")[0]);
    expect(await sessionCount(user.id)).toBe(0);
    const kept = await db
      .selectFrom("posts")
      .innerJoin("users", "users.id", "posts.author_user_id")
      .select(["posts.body_markdown", "users.display_name"])
      .where("posts.id", "=", post.id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ body_markdown: "Check delivery, not promises.", display_name: "Former member" });
    expect(
      (await thrownResponse(() => callLoader(memberLoader, `/members/${user.username}`, { username: user.username })))
        .status,
    ).toBe(404);
    const again = await createUser({ email: user.email });
    expect(again.email).toBe(user.email);
  });
});

describe("password re-entry limit", () => {
  const wrongCurrentPassword = (cookie: string, attempt: number) =>
    submitForm(
      passwordAction,
      "/account/password",
      { currentPassword: `guess ${attempt}`, newPassword: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD },
      { headers: { Cookie: cookie } },
    );
  const rightCurrentPassword = (cookie: string) =>
    submitForm(
      passwordAction,
      "/account/password",
      { currentPassword: TEST_PASSWORD, newPassword: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD },
      { headers: { Cookie: cookie } },
    );
  const signInAttempt = (email: string, password: string) =>
    submitForm(signInAction, "/sign-in", { email, password }, { context: contextFor("10.7.0.1") });

  /** As if the window had passed: the row is moved back in time, not the clock. */
  async function endWindow(key: string) {
    await db
      .updateTable("rate_limits")
      .set((eb) => ({
        window_started_at: eb("window_started_at", "-", RATE_LIMITS.passwordReentryPerSession.windowSeconds),
      }))
      .where("key", "=", key)
      .execute();
  }

  it("refuses the session that typed 5 wrong ones, even when right, until the window passes", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    for (let attempt = 0; attempt < RATE_LIMITS.passwordReentryPerSession.limit; attempt += 1) {
      expect((await wrongCurrentPassword(cookie, attempt)).status).toBe(400);
    }
    const limited = await rightCurrentPassword(cookie);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(readReply(await limited.json()).fieldErrors()).toEqual({
      form: "Too many wrong passwords. Try again in 15 minutes.",
    });
    expect((await signInAttempt(user.email, TEST_PASSWORD)).status).toBe(302);

    await endWindow(passwordReentryKey(sessionIdOf(cookie)));
    const changed = await rightCurrentPassword(cookie);
    expect(changed.headers.get("Location")).toBe("/account/password?changed=1");
  });

  it("lets the owner's own session change the password however many wrong ones a stolen session typed", async () => {
    const user = await createUser();
    const stolen = await sessionCookieFor(user.id);
    const owners = await sessionCookieFor(user.id);
    for (let attempt = 0; attempt < RATE_LIMITS.passwordReentryPerSession.limit + 2; attempt += 1) {
      expect([400, 429]).toContain((await wrongCurrentPassword(stolen, attempt)).status);
    }
    expect((await rightCurrentPassword(stolen)).status).toBe(429);
    const changed = await rightCurrentPassword(owners);
    expect(changed.headers.get("Location")).toBe("/account/password?changed=1");
    expect(await userFor(stolen)).toBeNull();
  });

  it("counts wrong passwords on the delete form in the same bucket, keeps the box ticked and deletes nothing while limited", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    for (let attempt = 0; attempt < 3; attempt += 1) await wrongCurrentPassword(cookie, attempt);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const wrong = await submitForm(
        deleteAction,
        "/account/delete",
        { confirm: "yes", password: `guess ${attempt}` },
        { headers: { Cookie: cookie } },
      );
      expect(wrong.status).toBe(400);
      expect(readReply(await wrong.json()).valuesOf("confirm")).toEqual(["yes"]);
    }
    const limited = await submitForm(
      deleteAction,
      "/account/delete",
      { confirm: "yes", password: TEST_PASSWORD },
      { headers: { Cookie: cookie } },
    );
    expect(limited.status).toBe(429);
    const body = await limited.json();
    expect(readReply(body).fieldErrors()).toEqual({ form: "Too many wrong passwords. Try again in 15 minutes." });
    expect((body as FormReply).initialValue).toEqual({ confirm: "yes" });
    expect(JSON.stringify(body)).not.toContain(TEST_PASSWORD);
    const row = await db
      .selectFrom("users")
      .select(["deleted_at", "password_hash"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).toBeNull();
    expect(await userFor(cookie)).not.toBeNull();

    await endWindow(passwordReentryKey(sessionIdOf(cookie)));
    const deleted = await submitForm(
      deleteAction,
      "/account/delete",
      { confirm: "yes", password: TEST_PASSWORD },
      { headers: { Cookie: cookie } },
    );
    expect(deleted.headers.get("Location")).toBe("/account/delete?deleted=1");
  });

  it("a right password clears only its own bucket: sign-in failures still count, and sign-in does not clear re-entry", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const almost = RATE_LIMITS.signInPerAddressAndAccount.limit - 1;
    for (let attempt = 0; attempt < almost; attempt += 1)
      expect((await signInAttempt(user.email, `guess ${attempt}`)).status).toBe(400);
    for (let attempt = 0; attempt < almost; attempt += 1)
      expect((await wrongCurrentPassword(cookie, attempt)).status).toBe(400);

    expect((await rightCurrentPassword(cookie)).status).toBe(302);
    for (let attempt = 0; attempt < almost; attempt += 1)
      expect((await wrongCurrentPassword(cookie, attempt)).status).toBe(400);
    expect((await signInAttempt(user.email, "one more guess")).status).toBe(400);
    expect((await signInAttempt(user.email, GOOD_PASSWORD)).status).toBe(429);

    const other = await createUser();
    const otherCookie = await sessionCookieFor(other.id);
    for (let attempt = 0; attempt < RATE_LIMITS.passwordReentryPerSession.limit; attempt += 1)
      await wrongCurrentPassword(otherCookie, attempt);
    expect((await signInAttempt(other.email, TEST_PASSWORD)).status).toBe(302);
    expect((await rightCurrentPassword(otherCookie)).status).toBe(429);
  });
});

describe("member profile", () => {
  it("shows the public profile and open posts, never the email", async () => {
    const user = await createUser({ displayName: "Tom Okafor", side: "supplier", organisation: "Okafor Care Ltd" });
    const now = nowIso();
    const openThread = await createThread({ title: "Open thread" });
    const privateThread = await createThread({ title: "Closed thread", visibility: "members" });
    for (const threadId of [openThread.id, privateThread.id]) {
      await db
        .insertInto("posts")
        .values({
          thread_id: threadId,
          author_user_id: user.id,
          body_markdown: `Post in ${threadId}`,
          body_html: "<p>x</p>",
          created_at: now,
        })
        .execute();
    }
    const data = await callLoader(memberLoader, `/members/${user.username.toUpperCase()}`, {
      username: user.username.toUpperCase(),
    });
    expect(data.member).toMatchObject({
      display_name: "Tom Okafor",
      side: "supplier",
      organisation: "Okafor Care Ltd",
    });
    expect(JSON.stringify(data)).not.toContain(user.email);
    expect(data.posts.map((post) => post.threadTitle)).toEqual(["Open thread"]);
  });
});

describe("one address for a person", () => {
  it("sends /authors/ for a member's credits to their profile, which lists their items page by page", async () => {
    const user = await createUser({ displayName: "Priya Publisher" });
    await createItemInEditor({ user, status: "published", title: "Priya's published tip" });
    const author = await db
      .selectFrom("authors")
      .select("slug")
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    const moved = await thrownResponse(() =>
      callLoader(authorLoader, `/authors/${author.slug}?page=2`, { slug: author.slug }),
    );
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe(`/members/${user.username}?page=2`);

    const profile = await callLoader(memberLoader, `/members/${user.username}`, { username: user.username });
    expect(profile.items.map((item) => item.title)).toEqual(["Priya's published tip"]);
    expect(profile).toMatchObject({ itemCount: 1, page: 1, pageCount: 1 });
    const beyond = await callLoader(memberLoader, `/members/${user.username}?page=3`, { username: user.username });
    expect(beyond).toMatchObject({ items: [], page: 3 });
  });

  it("keeps /authors/ for authors with no account", async () => {
    await createItem({ authors: [{ name: "Seed Writer Without Account" }] });
    const { slug } = await db
      .selectFrom("authors")
      .select("slug")
      .where("name", "=", "Seed Writer Without Account")
      .where("user_id", "is", null)
      .executeTakeFirstOrThrow();
    const page = await callLoader(authorLoader, `/authors/${slug}`, { slug });
    expect(page.author).toMatchObject({ slug, name: "Seed Writer Without Account" });
  });
});
