import { Lucia, TimeSpan } from "lucia";

import { getEnv } from "~/env.server";

import { kyselyAdapter } from "./kysely-adapter.server";

export type Role = "member" | "moderator" | "admin";

/** Idle expiry: a session unused for this long ends. Lucia extends it on use. */
export const SESSION_IDLE_TIMEOUT = new TimeSpan(14, "d");
/** Absolute lifetime: however active, a session ends this long after sign-in. */
export const SESSION_ABSOLUTE_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

const isProduction = getEnv().NODE_ENV === "production";

export const lucia = new Lucia(kyselyAdapter, {
  sessionExpiresIn: SESSION_IDLE_TIMEOUT,
  sessionCookie: {
    // The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain.
    name: isProduction ? "__Host-commons_session" : "commons_session",
    expires: true,
    attributes: { secure: isProduction, sameSite: "lax" },
  },
  getSessionAttributes: (attributes) => ({ createdAt: attributes.created_at }),
  getUserAttributes: (attributes) => ({
    email: attributes.email,
    username: attributes.username,
    displayName: attributes.display_name,
    role: attributes.role,
    organisation: attributes.organisation,
    side: attributes.side,
    isEmailVerified: attributes.email_verified_at !== null,
  }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseSessionAttributes: { created_at: number };
    DatabaseUserAttributes: {
      email: string;
      username: string;
      display_name: string;
      role: Role;
      organisation: string | null;
      side: string | null;
      email_verified_at: string | null;
    };
  }
}
