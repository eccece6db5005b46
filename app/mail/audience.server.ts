import { sql } from "kysely";

import { db } from "~/db/client.server";
import { threadIsVisible } from "~/models/discussion-access.server";
import { emailFrequencyFor, isNotificationCategory } from "~/models/email-preference.server";

import type { ClaimedMail } from "./outbox.server";

/**
 * Why a message should no longer go to its recipient, checked at the moment of sending, or null
 * to send it. Members-only content never reaches someone who has left the community since it was
 * queued, nor anyone whose account is gone, nor a member who has since turned that email off.
 */
export async function withholdReason(mail: ClaimedMail): Promise<string | null> {
  if (!mail.userId) return null;
  const user = await db
    .selectFrom("users")
    .select(["id", "role", "deleted_at"])
    .where("id", "=", mail.userId)
    .executeTakeFirst();
  if (!user || user.deleted_at) return "The account has been deleted.";
  if (mail.preferenceCategory && isNotificationCategory(mail.preferenceCategory)) {
    const frequency = await emailFrequencyFor({ userId: user.id, category: mail.preferenceCategory });
    if (frequency === "never") return "The member has turned these emails off since it was queued.";
  }
  if (mail.aboutThreadId !== null) {
    const readable = await db
      .selectFrom("threads")
      .select(sql<number>`1`.as("one"))
      .where("threads.id", "=", mail.aboutThreadId)
      .where(threadIsVisible({ id: user.id, role: user.role }))
      .executeTakeFirst();
    if (!readable) return "The member can no longer read this thread (they may have left its community).";
  }
  return null;
}
