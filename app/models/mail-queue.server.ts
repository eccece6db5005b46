import { db, writeTransaction } from "~/db/client.server";
import { summariseMailQueue } from "~/mail/outbox.server";

import { type Actor, hasRole } from "./actor.server";
import { ForbiddenError } from "./domain-errors.server";

// What admins see of the mail outbox: how much is waiting, and every message that could not be
// delivered (the dead letters), each of which they can send again.

function requireAdmin(actor: Actor) {
  if (!hasRole(actor, "admin")) throw new ForbiddenError("Only admins can see the mail queue.");
}

export async function getMailQueue({ actor }: { actor: Actor }) {
  requireAdmin(actor);
  const summary = await summariseMailQueue();
  const dead = await db
    .selectFrom("mail_outbox")
    .select(["id", "recipient", "kind", "subject", "attempts", "last_error", "created_at", "next_attempt_at"])
    .where("status", "=", "dead")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  const waiting = await db
    .selectFrom("mail_outbox")
    .select(["id", "recipient", "kind", "subject", "attempts", "last_error", "created_at", "next_attempt_at"])
    .where("status", "=", "queued")
    .where("attempts", ">", 0)
    .orderBy("next_attempt_at")
    .limit(50)
    .execute();
  return { summary, dead, retrying: waiting };
}

/** Puts a dead letter back in the queue with its tries counted from nothing. */
export async function retryDeadMail({ actor, id }: { actor: Actor; id: number }) {
  requireAdmin(actor);
  return writeTransaction(async (trx) => {
    const result = await trx
      .updateTable("mail_outbox")
      .set({ status: "queued", attempts: 0, next_attempt_at: new Date().toISOString(), last_error: null })
      .where("id", "=", id)
      .where("status", "=", "dead")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}
