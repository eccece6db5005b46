import { sql } from "kysely";

import { db, type DB, writeTransaction } from "~/db/client.server";
import type { NotificationKind } from "~/db/schema";
import { ACCOUNT_ALERT_KINDS, type AccountAlertKind } from "~/models/account-alerts.server";
import { threadIsVisible } from "~/models/discussion-access.server";
import { CATEGORY_OF_NOTIFICATION, emailPreferencesFor, type EmailPreferences } from "~/models/email-preference.server";
import {
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CATEGORY_KEYS,
  type NotificationCategory,
} from "~/models/email-vocabulary";
import { formatDate } from "~/utils/dates";
import { itemEditPath, itemPath, notificationPath } from "~/utils/paths";

import { siteLink } from "./account-messages.server";
import { excerptOfMarkdown, type MailBlock, renderMail } from "./message.server";
import { type NewMail, queueMail } from "./outbox.server";
import { listUnsubscribeHeaders, signingSecret, unsubscribeLink, type UnsubscribeScope } from "./unsubscribe.server";

// Notifications by email. Each new notification (and review reminder) is looked at once: sent
// straight away, kept for the member's daily or weekly digest, or skipped, by the member's
// choice for its kind. Only confirmed addresses of live accounts get any of it, and anything
// about a thread only while the member can read it.

const BATCH = 500;

/** Account alerts are mailed where they are raised (app/models/account-alerts.server.ts), never here. */
type MailedKind = Exclude<NotificationKind, AccountAlertKind>;

type PendingNotification = {
  id: number;
  userId: string;
  kind: MailedKind;
  email: string;
  isVerified: number;
  actorName: string | null;
  threadId: number | null;
  threadTitle: string | null;
  threadSlug: string | null;
  communitySlug: string | null;
  communityName: string | null;
  itemSlug: string | null;
  postId: number | null;
  postMarkdown: string | null;
  requestCommunitySlug: string | null;
  requestCommunityName: string | null;
  declineReason: string | null;
};

function pendingNotifications(executor: DB, state: "pending" | "digest") {
  return executor
    .selectFrom("notifications")
    .innerJoin("users as recipient", "recipient.id", "notifications.user_id")
    .leftJoin("users as actor", "actor.id", "notifications.actor_user_id")
    .leftJoin("threads", "threads.id", "notifications.thread_id")
    .leftJoin("communities", "communities.id", "threads.community_id")
    .leftJoin("items", "items.id", "threads.item_id")
    .leftJoin("posts", "posts.id", "notifications.post_id")
    .leftJoin("community_join_requests as join_request", "join_request.id", "notifications.join_request_id")
    .leftJoin("communities as request_community", "request_community.id", "join_request.community_id")
    .select([
      "notifications.id",
      "notifications.user_id as userId",
      "notifications.kind",
      "recipient.email",
      sql<number>`recipient.email_verified_at is not null and recipient.deleted_at is null`.as("isVerified"),
      "actor.display_name as actorName",
      "threads.id as threadId",
      "threads.title as threadTitle",
      "threads.slug as threadSlug",
      "communities.slug as communitySlug",
      "communities.name as communityName",
      "items.slug as itemSlug",
      "notifications.post_id as postId",
      "posts.body_markdown as postMarkdown",
      "request_community.slug as requestCommunitySlug",
      "request_community.name as requestCommunityName",
      "join_request.decline_reason as declineReason",
    ])
    .where("notifications.mail_state", "=", state)
    .where("notifications.kind", "not in", ACCOUNT_ALERT_KINDS);
}

function hrefOf(row: PendingNotification) {
  return siteLink(notificationPath(row));
}

