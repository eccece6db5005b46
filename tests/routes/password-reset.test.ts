import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { authenticate } from "~/models/user.server";
import { action as changePasswordAction } from "~/routes/account.password";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";

import { createUser, sessionCookieFor, TEST_PASSWORD } from "../factories/users";
import { linkIn, runBackgroundWork } from "../support/mail";
import { callAction, submitForm, callLoader, headersOf, replyOf, statusOf } from "../support/remix";
import { type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});

const NEW_PASSWORD = "kestrel harbour lantern";
let ipSequence = 0;
const freshIp = () => `192.0.2.${(ipSequence += 1)}`;
const contextFrom = (clientIp = freshIp()) => ({ requestId: "test", setCookies: [] as string[], clientIp });

async function askForReset(email: string, clientIp = freshIp()) {
  return callAction(forgotAction, "/forgot-password", { email }, { context: contextFrom(clientIp) });
}

async function resetLinkFor(email: string): Promise<{ mail: ReceivedMail; token: string }> {
  const before = smtp.to(email).length;
  const response = await askForReset(email);
  expect(statusOf(response)).toBe(302);
  await runBackgroundWork(smtp);
  const mail = await smtp.waitFor((m) => m.envelope.to.includes(email) && smtp.to(email).indexOf(m) >= before);
  const link = new URL(linkIn(mail, "/reset-password"));
  return { mail, token: link.searchParams.get("token")! };
}

async function openLink(token: string) {
  const result = (await callLoader(resetLoader, `/reset-password?token=${encodeURIComponent(token)}`)) as {
    data: { problem: string | null };
    init: { status?: number; headers?: Record<string, string> } | null;
  };
  return { problem: result.data.problem, status: result.init?.status ?? 200, headers: result.init?.headers ?? {} };
}

async function submitNewPassword(token: string, password = NEW_PASSWORD, confirm = password) {
  return callAction(resetAction, "/reset-password", { token, newPassword: password, confirmPassword: confirm });
}

