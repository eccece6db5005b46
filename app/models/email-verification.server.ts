import { sql } from "kysely";

import { verifyPassword } from "~/auth/password.server";
import { db, type DB, writeTransaction } from "~/db/client.server";
import { emailChangedMessage, emailInUseMessage, verifyEmailMessage } from "~/mail/account-messages.server";
import { queueMail } from "~/mail/outbox.server";

import {
  checkAccountToken,
  issueAccountToken,
  revokeAccountTokens,
  spendAccountToken,
  TokenRejectedError,
} from "./account-token.server";
import { InvalidInputError, TooManyAttemptsError } from "./domain-errors.server";
import { describeWait, RATE_LIMITS, takeRateLimit } from "./rate-limit.server";

// Confirmed addresses. A new member confirms theirs by following a link; until then they can
// read and draft but not post where others see it (as Discourse does). A member changing their
// address confirms the new one the same way, and the old one is told once the change is made.

export type Actor = { id: string };

export const CONFIRM_BEFORE_POSTING =
  "Confirm your email address before you post: follow the link we sent you when you joined (you can ask for it again at the top of this page). Your text is still here.";

export const CONFIRM_BEFORE_PUBLISHING =
  "Confirm your email address before you publish: follow the link we sent you when you joined (you can ask for it again at the top of this page). Save this as a draft in the meantime; nothing is lost.";

export async function isEmailConfirmed(executor: DB, { userId }: { userId: string }) {
  const user = await executor
    .selectFrom("users")
    .select("email_verified_at")
    .where("id", "=", userId)
    .executeTakeFirst();
  return Boolean(user?.email_verified_at);
}

/** Queues a confirmation link for `email` in the caller's transaction (sign-up, a change, a resend). */
export async function queueAddressConfirmation(
  trx: DB,
  { userId, email, displayName, isChange }: { userId: string; email: string; displayName: string; isChange: boolean },
) {
  const token = await issueAccountToken(trx, { userId, purpose: "verify-email", email });
  await queueMail(trx, {
    to: email,
    userId,
    kind: "verify-email",
    message: verifyEmailMessage({ displayName, token, isChange }),
  });
}

/** Sends the sign-up confirmation link again, a few times an hour at most. */
export async function resendAddressConfirmation({ actor }: { actor: Actor }) {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "display_name", "email_verified_at"])
    .where("id", "=", actor.id)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  if (user.email_verified_at) return { alreadyConfirmed: true as const, email: user.email };
  const limit = await takeRateLimit([
    { key: `verify-resend:account:${actor.id}`, rule: RATE_LIMITS.verificationResendPerAccount },
  ]);
  if (!limit.allowed)
    throw new TooManyAttemptsError(
      `We have sent the link ${RATE_LIMITS.verificationResendPerAccount.limit} times in the last hour. Check your spam or junk folder. ${describeWait(limit.retryAfterSeconds)}`,
      limit.retryAfterSeconds,
    );
  await writeTransaction((trx) =>
    queueAddressConfirmation(trx, {
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      isChange: false,
    }),
  );
  return { alreadyConfirmed: false as const, email: user.email };
}

async function liveAccountWithEmail(executor: DB, email: string, exceptUserId: string) {
  return executor
    .selectFrom("users")
    .select("id")
    .where(sql`email collate nocase`, "=", email)
    .where("id", "!=", exceptUserId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/**
 * Starts a change of address: the member's password, then a link to the new address. If another
 * account has that address, its owner is told instead and the answer here is the same, so the
 * form cannot be used to find out who has an account.
 */
export async function requestEmailChange({
  actor,
  newEmail,
  password,
}: {
  actor: Actor;
  newEmail: string;
  password: string;
}) {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "display_name", "password_hash"])
    .where("id", "=", actor.id)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  // A wrong password changes nothing; the route counts it (app/models/password-attempts.server.ts).
  if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) return { changed: false as const };
  if (user.email.toLowerCase() === newEmail.toLowerCase())
    throw new InvalidInputError({ newEmail: "That is already your email address. Enter a different one." });
  await writeTransaction(async (trx) => {
    if (await liveAccountWithEmail(trx, newEmail, user.id)) {
      await queueMail(trx, { to: newEmail, userId: null, kind: "email-in-use", message: emailInUseMessage() });
      return;
    }
    await queueAddressConfirmation(trx, {
      userId: user.id,
      email: newEmail,
      displayName: user.display_name,
      isChange: true,
    });
  });
  return { changed: true as const, sentTo: newEmail };
}

export async function checkAddressConfirmation({ token }: { token: string }) {
  return checkAccountToken(db, { token, purpose: "verify-email" });
}

/**
 * Confirms the address a link was sent to. For a change of address this is when the account's
 * address changes; the old address is told, and reset links sent to it stop working.
 */
export async function confirmAddress({ token }: { token: string }) {
  return writeTransaction(async (trx: DB) => {
    const checked = await checkAccountToken(trx, { token, purpose: "verify-email" });
    if (!checked.ok) throw new TokenRejectedError(checked.problem);
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "display_name"])
      .where("id", "=", checked.token.userId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!user) throw new TokenRejectedError("unrecognised");
    const now = new Date();
    const isChange = user.email.toLowerCase() !== checked.token.email.toLowerCase();
    if (isChange && (await liveAccountWithEmail(trx, checked.token.email, user.id)))
      throw new InvalidInputError({
        form: "Another account has started using this address since the link was sent, so your address has not changed.",
      });
    await trx
      .updateTable("users")
      .set({ email: checked.token.email, email_verified_at: now.toISOString(), updated_at: now.toISOString() })
      .where("id", "=", user.id)
      .execute();
    await spendAccountToken(trx, { id: checked.token.id, now });
    await revokeAccountTokens(trx, {
      userId: user.id,
      purpose: "verify-email",
      because: "the address was confirmed",
      now,
    });
    if (isChange) {
      await revokeAccountTokens(trx, {
        userId: user.id,
        purpose: "password-reset",
        because: "the email address changed",
        now,
      });
      await queueMail(trx, {
        to: user.email,
        userId: null,
        kind: "email-changed",
        message: emailChangedMessage({ displayName: user.display_name, newEmail: checked.token.email }),
      });
    }
    return { userId: user.id, email: checked.token.email, isChange };
  });
}
