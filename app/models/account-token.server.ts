import { createHash, randomBytes } from "node:crypto";

import type { DB } from "~/db/client.server";
import type { AccountTokenPurpose } from "~/db/schema";

// One-time links for resetting a password and confirming an address (ASVS 5.0 6.4.1): 256
// random bits, kept only as a SHA-256 hash, with an expiry, spent on use, and revoked by a newer
// link for the same purpose or by a change of password or address.

const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  "password-reset": 60 * 60_000,
  "verify-email": 24 * 60 * 60_000,
};

export type TokenProblem = "unrecognised" | "expired" | "used" | "revoked";

function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/** Issues a token, revoking the member's earlier ones for the same purpose. Returns the token itself. */
export async function issueAccountToken(
  trx: DB,
  {
    userId,
    purpose,
    email,
    now = new Date(),
  }: { userId: string; purpose: AccountTokenPurpose; email: string; now?: Date },
) {
  await revokeAccountTokens(trx, { userId, purpose, because: "a newer link was sent", now });
  const token = randomBytes(32).toString("base64url");
  await trx
    .insertInto("account_tokens")
    .values({
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      email,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]).toISOString(),
    })
    .execute();
  return token;
}

export async function revokeAccountTokens(
  trx: DB,
  {
    userId,
    purpose,
    because,
    now = new Date(),
  }: { userId: string; purpose?: AccountTokenPurpose; because: string; now?: Date },
) {
  await trx
    .updateTable("account_tokens")
    .set({ revoked_at: now.toISOString(), revoked_because: because })
    .where("user_id", "=", userId)
    .$if(purpose !== undefined, (query) => query.where("purpose", "=", purpose!))
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

export type UsableToken = { id: number; userId: string; email: string };

/** The token's row if it can be used now, or why not. Malformed input is simply unrecognised. */
export async function checkAccountToken(
  executor: DB,
  { token, purpose, now = new Date() }: { token: string; purpose: AccountTokenPurpose; now?: Date },
): Promise<{ ok: true; token: UsableToken } | { ok: false; problem: TokenProblem }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, problem: "unrecognised" };
  const row = await executor
    .selectFrom("account_tokens")
    .select(["id", "user_id", "email", "expires_at", "used_at", "revoked_at"])
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .executeTakeFirst();
  if (!row) return { ok: false, problem: "unrecognised" };
  if (row.used_at) return { ok: false, problem: "used" };
  if (row.revoked_at) return { ok: false, problem: "revoked" };
  if (row.expires_at <= now.toISOString()) return { ok: false, problem: "expired" };
  return { ok: true, token: { id: row.id, userId: row.user_id, email: row.email } };
}

export async function spendAccountToken(trx: DB, { id, now = new Date() }: { id: number; now?: Date }) {
  await trx.updateTable("account_tokens").set({ used_at: now.toISOString() }).where("id", "=", id).execute();
}

/** A link that cannot be used: the page says why and offers a new one. */
export class TokenRejectedError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(`The link cannot be used: ${problem}`);
    this.name = "TokenRejectedError";
  }
}
