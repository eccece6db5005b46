import { db, type DB, writeTransaction } from "~/db/client.server";
import type { NotificationKind } from "~/db/schema";
import { nowIso } from "~/utils/dates";

import type { AccountAlertKind } from "./account-alerts.server";
import {
  type EmailFrequency,
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CATEGORY_KEYS,
  type NotificationCategory,
} from "./email-vocabulary";

export type EmailPreferences = Record<NotificationCategory, EmailFrequency>;

/** Which email setting governs each kind of in-app notification. */
export const CATEGORY_OF_NOTIFICATION: Record<Exclude<NotificationKind, AccountAlertKind>, NotificationCategory> = {
  mention: "mention",
  reply: "reply",
  accepted: "reply",
  "followed-thread": "followed-thread",
  "followed-community": "followed-community",
  "followed-theme": "followed-theme",
  "join-request": "join-request",
  "join-approved": "join-decision",
  "join-declined": "join-decision",
};

export function isNotificationCategory(value: string): value is NotificationCategory {
  return value in NOTIFICATION_CATEGORIES;
}

function defaultEmailPreferences(): EmailPreferences {
  return Object.fromEntries(
    NOTIFICATION_CATEGORY_KEYS.map((category) => [category, NOTIFICATION_CATEGORIES[category].defaultFrequency]),
  ) as EmailPreferences;
}

/** Each member's choices, defaults filled in, for many members at once. */
export async function emailPreferencesFor(executor: DB, userIds: string[]) {
  const byUser = new Map<string, EmailPreferences>(userIds.map((id) => [id, defaultEmailPreferences()]));
  for (let start = 0; start < userIds.length; start += 500) {
    const rows = await executor
      .selectFrom("email_preferences")
      .select(["user_id", "category", "frequency"])
      .where("user_id", "in", userIds.slice(start, start + 500))
      .execute();
    for (const row of rows) {
      if (isNotificationCategory(row.category)) byUser.get(row.user_id)![row.category] = row.frequency;
    }
  }
  return byUser;
}

export async function emailFrequencyFor({ userId, category }: { userId: string; category: NotificationCategory }) {
  return (await emailPreferencesFor(db, [userId])).get(userId)![category];
}

/** The settings page: the acting member's own choices. */
export async function getEmailPreferences({ actor }: { actor: { id: string } }) {
  return (await emailPreferencesFor(db, [actor.id])).get(actor.id)!;
}

export async function updateEmailPreferences({
  actor,
  preferences,
}: {
  actor: { id: string };
  preferences: Partial<EmailPreferences>;
}) {
  await writeTransaction(async (trx) => setPreferences(trx, actor.id, preferences));
}

async function setPreferences(executor: DB, userId: string, preferences: Partial<EmailPreferences>) {
  const now = nowIso();
  for (const [category, frequency] of Object.entries(preferences)) {
    if (!frequency) continue;
    await executor
      .insertInto("email_preferences")
      .values({ user_id: userId, category, frequency, updated_at: now })
      .onConflict((conflict) => conflict.columns(["user_id", "category"]).doUpdateSet({ frequency, updated_at: now }))
      .execute();
  }
}

/**
 * What a one-click unsubscribe does: one kind of email off, or for a digest, every kind that
 * was going into it. The link is the member's authority (no session): see app/mail/unsubscribe.server.ts.
 */
export async function unsubscribe({
  userId,
  scope,
}: {
  userId: string;
  scope: NotificationCategory | "digest-daily" | "digest-weekly";
}) {
  return writeTransaction(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select("id")
      .where("id", "=", userId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!user) return { categories: [] as NotificationCategory[] };
    const current = (await emailPreferencesFor(trx, [userId])).get(userId)!;
    const categories =
      scope === "digest-daily" || scope === "digest-weekly"
        ? NOTIFICATION_CATEGORY_KEYS.filter((category) => current[category] === scope.slice("digest-".length))
        : [scope];
    await setPreferences(trx, userId, Object.fromEntries(categories.map((category) => [category, "never"])));
    return { categories };
  });
}
