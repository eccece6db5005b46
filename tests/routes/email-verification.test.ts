import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { InvalidInputError } from "~/models/domain-errors.server";
import { replyToThread } from "~/models/post.server";
import { startThread } from "~/models/thread.server";
import { authenticate } from "~/models/user.server";
import { action as emailAction } from "~/routes/account.email";
import { action as forgotAction } from "~/routes/forgot-password";
import { loader as resetLoader } from "~/routes/reset-password";
import { action as signUpAction } from "~/routes/sign-up";
import { action as verifyAction, loader as verifyLoader } from "~/routes/verify-email";
import { action as writeAction } from "~/routes/write.$type";
import { readReply } from "~/utils/forms";

import { createCommunity, createThread } from "../factories/discussions";
import { createUser, sessionCookieFor, TEST_PASSWORD } from "../factories/users";
import { linkIn, runBackgroundWork } from "../support/mail";
import { callAction, callLoader, replyOf, statusOf, submitForm } from "../support/remix";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});

let ipSequence = 0;
const context = () => ({ requestId: "test", setCookies: [] as string[], clientIp: `198.51.100.${(ipSequence += 1)}` });

async function latestMailTo(email: string, subject: RegExp) {
  await runBackgroundWork(smtp);
  const matching = smtp.to(email).filter((mail) => subject.test(mail.subject));
  if (matching.length === 0) throw new Error(`No message matching ${subject} to ${email}`);
  return matching.at(-1)!;
}

const tokenFrom = (href: string) => new URL(href).searchParams.get("token")!;

async function verifyPage(token: string) {
  const result = (await callLoader(verifyLoader, `/verify-email?token=${encodeURIComponent(token)}`)) as {
    data: { problem: string | null; state: string };
    init: { status?: number } | null;
  };
  return { ...result.data, status: result.init?.status ?? 200 };
}

async function confirm(token: string) {
  return callAction(verifyAction, "/verify-email", { token });
}

