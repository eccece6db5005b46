import { randomUUID } from "node:crypto";

import type { Role } from "~/auth/lucia.server";
import { hashPassword } from "~/auth/password.server";
import { startSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

let sequence = 0;

export const TEST_PASSWORD = "correct horse battery staple";

type UserOverrides = {
  email?: string;
  username?: string;
  displayName?: string;
  role?: Role;
  organisation?: string | null;
  side?: string | null;
  password?: string;
  /** Members are made with a confirmed address unless a test says otherwise. */
  emailVerified?: boolean;
};

/** Inserts a user with a real argon2id hash (of TEST_PASSWORD unless overridden). */
export async function createUser(overrides: UserOverrides = {}) {
  sequence += 1;
  const id = randomUUID();
  const now = nowIso();
  const user = {
    id,
    email: overrides.email ?? `member${sequence}-${id.slice(0, 6)}@example.gov.uk`,
    username: overrides.username ?? `member${sequence}-${id.slice(0, 6)}`,
    display_name: overrides.displayName ?? `Member ${sequence}`,
    role: overrides.role ?? "member",
    organisation: overrides.organisation ?? "Testshire County Council",
    side: overrides.side ?? "buyer",
  };
  await db
    .insertInto("users")
    .values({
      ...user,
      password_hash: await hashPassword(overrides.password ?? TEST_PASSWORD),
      created_at: now,
      updated_at: now,
      email_verified_at: overrides.emailVerified === false ? null : now,
    })
    .execute();
  return user;
}

/** A Cookie header value for a fresh session of the user, as the browser would send it. */
export async function sessionCookieFor(userId: string) {
  const setCookie = await startSession(userId);
  return setCookie.split(";")[0]!;
}
