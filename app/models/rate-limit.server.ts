import { db, writeTransaction } from "~/db/client.server";

export type RateLimitRule = { limit: number; windowSeconds: number };

export const RATE_LIMITS = {
  /** Guessing one account's password: a few tries, then a pause. */
  signInPerAccount: { limit: 5, windowSeconds: 15 * 60 },
  /** Credential stuffing from one address across many accounts. */
  signInPerIp: { limit: 50, windowSeconds: 15 * 60 },
  signUpPerIp: { limit: 10, windowSeconds: 60 * 60 },
  /** Guessing the password from inside a session (changing it, deleting the account): as for sign-in. */
  passwordReentryPerAccount: { limit: 5, windowSeconds: 15 * 60 },
  /** Reset links asked for one address (whether or not it has an account) and from one network. */
  passwordResetPerAddress: { limit: 5, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  /** Confirmation links sent again on request. */
  verificationResendPerAccount: { limit: 3, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

export type RateLimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Counts one attempt against every key, unless any key is already at its limit, in which case
 * nothing is counted and the longest wait is returned. One write transaction, so processes agree.
 */
export async function takeRateLimit(
  entries: { key: string; rule: RateLimitRule }[],
  now = nowSeconds(),
): Promise<RateLimitCheck> {
  return writeTransaction(async (trx) => {
    const rows = await trx
      .selectFrom("rate_limits")
      .select(["key", "count", "window_started_at"])
      .where(
        "key",
        "in",
        entries.map((entry) => entry.key),
      )
      .execute();
    const byKey = new Map(rows.map((row) => [row.key, row]));
    let retryAfterSeconds = 0;
    for (const { key, rule } of entries) {
      const row = byKey.get(key);
      const windowEnds = row ? row.window_started_at + rule.windowSeconds : 0;
      if (row && now < windowEnds && row.count >= rule.limit) {
        retryAfterSeconds = Math.max(retryAfterSeconds, windowEnds - now);
      }
    }
    if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds };
    for (const { key, rule } of entries) {
      const row = byKey.get(key);
      const isCurrent = row !== undefined && now < row.window_started_at + rule.windowSeconds;
      await trx
        .insertInto("rate_limits")
        .values({ key, count: 1, window_started_at: now })
        .onConflict((conflict) =>
          conflict
            .column("key")
            .doUpdateSet(isCurrent ? { count: (row?.count ?? 0) + 1 } : { count: 1, window_started_at: now }),
        )
        .execute();
    }
    return { allowed: true };
  });
}

/**
 * One bucket per account for every form that asks a signed-in member for their password again, so
 * a stolen session cannot guess it by taking turns between forms. Separate from sign-in's bucket:
 * succeeding here clears only this one.
 */
export function passwordReentryKey(userId: string) {
  return `password-reentry:account:${userId}`;
}

/** Forgets a key's attempts (after a successful sign-in, the account's failures no longer count). */
export async function clearRateLimit(key: string) {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** "Try again in 4 minutes." */
export function describeWait(seconds: number) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
