import { type DB, db, writeTransaction } from "~/db/client.server";

export type RateLimitRule = { limit: number; windowSeconds: number };

export const RATE_LIMITS = {
  /**
   * Guessing one account's password from one address: a few tries, then that address waits. Keyed
   * by both, so nobody elsewhere can use it to refuse the owner (issue 13).
   */
  signInPerAddressAndAccount: { limit: 5, windowSeconds: 15 * 60 },
  /** Credential stuffing from one address across many accounts. */
  signInPerIp: { limit: 50, windowSeconds: 15 * 60 },
  signUpPerIp: { limit: 10, windowSeconds: 60 * 60 },
  /**
   * Guessing the password from inside a session (changing it, deleting the account): keyed by the
   * session, so a stolen session locks out only itself, never the owner's own.
   */
  passwordReentryPerSession: { limit: 5, windowSeconds: 15 * 60 },
  /** Reset links asked for one address (whether or not it has an account) and from one network. */
  passwordResetPerAddress: { limit: 5, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  /** Confirmation links sent again on request. */
  verificationResendPerAccount: { limit: 3, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

/**
 * Wrong passwords for one account from anywhere are never a reason to refuse it: past a few in a
 * window, each attempt on it waits a little longer (1 s, 2 s, 4 s ... at most 10 s), right or wrong.
 */
export const ACCOUNT_SLOWDOWN = { freeFailures: 5, windowSeconds: 15 * 60, maxDelayMs: 10_000 };

export function slowdownMsFor(failures: number) {
  if (failures < ACCOUNT_SLOWDOWN.freeFailures) return 0;
  return Math.min(1000 * 2 ** (failures - ACCOUNT_SLOWDOWN.freeFailures), ACCOUNT_SLOWDOWN.maxDelayMs);
}

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

/** How many events a key has counted in its current window (0 once the window has passed). */
export async function countInWindow(key: string, windowSeconds: number, now = nowSeconds()) {
  const row = await db
    .selectFrom("rate_limits")
    .select(["count", "window_started_at"])
    .where("key", "=", key)
    .executeTakeFirst();
  return row && now < row.window_started_at + windowSeconds ? row.count : 0;
}

/** Counts one event against a key inside the caller's write transaction and returns the window's count. */
export async function countEvent(trx: DB, key: string, windowSeconds: number, now = nowSeconds()) {
  const row = await trx
    .selectFrom("rate_limits")
    .select(["count", "window_started_at"])
    .where("key", "=", key)
    .executeTakeFirst();
  const count = row && now < row.window_started_at + windowSeconds ? row.count + 1 : 1;
  await trx
    .insertInto("rate_limits")
    .values({ key, count, window_started_at: now })
    .onConflict((conflict) =>
      conflict.column("key").doUpdateSet(count === 1 ? { count, window_started_at: now } : { count }),
    )
    .execute();
  return count;
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
