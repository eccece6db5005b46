import type { DB } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

/** Something about their own account that a member must hear of, whoever caused it. */
type AccountAlert = { kind: "failed-sign-ins"; failures: number; windowMinutes: number };

/**
 * Tells the account's owner, inside the transaction that noticed: today an in-app notification.
 * Email arrives in a later issue and belongs here: queue the message in this same transaction, so
 * it goes exactly when the alert is recorded (`alert` carries what the message needs to say).
 */
export async function alertAccountOwner(trx: DB, { userId, alert }: { userId: string; alert: AccountAlert }) {
  await trx
    .insertInto("notifications")
    .values({
      user_id: userId,
      kind: alert.kind,
      actor_user_id: null,
      thread_id: null,
      post_id: null,
      created_at: nowIso(),
    })
    .execute();
}
