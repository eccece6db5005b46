import { createHmac, timingSafeEqual } from "node:crypto";

import { db } from "~/db/client.server";
import { NOTIFICATION_CATEGORY_KEYS, type NotificationCategory } from "~/models/email-vocabulary";

import { siteLink } from "./account-messages.server";

// One-click unsubscribe (RFC 8058) works without signing in, so the link itself must say who
// and what, and be impossible to forge: "<user id>.<scope>.<HMAC of both>", signed with a secret
// made by the migration and kept in the database.

export type UnsubscribeScope = NotificationCategory | "digest-daily" | "digest-weekly";

const SCOPES = new Set<string>([...NOTIFICATION_CATEGORY_KEYS, "digest-daily", "digest-weekly"]);

let secret: Promise<string> | undefined;
/**
 * Reads the signing secret once per process. Call it before a write transaction that signs
 * links: inside one, the one connection is taken and a read through `db` would wait forever.
 */
export function signingSecret() {
  secret ??= db
    .selectFrom("app_secrets")
    .select("value")
    .where("name", "=", "unsubscribe-links")
    .executeTakeFirstOrThrow()
    .then((row) => row.value);
  return secret;
}

async function signature(userId: string, scope: string) {
  return createHmac("sha256", await signingSecret())
    .update(`unsubscribe:${userId}:${scope}`)
    .digest("base64url");
}

async function unsubscribeToken(userId: string, scope: UnsubscribeScope) {
  return `${userId}.${scope}.${await signature(userId, scope)}`;
}

export async function unsubscribeLink(userId: string, scope: UnsubscribeScope) {
  return siteLink(`/email/unsubscribe/${await unsubscribeToken(userId, scope)}`);
}

/** The member and scope a link names, or null for anything altered, cut short or made up. */
export async function readUnsubscribeToken(token: string): Promise<{ userId: string; scope: UnsubscribeScope } | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [userId, scope, given] = parts as [string, string, string];
  if (!/^[0-9a-f-]{36}$/.test(userId) || !SCOPES.has(scope)) return null;
  const expected = Buffer.from(await signature(userId, scope));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { userId, scope: scope as UnsubscribeScope };
}

/** The headers that let mail clients offer "Unsubscribe" and do it with one POST (RFC 2369, RFC 8058). */
export function listUnsubscribeHeaders(link: string) {
  return { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
