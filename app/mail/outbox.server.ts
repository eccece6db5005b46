import { randomUUID } from "node:crypto";

import { z } from "zod";

import { db, type DB, writeTransaction } from "~/db/client.server";
import type { MailStatus } from "~/db/schema";
import { getEnv } from "~/env.server";
import { readStoredJson } from "~/utils/stored-json";

import { BACKGROUND_LEASE, isHolderGone } from "./lease.server";
import type { RenderedMail } from "./message.server";
import { DeliveryError, type MailTransport } from "./transport.server";

// The mail outbox (db/migrations/202612020100_mail-outbox.ts). queueMail runs inside the
// transaction of whatever causes the message; deliverDueMail, run only by the lease holder,
// claims due messages, sends each, and records the outcome:
//
//   queued --claim--> sending --SMTP accepted--> sent
//                        |--refused for good (5xx) or too many tries--> dead (shown to admins)
//                        |--failed for now--> queued again, after a backoff
//                        `--the recipient may no longer have it--> withheld
//
// The crash window: a message is marked sent only after the server accepted it, so a crash
// between the server's "250 OK" and our commit leaves it "sending"; it is then sent again with
// the same Message-ID (at least once, never lost). A crash at any other moment sends it once.

type MailKind =
  | "password-reset"
  | "password-changed"
  | "verify-email"
  | "email-changed"
  | "email-in-use"
  | "sign-up-attempt"
  | "failed-sign-ins"
  | "notification"
  | "digest"
  | "review-reminder";

/** Messages that carry a secret link: their text is cleared once sent (the token is hashed elsewhere). */
const CARRIES_SECRET: MailKind[] = ["password-reset", "verify-email"];

export type NewMail = {
  to: string;
  userId: string | null;
  kind: MailKind;
  message: RenderedMail;
  headers?: Record<string, string>;
  aboutThreadId?: number | null;
  preferenceCategory?: string | null;
};

export const MAX_ATTEMPTS = 8;
/** A claim older than this is taken to be abandoned (its sender died or lost the lease). */
const CLAIM_TIMEOUT_MS = 2 * 60_000;

/** 30 s, 1 min, 2 min ... capped at an hour, with a little jitter so retries do not bunch. */
export function retryDelayMs(attempts: number, random = Math.random) {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
  return Math.round(base * (0.9 + random() * 0.2));
}

function messageIdFor() {
  return `<${randomUUID()}@${new URL(getEnv().SITE_URL).hostname}>`;
}

