import { type AppLoadContext, redirect } from "@remix-run/node";
import type { Session, User } from "lucia";

import { getEnv } from "~/env.server";
import { hasRole } from "~/models/actor.server";

import { lucia, type Role, SESSION_ABSOLUTE_LIFETIME_SECONDS } from "./lucia.server";
import { readSessionCookie } from "./session-cookie";

type AuthState = { user: User | null; session: Session | null };

async function resolveAuth(request: Request, context: AppLoadContext): Promise<AuthState> {
  // Not lucia.readSessionCookie: it decodes names, so "%5F_Host-..." set by a sibling origin would count.
  const { sessionId } = readSessionCookie(request.headers.get("Cookie"), lucia.sessionCookieName);
  if (!sessionId) return { user: null, session: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (session && Date.now() / 1000 - session.createdAt > SESSION_ABSOLUTE_LIFETIME_SECONDS) {
    await lucia.invalidateSession(session.id);
    context.setCookies.push(lucia.createBlankSessionCookie().serialize());
    return { user: null, session: null };
  }
  // The one place the session cookie is refreshed (when Lucia extended the session) or cleared.
  if (session?.fresh) context.setCookies.push(lucia.createSessionCookie(session.id).serialize());
  if (!session) context.setCookies.push(lucia.createBlankSessionCookie().serialize());
  return { user, session };
}

/** The signed-in user, or null. Resolved once per request and shared by every loader. */
export async function getUser(request: Request, context: AppLoadContext) {
  context.auth ??= resolveAuth(request, context);
  return (await context.auth).user;
}

export async function getSession(request: Request, context: AppLoadContext) {
  context.auth ??= resolveAuth(request, context);
  return (await context.auth).session;
}

// Control characters (browsers drop tabs and newlines, so "/\t/evil.example" becomes "//evil.example"),
// backslashes (read as slashes) and their encoded forms, and encoded slashes.
const UNSAFE_IN_REDIRECT = /[\p{Cc}\\]|%(?:[01][0-9a-f]|7f|5c|2f)/iu;

/**
 * A path on this site to come back to, or `fallback`. The target is resolved against SITE_URL
 * and kept only if the origin is unchanged, so nothing a browser might read as another host
 * (protocol-relative, tab- or backslash-smuggled) survives; the answer is the resolved path.
 */
export function safeRedirectPath(
  target: FormDataEntryValue | string | null | undefined,
  fallback = "/",
  siteUrl = getEnv().SITE_URL,
) {
  if (typeof target !== "string" || !target.startsWith("/") || UNSAFE_IN_REDIRECT.test(target)) return fallback;
  const site = new URL(siteUrl);
  let resolved: URL;
  try {
    resolved = new URL(target, site);
  } catch {
    return fallback;
  }
  if (resolved.origin !== site.origin) return fallback;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** The signed-in user; anyone else is sent to sign in and brought back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext) {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** The signed-in user if they hold `role` or a higher one; a 403 for everyone else signed in. */
export async function requireRole(request: Request, context: AppLoadContext, role: Role) {
  const user = await requireUser(request, context);
  if (!hasRole(user, role)) throw new Response("This needs a moderator or an admin.", { status: 403 });
  return user;
}

/** Starts a new session for the user and returns its Set-Cookie value. */
export async function startSession(userId: string) {
  const session = await lucia.createSession(userId, { created_at: Math.floor(Date.now() / 1000) });
  return lucia.createSessionCookie(session.id).serialize();
}

/** Ends the session on the server and returns the Set-Cookie value that clears it. */
async function endSession(sessionId: string) {
  await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

/**
 * Signs the user in on a new session id (any session the browser already had is ended, so an id
 * planted before sign-in is worthless) and queues its cookie on the response.
 */
export async function signIn(request: Request, context: AppLoadContext, userId: string) {
  const previous = await getSession(request, context);
  if (previous) await lucia.invalidateSession(previous.id);
  context.setCookies.push(await startSession(userId));
}

/** Signs out: the session ends on the server and the cookie is cleared. */
export async function signOut(request: Request, context: AppLoadContext) {
  const session = await getSession(request, context);
  context.setCookies.push(session ? await endSession(session.id) : lucia.createBlankSessionCookie().serialize());
}

/**
 * A redirect carrying the cookies queued on the context. Remix hands a document request's redirect
 * straight to the client without entry.server, so queued cookies must travel on the redirect itself.
 */
export function redirectWithCookies(to: string, context: AppLoadContext, init: HeadersInit = {}) {
  const headers = new Headers(init);
  for (const cookie of context.setCookies.splice(0)) headers.append("Set-Cookie", cookie);
  return redirect(to, { headers });
}

/** For the sign-in and sign-up pages: someone already signed in goes on to where they were heading. */
export async function redirectIfSignedIn(request: Request, context: AppLoadContext) {
  if (await getUser(request, context)) {
    throw redirectWithCookies(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")), context);
  }
}

/** Sent when a session ends, so the browser drops anything cached or stored from it. */
export const CLEAR_SITE_DATA = { "Clear-Site-Data": '"cache", "storage"' };

/** For pages that show a member's own account: never stored by the browser or a proxy. */
export const PRIVATE_PAGE_HEADERS = { "Cache-Control": "private, no-store" };