/** "Priya Shah replied to you in “Has anyone published a UK9 yet?”" */
function headlineOf(row: PendingNotification) {
  const who = row.actorName ?? "A former member";
  const thread = `“${row.threadTitle ?? "a thread"}”`;
  const community = row.requestCommunityName ?? row.communityName ?? "a community";
  switch (row.kind) {
    case "mention":
      return `${who} mentioned you in ${thread}`;
    case "reply":
      return `${who} replied to you in ${thread}`;
    case "accepted":
      return `${who} accepted your answer in ${thread}`;
    case "followed-thread":
      return `${who} replied in ${thread}`;
    case "followed-community":
      return `${who} started ${thread} in ${community}`;
    case "followed-theme":
      return `${who} started ${thread} on a theme you follow`;
    case "join-request":
      return `${who} asked to join ${community}`;
    case "join-approved":
      return `You have joined ${community}`;
    case "join-declined":
      return `Your request to join ${community} was declined`;
  }
}

function actionLabelOf(kind: MailedKind) {
  if (kind === "join-request") return "Look at the request";
  if (kind === "join-approved") return "Go to the community";
  if (kind === "join-declined") return "See the community";
  return "Read it on Procurement Commons";
}

async function footerFor(userId: string, scope: UnsubscribeScope, reason: string) {
  const unsubscribe = await unsubscribeLink(userId, scope);
  return {
    reason,
    footerLinks: [
      { label: "Change your email settings", href: siteLink("/account/notifications") },
      {
        label: scope.startsWith("digest-") ? "Unsubscribe from this digest" : "Unsubscribe from these emails",
        href: unsubscribe,
      },
    ],
    headers: listUnsubscribeHeaders(unsubscribe),
  };
}

async function immediateMail(row: PendingNotification, category: NotificationCategory): Promise<NewMail> {
  const headline = headlineOf(row);
  const blocks: MailBlock[] = [];
  if (row.postMarkdown && row.kind !== "accepted")
    blocks.push({
      type: "quote",
      text: excerptOfMarkdown(row.postMarkdown),
      cite: `${row.actorName ?? "A former member"} wrote`,
    });
  if (row.kind === "join-declined" && row.declineReason)
    blocks.push({ type: "quote", text: row.declineReason, cite: "The steward said" });
  blocks.push({ type: "action", label: actionLabelOf(row.kind), href: hrefOf(row) });
  const footer = await footerFor(
    row.userId,
    category,
    `You are getting this email because you get an email straight away when ${NOTIFICATION_CATEGORIES[category].reason}.`,
  );
  return {
    to: row.email,
    userId: row.userId,
    kind: "notification",
    message: renderMail({ subject: headline, preheader: headline, heading: headline, blocks, ...footer }),
    headers: { ...footer.headers, "Auto-Submitted": "auto-generated" },
    aboutThreadId: row.threadId,
    preferenceCategory: category,
  };
}

/**
 * Looks at every new notification once: an email now, a place in a digest, or nothing. One
 * transaction per batch, so a notification's email and its new state are written together.
 */
export async function mailPendingNotifications() {
  await signingSecret();
  let handled = 0;
  for (;;) {
    const done = await writeTransaction(async (trx) => {
      const rows = (await pendingNotifications(trx, "pending")
        .orderBy("notifications.id")
        .limit(BATCH)
        .execute()) as PendingNotification[];
      if (rows.length === 0) return 0;
      const preferences = await emailPreferencesFor(trx, [...new Set(rows.map((row) => row.userId))]);
      const mails: NewMail[] = [];
      const states = { emailed: [] as number[], digest: [] as number[], skipped: [] as number[] };
      for (const row of rows) {
        const category = CATEGORY_OF_NOTIFICATION[row.kind];
        const frequency = preferences.get(row.userId)![category];
        if (!row.isVerified || frequency === "never") states.skipped.push(row.id);
        else if (frequency === "immediate") {
          mails.push(await immediateMail(row, category));
          states.emailed.push(row.id);
        } else states.digest.push(row.id);
      }
      await queueMail(trx, mails);
      for (const [state, ids] of Object.entries(states) as [keyof typeof states, number[]][]) {
        if (ids.length)
          await trx.updateTable("notifications").set({ mail_state: state }).where("id", "in", ids).execute();
      }
      return rows.length;
    });
    handled += done;
    if (done < BATCH) return handled;
  }
}

