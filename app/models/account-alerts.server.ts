import type { DB } from "~/db/client.server";
import type { NotificationKind } from "~/db/schema";
import { failedSignInsMessage } from "~/mail/account-messages.server";
import { queueMail } from "~/mail/outbox.server";
import { nowIso } from "~/utils/dates";

/** Notification kinds about the member's own account: always emailed at once, never governed by a setting. */
export const ACCOUNT_ALERT_KINDS = ["failed-sign-ins"] as const satisfies readonly NotificationKind[];
export type AccountAlertKind = (typeof ACCOUNT_ALERT_KINDS)[number];

/** Something about their own account that a member must hear of, whoever caused it. */
type AccountAlert = { kind: "failed-sign-ins"; failures: number; windowMinutes: number };

/**
 * Tells the account's owner, inside the transaction that noticed: an in-app notification and an
 * email queued in the same transaction, so the message goes exactly when the alert is recorded.
 * Security mail goes whatever the member's email settings say, to the address the account has.
 */
export async function alertAccountOwner(trx: DB, { userId, alert }: { userId: string; alert: AccountAlert }) {
  const owner = await trx
    .selectFrom("users")
    .select(["email", "display_name"])
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!owner) return;
  await trx
    .insertInto("notifications")
    .values({
      user_id: userId,
      kind: alert.kind,
      actor_user_id: null,
      thread_id: null,
      post_id: null,
      created_at: nowIso(),
      // Mailed here, not by the notification mailer, which follows the member's settings.
      mail_state: "emailed",
    })
    .execute();
  await queueMail(trx, {
    to: owner.email,
    userId,
    kind: alert.kind,
    message: failedSignInsMessage({
      displayName: owner.display_name,
      failures: alert.failures,
      windowMinutes: alert.windowMinutes,
    }),
  });
}
