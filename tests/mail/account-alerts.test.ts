import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { ACCOUNT_ALERT_KINDS } from "~/models/account-alerts.server";
import { CATEGORY_OF_NOTIFICATION, updateEmailPreferences } from "~/models/email-preference.server";
import { NOTIFICATION_CATEGORY_KEYS } from "~/models/email-vocabulary";
import { attemptSignIn } from "~/models/password-attempts.server";
import { ACCOUNT_SLOWDOWN } from "~/models/rate-limit.server";

import { createUser } from "../factories/users";
import { linkIn, runBackgroundWork } from "../support/mail";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});

describe("account alerts by email", () => {
  it("tell the owner of wrong passwords straight away, whatever their email settings, and only once a window", async () => {
    const owner = await createUser({ displayName: "Pat Guarded" });
    await updateEmailPreferences({
      actor: owner,
      preferences: Object.fromEntries(NOTIFICATION_CATEGORY_KEYS.map((category) => [category, "never"])),
    });
    for (let attempt = 0; attempt <= ACCOUNT_SLOWDOWN.freeFailures; attempt += 1)
      expect(
        await attemptSignIn({ email: owner.email, password: `guess ${attempt}`, clientAddress: `10.7.0.${attempt}` }),
      ).toEqual({ kind: "wrong" });

    await runBackgroundWork(smtp);
    const alerts = smtp.to(owner.email);
    expect(alerts.map((mail) => mail.subject)).toEqual([
      "Wrong passwords were tried for your Procurement Commons account",
    ]);
    const [alert] = alerts;
    expect(alert!.text).toContain("Hello Pat Guarded,");
    expect(alert!.text).toMatch(
      /5 wrong passwords were tried for your Procurement Commons account in\s+the\s+last 15\s+minutes/,
    );
    expect(alert!.text).toMatch(/no setting turns them\s+off/);
    expect(alert!.html).toContain("Reset your password");
    expect(linkIn(alert!, "/forgot-password")).toBeTruthy();
    expect(alert!.headers["list-unsubscribe"]).toBeUndefined();

    // The in-app notification stands beside it, and the notification mailer leaves it alone.
    const notifications = await db
      .selectFrom("notifications")
      .select(["kind", "mail_state"])
      .where("user_id", "=", owner.id)
      .execute();
    expect(notifications).toEqual([{ kind: "failed-sign-ins", mail_state: "emailed" }]);
  });

  it("cover every kind of notification the database allows, along with the email settings", async () => {
    const { rows } = await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'table' and name = 'notifications'`.execute(db);
    const allowed = [
      .../"?kind"?\s+text[^,]*?check\s*\(\s*"?kind"?\s+in\s*\(([^)]*)\)/i
        .exec(rows[0]!.sql)![1]!
        .matchAll(/'([^']+)'/g),
    ].map((match) => match[1]);
    expect(allowed.length).toBeGreaterThan(5);
    // Each kind is either governed by a setting on /account/notifications or is a security alert, always sent.
    const governed = Object.keys(CATEGORY_OF_NOTIFICATION);
    expect([...governed, ...ACCOUNT_ALERT_KINDS].sort()).toEqual([...allowed].sort());
    expect(governed.filter((kind) => (ACCOUNT_ALERT_KINDS as readonly string[]).includes(kind))).toEqual([]);
    // And every setting governs something: a kind of notification, or the review reminders (their own table).
    expect([...new Set([...Object.values(CATEGORY_OF_NOTIFICATION), "review-due"])].sort()).toEqual(
      [...NOTIFICATION_CATEGORY_KEYS].sort(),
    );
  });
});