/** Items a member wrote reach 30 days before their review date: one reminder per item and date. */
export async function queueReviewReminders({ now = new Date() }: { now?: Date } = {}) {
  const horizon = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  await writeTransaction(async (trx) => {
    await sql`
      insert into review_reminders (item_id, review_by, user_id, created_at)
      select items.id, items.review_by, authors.user_id, ${now.toISOString()}
      from items
      join item_authors on item_authors.item_id = items.id
      join authors on authors.id = item_authors.author_id
      join users on users.id = authors.user_id
      where items.status = 'published' and items.review_by is not null and items.review_by <= ${horizon}
        and users.deleted_at is null
      on conflict do nothing`.execute(trx);
  });
  const pending = await db
    .selectFrom("review_reminders")
    .innerJoin("items", "items.id", "review_reminders.item_id")
    .innerJoin("users", "users.id", "review_reminders.user_id")
    .select([
      "review_reminders.item_id as itemId",
      "review_reminders.review_by as reviewBy",
      "review_reminders.user_id as userId",
      "items.title",
      "items.slug",
      "users.email",
      sql<number>`users.email_verified_at is not null and users.deleted_at is null`.as("isVerified"),
    ])
    .where("review_reminders.mail_state", "=", "pending")
    .limit(BATCH)
    .execute();
  if (pending.length === 0) return 0;
  await signingSecret();
  await writeTransaction(async (trx) => {
    const preferences = await emailPreferencesFor(trx, [...new Set(pending.map((row) => row.userId))]);
    for (const reminder of pending) {
      const frequency = preferences.get(reminder.userId)!["review-due"];
      let state: "emailed" | "digest" | "skipped" = frequency === "immediate" ? "emailed" : "digest";
      if (!reminder.isVerified || frequency === "never") state = "skipped";
      if (state === "emailed") {
        const headline = `“${reminder.title}” is due for review by ${formatDate(reminder.reviewBy)}`;
        const footer = await footerFor(
          reminder.userId,
          "review-due",
          `You are getting this email because you get an email straight away when ${NOTIFICATION_CATEGORIES["review-due"].reason}.`,
        );
        await queueMail(trx, {
          to: reminder.email,
          userId: reminder.userId,
          kind: "review-reminder",
          message: renderMail({
            subject: headline,
            heading: headline,
            blocks: [
              {
                type: "paragraph",
                text: "Legal details and guidance move on. Check it still holds, edit what has changed, then mark it reviewed with a new date.",
              },
              { type: "action", label: "Review it", href: siteLink(itemEditPath(reminder.slug)) },
            ],
            ...footer,
          }),
          headers: { ...footer.headers, "Auto-Submitted": "auto-generated" },
          preferenceCategory: "review-due",
        });
      }
      await trx
        .updateTable("review_reminders")
        .set({ mail_state: state })
        .where("item_id", "=", reminder.itemId)
        .where("review_by", "=", reminder.reviewBy)
        .where("user_id", "=", reminder.userId)
        .execute();
    }
  });
  return pending.length;
}

export type DigestFrequency = "daily" | "weekly";

const PERIOD_MS: Record<DigestFrequency, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };

/**
 * Builds and queues the digests of one frequency for every member who has something in one:
 * the notifications kept for it, new library items on the themes they follow, and their items
 * due for review. Threads a member can no longer read are left out.
 */
