import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { db, writeTransaction } from "~/db/client.server";
import { mailSteps, sendDueMail } from "~/mail/background-steps.server";
import { holdLease, releaseLease } from "~/mail/lease.server";
import { renderMail } from "~/mail/message.server";
import { deliverDueMail, MAX_ATTEMPTS, queueMail, retryDelayMs } from "~/mail/outbox.server";
import { fileTransport, smtpTransport } from "~/mail/transport.server";

import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

const message = (subject: string) =>
  renderMail({
    subject,
    heading: subject,
    blocks: [
      { type: "paragraph", text: "A line of text." },
      { type: "action", label: "Open it", href: "http://localhost:3000/somewhere" },
    ],
    reason: "You are getting this because a test asked.",
    footerLinks: [{ label: "Email settings", href: "http://localhost:3000/account/notifications" }],
  });

async function queue(subject: string, to = "someone@example.gov.uk") {
  await writeTransaction((trx) =>
    queueMail(trx, { to, userId: null, kind: "notification", message: message(subject) }),
  );
}

async function rowFor(subject: string) {
  return db.selectFrom("mail_outbox").selectAll().where("subject", "=", subject).executeTakeFirstOrThrow();
}

const HOLDER = "test-host:1:outbox";
const log = () => {};
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ refuseRecipient: (address) => (address.startsWith("nobody@") ? 550 : null) });
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  await db.deleteFrom("mail_outbox").execute();
  await holdLease({ holder: HOLDER });
});

