// The one reading of the session cookie, shared by the session code (app/auth/session.server.ts)
// and the page cache (app/http/page-cache.server.ts), so the two can never disagree about whether
// a request is signed in.
//
// A session id is taken only from a cookie whose name, as sent, is exactly the session cookie's
// name: browsers enforce the __Host- prefix on the name as written, so a sibling origin can set
// "%5F_Host-commons_session" but never "__Host-commons_session". Any name that merely decodes or
// folds to the session's ("%5F_Host-...", "__host-...", "x__Host-...") still marks the request as
// personal, so it is kept out of the anonymous page cache whatever the app makes of it.

type SessionCookieReading = {
  /** The session id to validate, or null when there is none or the request is ambiguous. */
  sessionId: string | null;
  /** Whether any cookie looks like the session's: such a request must never see or fill the anonymous cache. */
  isPersonal: boolean;
};

/** Cookie pairs in the order sent, names and values as sent (trimmed of spaces, never decoded). */
function parseCookieHeader(header: string) {
  const pairs: { name: string; value: string }[] = [];
  for (const part of header.split(";")) {
    const equals = part.indexOf("=");
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim();
    if (name) pairs.push({ name, value: part.slice(equals + 1).trim() });
  }
  return pairs;
}

/** Percent-decodes until nothing changes (a few rounds at most), tolerating malformed escapes. */
function decodeFully(text: string) {
  let current = text;
  for (let round = 0; round < 4 && current.includes("%"); round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The part of the name that identifies the session cookie whatever prefix it is given. */
function coreName(cookieName: string) {
  return cookieName.replace(/^__(host|secure)-/i, "").toLowerCase();
}

export function readSessionCookie(header: string | null | undefined, cookieName: string): SessionCookieReading {
  if (!header) return { sessionId: null, isPersonal: false };
  const core = coreName(cookieName);
  const exactValues = new Set<string>();
  let isPersonal = false;
  for (const { name, value } of parseCookieHeader(header)) {
    if (name === cookieName) {
      isPersonal = true;
      if (value) exactValues.add(value);
    } else if (decodeFully(name).toLowerCase().includes(core)) {
      isPersonal = true;
    }
  }
  // Two different values under the exact name mean someone planted one (a parent domain can,
  // for an unprefixed name): trusting either could sign the visitor in as someone else.
  const sessionId = exactValues.size === 1 ? [...exactValues][0]! : null;
  return { sessionId: sessionId && /^[A-Za-z0-9_-]{1,128}$/.test(sessionId) ? sessionId : null, isPersonal };
}