export async function queueDigests({ frequency, now = new Date() }: { frequency: DigestFrequency; now?: Date }) {
  await signingSecret();
  let afterId = "";
  let queued = 0;
  for (;;) {
    const users = await db
      .selectFrom("users")
      .select(["id", "email", "display_name as displayName", "role"])
      .where("deleted_at", "is", null)
      .where("email_verified_at", "is not", null)
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(200)
      .execute();
    if (users.length === 0) return queued;
    afterId = users.at(-1)!.id;
    const preferences = await emailPreferencesFor(
      db,
      users.map((user) => user.id),
    );
    const wanting = users.filter((user) =>
      NOTIFICATION_CATEGORY_KEYS.some((category) => preferences.get(user.id)![category] === frequency),
    );
    for (const user of wanting) {
      if (await queueDigestFor({ user, preferences: preferences.get(user.id)!, frequency, now })) queued += 1;
    }
  }
}

async function queueDigestFor({
  user,
  preferences,
  frequency,
  now,
}: {
  user: { id: string; email: string; displayName: string; role: "member" | "moderator" | "admin" };
  preferences: EmailPreferences;
  frequency: DigestFrequency;
  now: Date;
}) {
  const categories = NOTIFICATION_CATEGORY_KEYS.filter((category) => preferences[category] === frequency);
  return writeTransaction(async (trx) => {
    const state = await trx
      .selectFrom("email_digests")
      .select("covered_until")
      .where("user_id", "=", user.id)
      .where("frequency", "=", frequency)
      .executeTakeFirst();
    const since = state?.covered_until ?? new Date(now.getTime() - PERIOD_MS[frequency]).toISOString();
    const kinds = (Object.keys(CATEGORY_OF_NOTIFICATION) as MailedKind[]).filter((kind) =>
      categories.includes(CATEGORY_OF_NOTIFICATION[kind]),
    );
    const kept = kinds.length
      ? ((await pendingNotifications(trx, "digest")
          .where("notifications.user_id", "=", user.id)
          .where("notifications.kind", "in", kinds)
          .orderBy("notifications.id")
          .limit(200)
          .execute()) as PendingNotification[])
      : [];
    // Members-only threads only while the member can still read them.
    const threadIds = [...new Set(kept.flatMap((row) => (row.threadId === null ? [] : [row.threadId])))];
    const readable = new Set(
      threadIds.length
        ? (
            await trx
              .selectFrom("threads")
              .select("threads.id")
              .where("threads.id", "in", threadIds)
              .where(threadIsVisible({ id: user.id, role: user.role }))
              .execute()
          ).map((row) => row.id)
        : [],
    );
    const notifications = kept.filter((row) => row.threadId === null || readable.has(row.threadId));

    const themes = categories.includes("followed-theme")
      ? (
          await trx
            .selectFrom("follows")
            .select("target_key")
            .where("user_id", "=", user.id)
            .where("target_type", "=", "theme")
            .execute()
        ).map((row) => row.target_key)
      : [];
    const items = themes.length
      ? await trx
          .selectFrom("items")
          .select(["items.id", "items.title", "items.slug", "items.summary", "items.type"])
          .where("items.status", "=", "published")
          .where("items.published_at", ">", since)
          .where("items.published_at", "<=", now.toISOString())
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("item_themes")
                .select(sql`1`.as("one"))
                .whereRef("item_themes.item_id", "=", "items.id")
                .where("item_themes.theme", "in", themes as ("upstream" | "downstream" | "partnership")[]),
            ),
          )
          .orderBy("items.published_at", "desc")
          .limit(20)
          .execute()
      : [];
    const reminders = categories.includes("review-due")
      ? await trx
          .selectFrom("review_reminders")
          .innerJoin("items", "items.id", "review_reminders.item_id")
          .select([
            "items.title",
            "items.slug",
            "review_reminders.review_by as reviewBy",
            "review_reminders.item_id as itemId",
          ])
          .where("review_reminders.user_id", "=", user.id)
          .where("review_reminders.mail_state", "=", "digest")
          .execute()
      : [];

    if (kept.length)
      await trx
        .updateTable("notifications")
        .set({ mail_state: "digested" })
        .where(
          "id",
          "in",
          kept.map((row) => row.id),
        )
        .execute();
    if (reminders.length)
      await trx
        .updateTable("review_reminders")
        .set({ mail_state: "digested" })
        .where("user_id", "=", user.id)
        .where("mail_state", "=", "digest")
        .execute();
    await trx
      .insertInto("email_digests")
      .values({ user_id: user.id, frequency, covered_until: now.toISOString() })
      .onConflict((conflict) =>
        conflict.columns(["user_id", "frequency"]).doUpdateSet({ covered_until: now.toISOString() }),
      )
      .execute();
    if (notifications.length + items.length + reminders.length === 0) return false;

    const blocks: MailBlock[] = [
      { type: "paragraph", text: `Hello ${user.displayName}, here is what is new for you.` },
    ];
    if (notifications.length) {
      blocks.push({ type: "heading", text: "In the communities" });
      blocks.push({
        type: "list",
        items: notifications.map((row) => ({
          text: headlineOf(row),
          href: hrefOf(row),
          detail: row.postMarkdown && row.kind !== "accepted" ? excerptOfMarkdown(row.postMarkdown, 160) : undefined,
        })),
      });
    }
    if (items.length) {
      blocks.push({ type: "heading", text: "New in the library on themes you follow" });
      blocks.push({
        type: "list",
        items: items.map((item) => ({
          text: item.title,
          href: siteLink(itemPath(item.slug)),
          detail: item.summary,
        })),
      });
    }
    if (reminders.length) {
      blocks.push({ type: "heading", text: "Due for review" });
      blocks.push({
        type: "list",
        items: reminders.map((reminder) => ({
          text: `${reminder.title}: review by ${formatDate(reminder.reviewBy)}`,
          href: siteLink(itemEditPath(reminder.slug)),
        })),
      });
    }
    const label = frequency === "daily" ? "daily" : "weekly";
    const count = notifications.length + items.length + reminders.length;
    const subject = `Your ${label} digest from Procurement Commons: ${count} new ${count === 1 ? "thing" : "things"}`;
    const footer = await footerFor(
      user.id,
      `digest-${frequency}`,
      `You are getting this ${label} digest because you chose it for: ${categories
        .map((category) => NOTIFICATION_CATEGORIES[category].label.toLowerCase())
        .join(", ")}.`,
    );
    await queueMail(trx, {
      to: user.email,
      userId: user.id,
      kind: "digest",
      message: renderMail({ subject, preheader: subject, heading: `Your ${label} digest`, blocks, ...footer }),
      headers: { ...footer.headers, "Auto-Submitted": "auto-generated" },
    });
    return true;
  });
}