/** Queues a message in the caller's transaction: it is sent only if that transaction commits. */
export async function queueMail(executor: DB, mails: NewMail | NewMail[], now = new Date()) {
  const list = Array.isArray(mails) ? mails : [mails];
  if (list.length === 0) return;
  const createdAt = now.toISOString();
  const rows = list.map((mail) => ({
    message_id: messageIdFor(),
    recipient: mail.to,
    user_id: mail.userId,
    kind: mail.kind,
    subject: mail.message.subject,
    text_body: mail.message.text,
    html_body: mail.message.html,
    headers_json: JSON.stringify(mail.headers ?? {}),
    about_thread_id: mail.aboutThreadId ?? null,
    preference_category: mail.preferenceCategory ?? null,
    next_attempt_at: createdAt,
    created_at: createdAt,
  }));
  // 13 columns a row: stay well under SQLite's limit on bound values per statement.
  for (let start = 0; start < rows.length; start += 500) {
    await executor
      .insertInto("mail_outbox")
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

const HeadersSchema = z.record(z.string(), z.string());

export type ClaimedMail = {
  id: number;
  messageId: string;
  recipient: string;
  userId: string | null;
  kind: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  aboutThreadId: number | null;
  preferenceCategory: string | null;
  attempts: number;
};

/**
 * Claims up to `limit` due messages for `holder`, if it still holds the lease: the lease is
 * checked in the same write transaction, so a sender that lost it (paused past its expiry)
 * claims nothing.
 */
async function claimDueMail({ holder, limit, now = new Date() }: { holder: string; limit: number; now?: Date }) {
  return writeTransaction(async (trx) => {
    const lease = await trx
      .selectFrom("worker_leases")
      .select(["holder", "expires_at"])
      .where("name", "=", BACKGROUND_LEASE)
      .executeTakeFirst();
    if (!lease || lease.holder !== holder || lease.expires_at <= now.getTime()) return [];
    const rows = await trx
      .selectFrom("mail_outbox")
      .select([
        "id",
        "message_id",
        "recipient",
        "user_id",
        "kind",
        "subject",
        "text_body",
        "html_body",
        "headers_json",
        "about_thread_id",
        "preference_category",
        "attempts",
      ])
      .where("status", "=", "queued")
      .where("next_attempt_at", "<=", now.toISOString())
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable("mail_outbox")
      .set((eb) => ({
        status: "sending",
        claimed_by: holder,
        claimed_at: now.toISOString(),
        attempts: eb("attempts", "+", 1),
      }))
      .where(
        "id",
        "in",
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row): ClaimedMail => ({
      id: row.id,
      messageId: row.message_id,
      recipient: row.recipient,
      userId: row.user_id,
      kind: row.kind,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      headers: readStoredJson(HeadersSchema, row.headers_json) ?? {},
      aboutThreadId: row.about_thread_id,
      preferenceCategory: row.preference_category,
      attempts: row.attempts + 1,
    }));
  });
}

async function settle(
  mail: ClaimedMail,
  holder: string,
  change: {
    status: MailStatus;
    next_attempt_at?: string;
    last_error?: string | null;
    sent_at?: string;
    attempts?: number;
    text_body?: string;
    html_body?: string;
  },
) {
  await writeTransaction(async (trx) => {
    await trx
      .updateTable("mail_outbox")
      .set({ ...change, claimed_by: null, claimed_at: null })
      .where("id", "=", mail.id)
      .where("status", "=", "sending")
      .where("claimed_by", "=", holder)
      .execute();
  });
}

const CLEARED = "(cleared after sending: this message carried a one-time link)";

async function markSent(mail: ClaimedMail, holder: string, now = new Date()) {
  await settle(mail, holder, {
    status: "sent",
    sent_at: now.toISOString(),
    last_error: null,
    ...(CARRIES_SECRET.includes(mail.kind as MailKind) ? { text_body: CLEARED, html_body: CLEARED } : {}),
  });
}

async function markFailed(mail: ClaimedMail, holder: string, error: DeliveryError, now = new Date()) {
  const isDead = error.isPermanent || mail.attempts >= MAX_ATTEMPTS;
  await settle(mail, holder, {
    status: isDead ? "dead" : "queued",
    next_attempt_at: new Date(now.getTime() + retryDelayMs(mail.attempts)).toISOString(),
    last_error: error.message,
  });
  return isDead ? "dead" : "retry";
}

async function markWithheld(mail: ClaimedMail, holder: string, reason: string) {
  await settle(mail, holder, { status: "withheld", last_error: reason });
}

/** Hands back claimed messages that were never tried (the connection failed first), uncounted. */
async function releaseUntried(mails: ClaimedMail[], holder: string, retryAt: Date) {
  for (const mail of mails) {
    await settle(mail, holder, {
      status: "queued",
      attempts: mail.attempts - 1,
      next_attempt_at: retryAt.toISOString(),
    });
  }
}

/**
 * Messages left "sending" by a sender that died (its process is gone from this machine) or
 * whose claim is older than CLAIM_TIMEOUT_MS go back in the queue. Whether the SMTP server had
 * accepted them is unknown, so they are sent again: this is the one way a message can arrive twice.
 */
export async function recoverAbandonedClaims({ holder, now = new Date() }: { holder: string; now?: Date }) {
  const staleBefore = new Date(now.getTime() - CLAIM_TIMEOUT_MS).toISOString();
  return writeTransaction(async (trx) => {
    const claims = await trx
      .selectFrom("mail_outbox")
      .select(["id", "claimed_by", "claimed_at"])
      .where("status", "=", "sending")
      .where("claimed_by", "!=", holder)
      .execute();
    const abandoned = claims.filter(
      (claim) => (claim.claimed_at ?? "") < staleBefore || isHolderGone(claim.claimed_by ?? ""),
    );
    if (abandoned.length === 0) return 0;
    for (let start = 0; start < abandoned.length; start += 500) {
      await trx
        .updateTable("mail_outbox")
        .set({
          status: "queued",
          claimed_by: null,
          claimed_at: null,
          next_attempt_at: now.toISOString(),
          last_error:
            "The sender stopped while sending this message, so it may have arrived already; sending it again.",
        })
        .where(
          "id",
          "in",
          abandoned.slice(start, start + 500).map((claim) => claim.id),
        )
        .where("status", "=", "sending")
        .execute();
    }
    return abandoned.length;
  });
}

export type SendOutcome = { sent: number; retried: number; dead: number; withheld: number; untried: number };

/**
 * Sends what is due, `concurrency` at a time over the transport's pooled connections. `audience`
 * says, at the moment of sending, whether the recipient should still get the message.
 */
export async function deliverDueMail({
  transport,
  holder,
  from = getEnv().MAIL_FROM,
  batchSize = 50,
  concurrency = 4,
  audience,
  onSent,
  now = () => new Date(),
}: {
  transport: MailTransport;
  holder: string;
  from?: string;
  batchSize?: number;
  concurrency?: number;
  audience: (mail: ClaimedMail) => Promise<string | null>;
  onSent?: (mail: ClaimedMail, delivery: { response: string; file?: string }) => void;
  now?: () => Date;
}): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: 0, retried: 0, dead: 0, withheld: 0, untried: 0 };
  const claimed = await claimDueMail({ holder, limit: batchSize, now: now() });
  const pending = [...claimed];
  let connectionDownUntil: Date | null = null;

  const sendNext = async (): Promise<void> => {
    const mail = pending.shift();
    if (!mail) return;
    if (connectionDownUntil) {
      pending.unshift(mail);
      return;
    }
    const withheldBecause = await audience(mail);
    if (withheldBecause) {
      await markWithheld(mail, holder, withheldBecause);
      outcome.withheld += 1;
      return sendNext();
    }
    try {
      const delivery = await transport.send({
        messageId: mail.messageId,
        from,
        to: mail.recipient,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
      });
      // Accepted by the server: only now is it sent. A crash before this commit sends it again.
      await markSent(mail, holder, now());
      outcome.sent += 1;
      onSent?.(mail, delivery);
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(String(error), false, false);
      const result = await markFailed(mail, holder, failure, now());
      if (result === "dead") outcome.dead += 1;
      else outcome.retried += 1;
      // The server is unreachable: the rest of the batch would fail the same way, uncounted.
      if (failure.isConnectionProblem) connectionDownUntil = new Date(now().getTime() + retryDelayMs(1));
    }
    return sendNext();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, () => sendNext()));
  if (pending.length > 0) {
    await releaseUntried(pending, holder, connectionDownUntil ?? now());
    outcome.untried = pending.length;
  }
  return outcome;
}