async function signUp(email: string) {
  const response = await submitForm(
    signUpAction,
    "/sign-up",
    { displayName: "Nia Confirm", email, password: "marsh frog lantern", redirectTo: "/library" },
    { context: context() },
  );
  expect(response.status).toBe(302);
  return db
    .selectFrom("users")
    .select(["id", "email_verified_at"])
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

const tipForm = (intent: string) => ({
  title: `A tip saved as ${intent}`,
  summary: "Written by a member who has not confirmed their address yet.",
  themes: ["upstream"],
  tags: "testing",
  basis: "practitioner-experience",
  body: "## Why\n\nBecause.\n",
  intent,
});

describe("confirming an address", () => {
  it("mails a confirmation link at sign-up; the button on its page confirms the address", async () => {
    const email = `nia-${Date.now()}@example.gov.uk`;
    const user = await signUp(email);
    expect(user.email_verified_at).toBeNull();
    const mail = await latestMailTo(email, /Confirm your email address/);
    expect(mail.text).toMatch(/read and draft, but not post/);
    const link = linkIn(mail, "/verify-email");
    expect(mail.htmlLinks).toContain(link);

    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    expect(await verifyPage(tokenFrom(link))).toMatchObject({ problem: null, state: "confirm", status: 200 });
    expect(
      (await db.selectFrom("users").select("email_verified_at").where("id", "=", user.id).executeTakeFirstOrThrow())
        .email_verified_at,
    ).toBeNull();
    const done = (await confirm(tokenFrom(link))) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([302, "/verify-email?confirmed=1"]);
    const after = await db
      .selectFrom("users")
      .select("email_verified_at")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(after.email_verified_at).not.toBeNull();
    expect(await verifyPage(tokenFrom(link))).toMatchObject({ problem: "used", status: 410 });
    // Pressing the button again (a page left open) leads to the page that says why, as opening the link does.
    const again = (await confirm(tokenFrom(link))) as Response;
    expect([again.status, again.headers.get("Location")]).toEqual([303, "/verify-email?rejected=used"]);
    const said = (await callLoader(verifyLoader, again.headers.get("Location")!)) as {
      data: { problem: string | null; state: string };
      init: { status?: number } | null;
    };
    expect([said.data.problem, said.init?.status]).toEqual(["used", 410]);
  });

  it("lets an unconfirmed member read and save drafts, but not reply, start a thread or publish", async () => {
    const member = await createUser({ emailVerified: false });
    const viewer = { id: member.id, role: "member" as const };
    const community = await createCommunity();
    const { threadId } = await createThread({ communityId: community.id });
    await expect(
      replyToThread({ target: { threadId }, author: viewer, body: "Hello", parentPostId: null }),
    ).rejects.toThrow(/Confirm your email address before you post/);
    await expect(
      startThread({
        communityId: community.id,
        author: viewer,
        form: { kind: "discussion", title: "Not yet", body: "Hello", themes: [], tags: [], items: [] },
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const headers = { Cookie: await sessionCookieFor(member.id) };
    const published = await submitForm(writeAction, "/write/tip", tipForm("publish"), {
      params: { type: "tip" },
      headers,
    });
    expect(published.status).toBe(400);
    const body = (await published.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/Confirm your email address before you publish/);
    const draft = await submitForm(writeAction, "/write/tip", tipForm("save-draft"), {
      params: { type: "tip" },
      headers,
    });
    expect(draft.status).toBe(302);
    expect(draft.headers.get("Location")).toMatch(/\/edit\?done=draft$/);
  });

  it("sends the link again a few times an hour, then asks the member to wait", async () => {
    const member = await createUser({ emailVerified: false });
    const headers = { Cookie: await sessionCookieFor(member.id) };
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const response = await submitForm(emailAction, "/account/email", { intent: "resend" }, { headers });
      expect(response.headers.get("Location")).toBe("/account/email?sent=resend");
    }
    const limited = await submitForm(emailAction, "/account/email", { intent: "resend" }, { headers });
    expect(limited.status).toBe(429);
    expect(readReply(await limited.json()).errorOf("form")).toMatch(/3 times in the last hour/);
    // Only the newest of the links works.
    await runBackgroundWork(smtp);
    const links = smtp.to(member.email).map((mail) => tokenFrom(linkIn(mail, "/verify-email")));
    expect(links).toHaveLength(3);
    expect(await verifyPage(links[0]!)).toMatchObject({ problem: "revoked" });
    expect(await verifyPage(links[2]!)).toMatchObject({ problem: null });
  });
});

describe("signing up with an address that has an account", () => {
  it("answers exactly as for a new address, signs nobody in, and tells the owner a few times an hour at most", async () => {
    const owner = await createUser({ displayName: "Ola Owner" });
    const signUpWith = (email: string) =>
      submitForm(
        signUpAction,
        "/sign-up",
        { displayName: "Someone Else", email, password: "another person's passphrase", redirectTo: "/library" },
        { context: context() },
      );
    const fresh = await signUpWith(`fresh-${Date.now()}@example.gov.uk`);
    const taken = await signUpWith(owner.email.toUpperCase());
    for (const response of [fresh, taken]) {
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/sign-up?sent=1&redirectTo=%2Flibrary");
      expect(response.headers.get("Set-Cookie")).toBeNull();
    }
    expect(await authenticate({ email: owner.email, password: TEST_PASSWORD })).toEqual({ id: owner.id });
    expect(await authenticate({ email: owner.email, password: "another person's passphrase" })).toBeNull();

    const notice = await latestMailTo(owner.email, /tried to create a Procurement Commons account/);
    expect(notice.text).toContain("Hello Ola Owner,");
    expect(linkIn(notice, "/forgot-password")).toBeTruthy();
    expect(notice.headers["list-unsubscribe"]).toBeUndefined();
    expect(smtp.to(owner.email).some((mail) => /Confirm/.test(mail.subject))).toBe(false);

    // Someone hammering the form cannot flood the owner's inbox: the answer stays the same.
    for (let attempt = 2; attempt <= 5; attempt += 1)
      expect((await signUpWith(owner.email)).headers.get("Location")).toBe("/sign-up?sent=1&redirectTo=%2Flibrary");
    await runBackgroundWork(smtp);
    expect(smtp.to(owner.email).filter((mail) => /tried to create/.test(mail.subject))).toHaveLength(3);
  });
});

describe("changing an address", () => {
  it("confirms the new address first, then tells the old one; reset links sent to the old one stop working", async () => {
    const member = await createUser({ displayName: "Owen Moving" });
    const headers = { Cookie: await sessionCookieFor(member.id) };
    const newEmail = `owen-new-${Date.now()}@example.gov.uk`;

    const wrong = await submitForm(
      emailAction,
      "/account/email",
      { intent: "change", newEmail, password: "not it" },
      { headers },
    );
    expect(wrong.status).toBe(400);
    expect(readReply(await wrong.json()).errorOf("password")).toMatch(/not right/);
    const same = await submitForm(
      emailAction,
      "/account/email",
      { intent: "change", newEmail: member.email, password: TEST_PASSWORD },
      { headers },
    );
    expect(readReply(await same.json()).errorOf("newEmail")).toMatch(/already your email/);

    await callAction(forgotAction, "/forgot-password", { email: member.email }, { context: context() });
    const resetMail = await latestMailTo(member.email, /Reset your/);

    const asked = await submitForm(
      emailAction,
      "/account/email",
      { intent: "change", newEmail, password: TEST_PASSWORD },
      { headers },
    );
    expect(asked.headers.get("Location")).toBe("/account/email?sent=change");
    const confirmation = await latestMailTo(newEmail, /Confirm your new email address/);
    // Nothing changes until the new address is confirmed.
    expect(await authenticate({ email: member.email, password: TEST_PASSWORD })).toEqual({ id: member.id });

    const done = (await confirm(tokenFrom(linkIn(confirmation, "/verify-email")))) as Response;
    expect(done.headers.get("Location")).toBe("/verify-email?confirmed=changed");
    expect(await authenticate({ email: newEmail, password: TEST_PASSWORD })).toEqual({ id: member.id });
    expect(await authenticate({ email: member.email, password: TEST_PASSWORD })).toBeNull();
    const notice = await latestMailTo(member.email, /email address of your Procurement Commons account has changed/);
    expect(notice.text).toContain(newEmail);
    const reset = (await callLoader(
      resetLoader,
      `/reset-password?token=${tokenFrom(linkIn(resetMail, "/reset-password"))}`,
    )) as {
      data: { problem: string };
    };
    expect(reset.data.problem).toBe("revoked");
  });

  it("answers the same when the new address has an account, and tells that address instead", async () => {
    const member = await createUser();
    const other = await createUser();
    const headers = { Cookie: await sessionCookieFor(member.id) };
    const response = await submitForm(
      emailAction,
      "/account/email",
      { intent: "change", newEmail: other.email, password: TEST_PASSWORD },
      { headers },
    );
    expect(response.headers.get("Location")).toBe("/account/email?sent=change");
    const warning = await latestMailTo(other.email, /tried to use your email address/);
    expect(warning.text).not.toContain(member.email);
    expect(smtp.to(other.email).some((mail) => /Confirm/.test(mail.subject))).toBe(false);
    expect(await authenticate({ email: member.email, password: TEST_PASSWORD })).toEqual({ id: member.id });
  });

  it("keeps the old address, and says why next to the button, when another account took the new one meanwhile", async () => {
    const member = await createUser();
    const headers = { Cookie: await sessionCookieFor(member.id) };
    const newEmail = `taken-meanwhile-${Date.now()}@example.gov.uk`;
    const asked = await submitForm(
      emailAction,
      "/account/email",
      { intent: "change", newEmail, password: TEST_PASSWORD },
      { headers },
    );
    expect(asked.headers.get("Location")).toBe("/account/email?sent=change");
    const confirmation = await latestMailTo(newEmail, /Confirm your new email address/);
    await createUser({ email: newEmail });

    const refused = await confirm(tokenFrom(linkIn(confirmation, "/verify-email")));
    expect(statusOf(refused)).toBe(409);
    const reply = replyOf(refused);
    expect(reply.fieldErrors()).toEqual({
      form: "Another account has started using this address since the link was sent, so your address has not changed.",
    });
    // The link is in the page's address, never echoed in the reply.
    expect(reply.valueOf("token")).toBeUndefined();
    expect(await authenticate({ email: member.email, password: TEST_PASSWORD })).toEqual({ id: member.id });
  });
});