const UK_HOUR = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "numeric", hourCycle: "h23" });
const UK_WEEKDAY = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "short" });
const UK_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" });

/** Digests go out from 07:00 UK time: daily every day, weekly on Mondays. */
const DIGEST_HOUR = 7;

function isDue(frequency: DigestFrequency, now: Date, lastRunAt: string | null) {
  if (Number(UK_HOUR.format(now)) < DIGEST_HOUR) return false;
  if (frequency === "weekly" && UK_WEEKDAY.format(now) !== "Mon") return false;
  return lastRunAt === null || UK_DAY.format(new Date(lastRunAt)) !== UK_DAY.format(now);
}

/** The scheduled digests: each frequency at most once a UK day, from DIGEST_HOUR. */
export async function queueScheduledDigests({ now = new Date() }: { now?: Date } = {}) {
  for (const frequency of ["daily", "weekly"] as const) {
    const name = `${frequency}-digest`;
    const run = await db.selectFrom("scheduled_runs").select("last_run_at").where("name", "=", name).executeTakeFirst();
    if (!isDue(frequency, now, run?.last_run_at ?? null)) continue;
    await db
      .insertInto("scheduled_runs")
      .values({ name, last_run_at: now.toISOString() })
      .onConflict((conflict) => conflict.column("name").doUpdateSet({ last_run_at: now.toISOString() }))
      .execute();
    await queueDigests({ frequency, now });
  }
}