describe("forgotten passwords", () => {
  it("answers an unknown address exactly as it answers a known one, and mails only the known one", async () => {
    const user = await createUser();
    const known = await askForReset(user.email);
    const unknown = await askForReset("nobody-here@example.gov.uk");
    expect([statusOf(known), headersOf(known).get("Location")]).toEqual([302, "/forgot-password?sent=1"]);
    expect([statusOf(unknown), headersOf(unknown).get("Location")]).toEqual([302, "/forgot-password?sent=1"]);
    const queued = await db
      .selectFrom("mail_outbox")
      .select("recipient")
      .where("kind", "=", "password-reset")
      .execute();
    expect(queued.map((row) => row.recipient)).toContain(user.email);
    expect(queued.map((row) => row.recipient)).not.toContain("nobody-here@example.gov.uk");
  });

  it("mails a single-use link that is stored only as a hash, and resetting ends every session and says so by email", async () => {
    const user = await createUser({ displayName: "Rosa Reset" });
    await sessionCookieFor(user.id);
    await sessionCookieFor(user.id);
    const { mail, token } = await resetLinkFor(user.email);
    expect(mail.subject).toBe("Reset your Procurement Commons password");
    expect(mail.text).toContain("Hello Rosa Reset,");
    expect(mail.text).toMatch(/works once, for 60\s+minutes/);
    expect(mail.htmlLinks.some((href) => href.includes(`token=${token}`))).toBe(true);
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();

    // At rest: the token's hash, never the token; the sent message's text is cleared.
    const stored = JSON.stringify(await db.selectFrom("account_tokens").selectAll().execute());
    expect(stored).not.toContain(token);
    const outbox = JSON.stringify(
      await db.selectFrom("mail_outbox").selectAll().where("kind", "=", "password-reset").execute(),
    );
    expect(outbox).not.toContain(token);

    const page = await openLink(token);
    expect(page).toMatchObject({ problem: null, status: 200 });
    expect(page.headers).toMatchObject({ "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin" });

    const done = await submitNewPassword(token);
    expect([statusOf(done), headersOf(done).get("Location")]).toEqual([302, "/sign-in?reset=1"]);
    expect(await authenticate({ email: user.email, password: NEW_PASSWORD })).toEqual({ id: user.id });
    expect(await authenticate({ email: user.email, password: TEST_PASSWORD })).toBeNull();
    expect(await db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute()).toEqual([]);

    await runBackgroundWork(smtp);
    const notice = await smtp.waitFor(
      (m) => m.envelope.to.includes(user.email) && m.subject === "Your Procurement Commons password has been changed",
    );
    expect(notice.text).toMatch(/signed out/);
    expect(linkIn(notice, "/forgot-password")).toBeTruthy();

    // Used once, it is spent.
    expect(await openLink(token)).toMatchObject({ problem: "used", status: 410 });
    const again = await submitNewPassword(token, "another fine passphrase");
    expect([statusOf(again), headersOf(again).get("Location")]).toEqual([
      303,
      `/reset-password?token=${encodeURIComponent(token)}`,
    ]);
    expect(await authenticate({ email: user.email, password: NEW_PASSWORD })).toEqual({ id: user.id });
  });

  it("refuses an expired, an altered, a superseded link and one from before a password change, with a way to get another", async () => {
    const user = await createUser();
    const { token: first } = await resetLinkFor(user.email);
    const { token: second } = await resetLinkFor(user.email);
    expect(await openLink(first)).toMatchObject({ problem: "revoked", status: 410 });
    expect(await openLink(second)).toMatchObject({ problem: null });

    const altered = `${second.slice(0, -1)}${second.endsWith("A") ? "B" : "A"}`;
    expect(await openLink(altered)).toMatchObject({ problem: "unrecognised", status: 400 });
    expect(await openLink("not-a-token")).toMatchObject({ problem: "unrecognised", status: 400 });
    expect(await openLink("")).toMatchObject({ problem: "unrecognised", status: 400 });

    await db
      .updateTable("account_tokens")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    expect(await openLink(second)).toMatchObject({ problem: "expired", status: 410 });

    const { token: third } = await resetLinkFor(user.email);
    const cookie = await sessionCookieFor(user.id);
    const changed = await submitForm(
      changePasswordAction,
      "/account/password",
      {
        currentPassword: TEST_PASSWORD,
        newPassword: "changed while a link was out",
        confirmPassword: "changed while a link was out",
      },
      { headers: { Cookie: cookie } },
    );
    expect(changed.status).toBe(302);
    expect(await openLink(third)).toMatchObject({ problem: "revoked" });
  });

  it("keeps the link when the new password will not do, and says why", async () => {
    const user = await createUser();
    const { token } = await resetLinkFor(user.email);
    const weak = await submitNewPassword(token, "password123");
    expect(statusOf(weak)).toBe(400);
    expect(replyOf(weak).errorOf("newPassword")).toMatch(/common passwords/);
    expect(replyOf(weak).valueOf("newPassword")).toBeUndefined();
    const mismatch = await submitNewPassword(token, NEW_PASSWORD, "something else");
    expect(replyOf(mismatch).errorOf("confirmPassword")).toMatch(/do not match/);
    expect(await openLink(token)).toMatchObject({ problem: null });
  });

  it("limits requests per address, known or not, and per network", async () => {
    for (const email of [(await createUser()).email, "unknown-limit@example.gov.uk"]) {
      for (let attempt = 1; attempt <= 5; attempt += 1) expect(statusOf(await askForReset(email))).toBe(302);
      const limited = await askForReset(email);
      expect(statusOf(limited)).toBe(429);
      expect(headersOf(limited).get("Retry-After")).toMatch(/^\d+$/);
      expect(replyOf(limited).errorOf("form")).toMatch(/Too many password reset links/);
    }
    const ip = freshIp();
    for (let attempt = 1; attempt <= 20; attempt += 1)
      expect(statusOf(await askForReset(`spray-${attempt}@example.gov.uk`, ip))).toBe(302);
    expect(statusOf(await askForReset("spray-21@example.gov.uk", ip))).toBe(429);
  });

  it("answers as usual while the SMTP server is down; the link waits in the outbox and arrives once it is back", async () => {
    await runBackgroundWork(smtp); // what earlier tests queued, so this link is the one tried
    const user = await createUser();
    const down = await startTestSmtpServer();
    await down.close();
    const response = await askForReset(user.email);
    expect([statusOf(response), headersOf(response).get("Location")]).toEqual([302, "/forgot-password?sent=1"]);
    await runBackgroundWork(down);
    const waiting = await db
      .selectFrom("mail_outbox")
      .select(["id", "status", "attempts", "last_error"])
      .where("recipient", "=", user.email)
      .executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });

    // Its backoff over, the next tick delivers it to the server that is up again.
    await db
      .updateTable("mail_outbox")
      .set({ next_attempt_at: new Date().toISOString() })
      .where("id", "=", waiting.id)
      .execute();
    await runBackgroundWork(smtp);
    const mail = await smtp.waitFor((m) => m.envelope.to.includes(user.email));
    expect(linkIn(mail, "/reset-password")).toBeTruthy();
  });
});
