import { sql } from "kysely";

import { hashPassword } from "~/auth/password.server";
import { db, writeTransaction } from "~/db/client.server";
import { passwordChangedMessage, passwordResetMessage } from "~/mail/account-messages.server";
import { queueMail } from "~/mail/outbox.server";

import {
  checkAccountToken,
  issueAccountToken,
  revokeAccountTokens,
  spendAccountToken,
  TokenRejectedError,
} from "./account-token.server";
import { TooManyAttemptsError } from "./domain-errors.server";
import { describeWait, RATE_LIMITS, takeRateLimit } from "./rate-limit.server";

// Forgotten passwords (ASVS 5.0 6.4): a one-time link by email, the same answer whether or not
// the address has an account, and every session ended once the password is reset.

/**
 * Sends a reset link if `email` belongs to an account that can sign in; says nothing either way.
 * Counted per address and per network whether or not the address is known, so the limit tells
 * nothing either.
 */
export async function requestPasswordReset({ email, clientIp }: { email: string; clientIp: string }) {
  const limit = await takeRateLimit([
    { key: `password-reset:address:${email.toLowerCase()}`, rule: RATE_LIMITS.passwordResetPerAddress },
    { key: `password-reset:ip:${clientIp}`, rule: RATE_LIMITS.passwordResetPerIp },
  ]);
  if (!limit.allowed)
    throw new TooManyAttemptsError(
      `Too many password reset links have been asked for. ${describeWait(limit.retryAfterSeconds)}`,
      limit.retryAfterSeconds,
    );
  await writeTransaction(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "display_name"])
      .where(sql`email collate nocase`, "=", email)
      .where("deleted_at", "is", null)
      .where("password_hash", "is not", null)
      .executeTakeFirst();
    if (!user) return;
    const token = await issueAccountToken(trx, { userId: user.id, purpose: "password-reset", email: user.email });
    await queueMail(trx, {
      to: user.email,
      userId: user.id,
      kind: "password-reset",
      message: passwordResetMessage({ displayName: user.display_name, token }),
    });
  });
}

/** Whether a reset link can still be used, for the page it opens. */
export async function checkPasswordResetLink({ token }: { token: string }) {
  return checkAccountToken(db, { token, purpose: "password-reset" });
}

/**
 * Sets the new password with the link, spends it, ends every session of the account and tells
 * the member by email. Throws TokenRejectedError if the link cannot be used.
 */
export async function resetPassword({ token, newPassword }: { token: string; newPassword: string }) {
  // argon2id is slow on purpose: hash before taking the write lock.
  const passwordHash = await hashPassword(newPassword);
  return writeTransaction(async (trx) => {
    const checked = await checkAccountToken(trx, { token, purpose: "password-reset" });
    if (!checked.ok) throw new TokenRejectedError(checked.problem);
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "display_name", "email_verified_at"])
      .where("id", "=", checked.token.userId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!user) throw new TokenRejectedError("unrecognised");
    const now = new Date();
    // Following the link proves the member reads this address: it counts as confirming it.
    const confirmsAddress =
      user.email_verified_at === null && user.email.toLowerCase() === checked.token.email.toLowerCase();
    await trx
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        updated_at: now.toISOString(),
        ...(confirmsAddress ? { email_verified_at: now.toISOString() } : {}),
      })
      .where("id", "=", user.id)
      .execute();
    await spendAccountToken(trx, { id: checked.token.id, now });
    await revokeAccountTokens(trx, {
      userId: user.id,
      purpose: "password-reset",
      because: "the password was reset",
      now,
    });
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await queueMail(trx, {
      to: user.email,
      userId: user.id,
      kind: "password-changed",
      message: passwordChangedMessage({ displayName: user.display_name, changedAt: now, how: "reset" }),
    });
    return { email: user.email };
  });
}
