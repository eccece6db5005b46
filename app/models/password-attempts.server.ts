import { setTimeout as sleep } from "node:timers/promises";

import { sql } from "kysely";

import { writeTransaction } from "~/db/client.server";

import { alertAccountOwner } from "./account-alerts.server";
import {
  ACCOUNT_SLOWDOWN,
  clearRateLimit,
  countEvent,
  countInWindow,
  RATE_LIMITS,
  slowdownMsFor,
  takeRateLimit,
} from "./rate-limit.server";
import { authenticate } from "./user.server";

// Password guessing is limited where the guesser is (an address, a session) and only slowed where
// the victim is (the account), so nobody can lock a member out with wrong passwords of their own.

type PasswordOutcome<T> =
  { kind: "right"; value: T } | { kind: "wrong" } | { kind: "refused"; retryAfterSeconds: number };

const windowMinutes = ACCOUNT_SLOWDOWN.windowSeconds / 60;

/**
 * One sign-in attempt. Refused only when this address has failed too often for this account (or
 * for too many accounts); otherwise checked, after the account's slowdown, and a failure counted
 * against the account. The failure that brings the account to its slowdown tells its owner.
 */
export async function attemptSignIn({
  email,
  password,
  clientAddress,
}: {
  email: string;
  password: string;
  clientAddress: string;
}): Promise<PasswordOutcome<{ userId: string }>> {
  const pairKey = `sign-in:address-account:${clientAddress}:${email}`;
  const failuresKey = `sign-in:failures:account:${email}`;
  const limit = await takeRateLimit([
    { key: pairKey, rule: RATE_LIMITS.signInPerAddressAndAccount },
    { key: `sign-in:ip:${clientAddress}`, rule: RATE_LIMITS.signInPerIp },
  ]);
  if (!limit.allowed) return { kind: "refused", retryAfterSeconds: limit.retryAfterSeconds };
  await sleep(slowdownMsFor(await countInWindow(failuresKey, ACCOUNT_SLOWDOWN.windowSeconds)));
  const user = await authenticate({ email, password });
  if (user) {
    await clearRateLimit(pairKey);
    return { kind: "right", value: { userId: user.id } };
  }
  await writeTransaction(async (trx) => {
    const failures = await countEvent(trx, failuresKey, ACCOUNT_SLOWDOWN.windowSeconds);
    if (failures !== ACCOUNT_SLOWDOWN.freeFailures) return;
    const owner = await trx
      .selectFrom("users")
      .select("id")
      .where(sql`email collate nocase`, "=", email)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (owner)
      await alertAccountOwner(trx, { userId: owner.id, alert: { kind: "failed-sign-ins", failures, windowMinutes } });
  });
  return { kind: "wrong" };
}

/**
 * A signed-in member typing their password again (to change it, to delete the account). The
 * strict limit is this session's, so a stolen session cannot lock the owner's own sessions out;
 * wrong passwords across all of the account's sessions only slow it down. `check` is the form's
 * own verification (it may act at once on success, as changing the password does).
 */
export async function attemptPasswordReentry<T>({
  userId,
  sessionId,
  check,
}: {
  userId: string;
  sessionId: string;
  check: () => Promise<{ isRight: true; value: T } | { isRight: false }>;
}): Promise<PasswordOutcome<T>> {
  const sessionKey = passwordReentryKey(sessionId);
  const failuresKey = `password-reentry:failures:account:${userId}`;
  const limit = await takeRateLimit([{ key: sessionKey, rule: RATE_LIMITS.passwordReentryPerSession }]);
  if (!limit.allowed) return { kind: "refused", retryAfterSeconds: limit.retryAfterSeconds };
  await sleep(slowdownMsFor(await countInWindow(failuresKey, ACCOUNT_SLOWDOWN.windowSeconds)));
  const result = await check();
  if (result.isRight) {
    await clearRateLimit(sessionKey);
    return { kind: "right", value: result.value };
  }
  await writeTransaction((trx) => countEvent(trx, failuresKey, ACCOUNT_SLOWDOWN.windowSeconds));
  return { kind: "wrong" };
}

/**
 * One bucket per session for every form that asks for the password again, so a session cannot
 * guess it by taking turns between forms. Separate from sign-in's: succeeding clears only this one.
 */
export function passwordReentryKey(sessionId: string) {
  return `password-reentry:session:${sessionId}`;
}