describe("the mail outbox", () => {
  it("queues a message only when the transaction that caused it commits", async () => {
    await expect(
      writeTransaction(async (trx) => {
        await queueMail(trx, {
          to: "a@example.gov.uk",
          userId: null,
          kind: "notification",
          message: message("Rolled back"),
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await queue("Committed");
    const subjects = (await db.selectFrom("mail_outbox").select("subject").execute()).map((row) => row.subject);
    expect(subjects).toEqual(["Committed"]);
  });

  it("sends through SMTP with both parts, and marks the message sent only then", async () => {
    await queue("Sent through SMTP", "reader@example.gov.uk");
    const transport = smtpTransport(smtp.url);
    const outcome = await deliverDueMail({ transport, holder: HOLDER, audience: async () => null });
    transport.close();
    expect(outcome.sent).toBe(1);
    const received = await smtp.waitFor((mail) => mail.subject === "Sent through SMTP");
    expect(received.envelope.to).toEqual(["reader@example.gov.uk"]);
    expect(received.from).toContain("Procurement Commons");
    expect(received.text).toContain("Open it:\nhttp://localhost:3000/somewhere");
    expect(received.htmlLinks).toContain("http://localhost:3000/somewhere");
    expect(received.html).toContain('<html lang="en-GB">');
    const row = await rowFor("Sent through SMTP");
    expect(row).toMatchObject({ status: "sent", attempts: 1, claimed_by: null, message_id: received.messageId });
    expect(row.sent_at).not.toBeNull();
  });

  it("keeps a message queued, with a backoff, while the SMTP server is down; the user's action stood", async () => {
    await queue("Server down 1");
    await queue("Server down 2");
    const down = await startTestSmtpServer();
    const url = down.url;
    await down.close();
    const transport = smtpTransport(url);
    const outcome = await deliverDueMail({ transport, holder: HOLDER, audience: async () => null, concurrency: 1 });
    transport.close();
    expect(outcome).toMatchObject({ sent: 0, retried: 1, untried: 1 });
    const first = await rowFor("Server down 1");
    expect(first.status).toBe("queued");
    expect(first.attempts).toBe(1);
    expect(first.last_error).toMatch(/ECONNREFUSED|ESOCKET/);
    expect(Date.parse(first.next_attempt_at)).toBeGreaterThan(Date.now() + 20_000);
    // The second was never tried, so it has lost no attempt.
    expect((await rowFor("Server down 2")).attempts).toBe(0);

    // When the server is back and the wait is over, it goes.
    await db.updateTable("mail_outbox").set({ next_attempt_at: new Date().toISOString() }).execute();
    const back = smtpTransport(smtp.url);
    await sendDueMail({ holder: HOLDER, transport: back, log, now: new Date() });
    back.close();
    expect((await rowFor("Server down 1")).status).toBe("sent");
    expect((await rowFor("Server down 2")).status).toBe("sent");
  });

  it("gives up at once on a permanent refusal, and after the last of its retries otherwise", async () => {
    await queue("Refused for good", "nobody@example.gov.uk");
    const transport = smtpTransport(smtp.url);
    await deliverDueMail({ transport, holder: HOLDER, audience: async () => null });
    const refused = await rowFor("Refused for good");
    expect(refused.status).toBe("dead");
    expect(refused.last_error).toMatch(/550/);

    const flaky = await startTestSmtpServer({ refuseRecipient: () => 451 });
    const flakyTransport = smtpTransport(flaky.url);
    await queue("Refused for now");
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await db.updateTable("mail_outbox").set({ next_attempt_at: new Date().toISOString() }).execute();
      await deliverDueMail({ transport: flakyTransport, holder: HOLDER, audience: async () => null });
      expect((await rowFor("Refused for now")).status).toBe(attempt < MAX_ATTEMPTS ? "queued" : "dead");
    }
    flakyTransport.close();
    transport.close();
    await flaky.close();
  });

  it("waits longer after each failure, up to an hour", () => {
    const fixed = () => 0.5;
    expect([1, 2, 3, 4, 8, 20].map((attempts) => retryDelayMs(attempts, fixed) / 1000)).toEqual([
      30, 60, 120, 240, 3600, 3600,
    ]);
  });

  it("holds back a message its recipient should no longer get", async () => {
    await queue("Withheld");
    const transport = smtpTransport(smtp.url);
    const outcome = await deliverDueMail({ transport, holder: HOLDER, audience: async () => "left the community" });
    transport.close();
    expect(outcome.withheld).toBe(1);
    expect(await rowFor("Withheld")).toMatchObject({ status: "withheld", last_error: "left the community" });
    expect(smtp.messages.some((mail) => mail.subject === "Withheld")).toBe(false);
  });

  it("lets only the lease holder claim anything", async () => {
    await queue("Only one sender");
    const other = "test-host:2:other";
    expect(await holdLease({ holder: other })).toBe(false);
    const transport = smtpTransport(smtp.url);
    expect((await deliverDueMail({ transport, holder: other, audience: async () => null })).sent).toBe(0);
    await releaseLease({ holder: HOLDER });
    expect(await holdLease({ holder: other })).toBe(true);
    expect((await deliverDueMail({ transport, holder: HOLDER, audience: async () => null })).sent).toBe(0);
    expect((await deliverDueMail({ transport, holder: other, audience: async () => null })).sent).toBe(1);
    transport.close();
    await releaseLease({ holder: other });
  });

  it("writes .eml files when no SMTP server is configured, and says where", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const directory = path.join(mkdtempSync(path.join(tmpdir(), "mail-files-")), "db.sqlite-mail");
    await queue("Written to a file");
    const lines: Record<string, unknown>[] = [];
    const transport = fileTransport(directory);
    await sendDueMail({ holder: HOLDER, transport, log: (fields) => lines.push(fields), now: new Date() });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/not delivered/);
    const file = String(lines[0]!.file);
    expect(file.startsWith(directory)).toBe(true);
    expect(readFileSync(file, "utf8")).toMatch(/Subject: Written to a file/);
    expect((await rowFor("Written to a file")).status).toBe("sent");
  });

  it("keeps sent mail 30 days, undeliverable mail 90, and rate-limit counters a day, as the privacy notice says", async () => {
    await queue("Sent long ago");
    await queue("Sent last week");
    await queue("Dead long ago");
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    await db
      .updateTable("mail_outbox")
      .set({ status: "sent", sent_at: daysAgo(31) })
      .where("subject", "=", "Sent long ago")
      .execute();
    await db
      .updateTable("mail_outbox")
      .set({ status: "sent", sent_at: daysAgo(7) })
      .where("subject", "=", "Sent last week")
      .execute();
    await db
      .updateTable("mail_outbox")
      .set({ status: "dead", created_at: daysAgo(91) })
      .where("subject", "=", "Dead long ago")
      .execute();
    const second = Math.floor(Date.now() / 1000);
    await db
      .insertInto("rate_limits")
      .values([
        { key: "prune-test:old", count: 1, window_started_at: second - 2 * 86_400 },
        { key: "prune-test:new", count: 1, window_started_at: second - 60 },
      ])
      .execute();

    // The background worker's own step, as it runs once an hour.
    const prune = mailSteps().find((step) => step.name === "prune mail records")!;
    expect(prune.everyMs).toBe(60 * 60_000);
    await prune.run({ holder: HOLDER, transport: fileTransport("/nonexistent"), log, now: new Date() });
    const subjects = (await db.selectFrom("mail_outbox").select("subject").execute()).map((row) => row.subject);
    expect(subjects).toContain("Sent last week");
    expect(subjects).not.toContain("Sent long ago");
    expect(subjects).not.toContain("Dead long ago");
    const keys = (await db.selectFrom("rate_limits").select("key").where("key", "like", "prune-test:%").execute()).map(
      (row) => row.key,
    );
    expect(keys).toEqual(["prune-test:new"]);
  });
});
