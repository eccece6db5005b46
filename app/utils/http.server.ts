import { createHash } from "node:crypto";

// Conditional GETs for feeds and the API: a strong validator from the body's bytes, so a
// reader that already has this exact representation gets a 304 and no body.

export const CACHE_FEED = "public, max-age=900";
export const CACHE_API = "public, max-age=60";
export const CACHE_DOCUMENT = "public, max-age=3600";

function etagFor(body: string) {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

function matchesIfNoneMatch(header: string | null, etag: string) {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header
    .split(",")
    .map((candidate) => candidate.trim().replace(/^W\//, ""))
    .includes(etag);
}

/**
 * A 200 with ETag and Cache-Control, or a 304 when the request's If-None-Match already names
 * this representation. Never varies on cookies: these responses are the same for everyone.
 */
export function cacheableResponse(
  request: Request,
  body: string,
  {
    contentType,
    cacheControl,
    headers = {},
  }: { contentType: string; cacheControl: string; headers?: Record<string, string> },
) {
  const etag = etagFor(body);
  const common = { ETag: etag, "Cache-Control": cacheControl, ...headers };
  if (matchesIfNoneMatch(request.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers: common });
  }
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, ...common } });
}