export type MailQueueSummary = {
  counts: Record<MailStatus, number>;
  oldestQueuedAt: string | null;
};

export async function summariseMailQueue(): Promise<MailQueueSummary> {
  const rows = await db
    .selectFrom("mail_outbox")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
    .groupBy("status")
    .execute();
  const counts: Record<MailStatus, number> = { queued: 0, sending: 0, sent: 0, dead: 0, withheld: 0 };
  let oldestQueuedAt: string | null = null;
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    if (row.status === "queued") oldestQueuedAt = row.oldest;
  }
  return { counts, oldestQueuedAt };
}

/**
 * Keeps personal data no longer than the privacy notice says: sent mail 30 days, undeliverable or
 * held back 90, spent or expired account links a week, rate-limit counters (network addresses) a day.
 */
export async function pruneMailRecords({ now = new Date() }: { now?: Date } = {}) {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  await writeTransaction(async (trx) => {
    await trx.deleteFrom("mail_outbox").where("status", "=", "sent").where("sent_at", "<", daysAgo(30)).execute();
    await trx
      .deleteFrom("mail_outbox")
      .where("status", "in", ["dead", "withheld"])
      .where("created_at", "<", daysAgo(90))
      .execute();
    await trx.deleteFrom("account_tokens").where("expires_at", "<", daysAgo(7)).execute();
    await trx
      .deleteFrom("rate_limits")
      .where("window_started_at", "<", Math.floor(now.getTime() / 1000) - 86_400)
      .execute();
  });
}
