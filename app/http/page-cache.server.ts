import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";

import { readSessionCookie } from "~/auth/session-cookie";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** A rendered public page, kept with its compressed forms so a hit does no work but a write. */
export type CachedPage = {
  key: string;
  /** The validity token it was rendered at (see PageCache.validityFor). */
  epoch: string;
  storedAt: number;
  status: number;
  headers: OutgoingHttpHeaders;
  etag: string;
  identity: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
};

export type PageCacheOptions = {
  /** The content epoch: rises whenever anything a public page shows changes (any process). */
  readEpoch: () => number | null;
  /** Changes on any committed write to the database at all, by any process. */
  readWriteVersion: () => string | null;
  /** The session cookie's name: pages for a session are keyed by it and validated per request. */
  sessionCookieName: string;
  /** Whether a session may be served a cached page now: live, and not due for Lucia's refresh. */
  isSessionServable: (sessionId: string) => boolean;
  maxEntries: number;
  maxAgeMs: number;
  /** Pages smaller than this are not worth compressing. */
  minCompressBytes?: number;
  /** Responses larger than this (downloads, images) are not kept. */
  maxEntryBytes?: number;
  /** Memory bound over all entries' uncompressed bodies. */
  maxTotalBytes?: number;
  now?: () => number;
};

// Headers that belong to one response, never to a page replayed to someone else.
const PER_RESPONSE_HEADERS = new Set([
  "x-request-id",
  "set-cookie",
  "content-length",
  "content-encoding",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);

/**
 * Whole-page cache for GETs, the same idea as Forem's edge cache but in-process: an entry is
 * valid while what it was rendered at is still current (see validityFor) and it is younger than
 * maxAgeMs (dates such as "due for review" move on their own).
 */
function contentTag(body: Buffer, nonce: string | undefined) {
  const hash = createHash("sha1");
  if (nonce) for (const part of body.toString("latin1").split(nonce)) hash.update(part, "latin1");
  else hash.update(body);
  return `"${hash.digest("base64url")}"`;
}

export type CacheKey = { key: string; sessionId: string | null };

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private totalBytes = 0;
  private readonly options: Required<PageCacheOptions>;
  hits = 0;
  misses = 0;

  constructor(options: PageCacheOptions) {
    this.options = {
      minCompressBytes: 1024,
      maxEntryBytes: 1024 * 1024,
      maxTotalBytes: 128 * 1024 * 1024,
      now: Date.now,
      ...options,
    };
  }

  get size() {
    return this.entries.size;
  }

  /**
   * The cache key for a request, or null when the request must reach the app. A signed-in
   * visitor's pages are keyed by their whole Cookie header, so a flash or any other cookie
   * gets its own entry.
   */
  keyFor(request: IncomingMessage): CacheKey | null {
    if (this.options.maxEntries <= 0) return null;
    if (request.method !== "GET" && request.method !== "HEAD") return null;
    const url = request.url ?? "/";
    if (url.startsWith("/build/") || url.startsWith("/healthz")) return null;
    // Search results follow the index, which catches up with a write up to a poll later than the
    // content epoch does: a page cached in between would stay stale until the next write.
    if (url.startsWith("/search") || url.startsWith("/api/v1/search")) return null;
    if (request.headers.authorization) return null;
    const cookie = request.headers.cookie;
    const { sessionId, isPersonal } = readSessionCookie(cookie, this.options.sessionCookieName);
    if (sessionId) return { key: `${cookie}\n${url}`, sessionId };
    // A cookie that only looks like the session's (or an ambiguous pair) is neither a session
    // to key by nor anonymous: such a request goes to the app uncached.
    if (isPersonal) return null;
    return { key: url, sessionId: null };
  }

  /**
   * What an entry must have been rendered at to be served now. Anonymous pages: the content
   * epoch. A session's pages: the content epoch and the database's write version, so any
   * write at all (a reply, a sign-out, a notification) re-renders them.
   */
  validityFor({ sessionId }: CacheKey): string | null {
    const epoch = this.options.readEpoch();
    if (epoch === null) return null;
    if (!sessionId) return String(epoch);
    const version = this.options.readWriteVersion();
    return version === null ? null : `${epoch}:${version}`;
  }

  /** The entry to serve, or undefined if missing, stale, or the session may not be served from memory. */
  lookup(cacheKey: CacheKey): CachedPage | undefined {
    const entry = this.entries.get(cacheKey.key);
    if (!entry) return undefined;
    if (entry.epoch !== this.validityFor(cacheKey) || this.options.now() - entry.storedAt > this.options.maxAgeMs) {
      this.remove(cacheKey.key);
      return undefined;
    }
    if (cacheKey.sessionId && !this.options.isSessionServable(cacheKey.sessionId)) return undefined;
    if (!entry.br) void this.compress(entry).catch(() => undefined);
    return entry;
  }

  /**
   * Whether a rendered response may be replayed to other anonymous visitors: a 200 that sets
   * no cookie and does not ask to stay private.
   */
  static isStorable(status: number, headers: OutgoingHttpHeaders, { isPersonal }: { isPersonal: boolean }) {
    if (status !== 200) return false;
    if (headers["set-cookie"]) return false;
    const cacheControl = String(headers["cache-control"] ?? "");
    return !(isPersonal ? /\bno-store\b/i : /\b(no-store|private)\b/i).test(cacheControl);
  }

  /**
   * Stores a rendered page with its gzip and brotli forms; `epoch` is the validity read before
   * rendering. `nonce`, the render's CSP nonce, is left out of the ETag so that every server
   * process gives the same page the same validator.
   */
  async store(
    cacheKey: CacheKey,
    epoch: string,
    status: number,
    headers: OutgoingHttpHeaders,
    body: Buffer,
    { nonce }: { nonce?: string } = {},
  ) {
    const { key } = cacheKey;
    if (body.length > this.options.maxEntryBytes) return;
    const kept: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !PER_RESPONSE_HEADERS.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
    }
    const entry: CachedPage = {
      key,
      epoch,
      storedAt: this.options.now(),
      status,
      headers: kept,
      // A route's own validator (feeds, the API, downloads) is kept, so its clients' If-None-Match still matches.
      etag: typeof kept.etag === "string" ? kept.etag : contentTag(body, nonce),
      identity: body,
      gzip: null,
      br: null,
    };
    // A write landed while rendering (a session's own render may write, refreshing it): don't keep it.
    if (this.validityFor(cacheKey) !== epoch) return;
    this.remove(key);
    this.entries.set(key, entry);
    this.totalBytes += body.length;
    while (this.entries.size > this.options.maxEntries || this.totalBytes > this.options.maxTotalBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    // A public page is compressed at once; a session's page only if it is asked for again.
    if (!cacheKey.sessionId) await this.compress(entry);
  }

  private readonly compressing = new WeakSet<CachedPage>();

  /** Adds the brotli and gzip forms, off the event loop; served uncompressed until they are ready. */
  async compress(entry: CachedPage) {
    if (this.compressing.has(entry)) return;
    this.compressing.add(entry);
    const isCompressible =
      entry.identity.length >= this.options.minCompressBytes &&
      /^(text\/|application\/(json|javascript|xml))/.test(String(entry.headers["content-type"] ?? ""));
    if (!isCompressible) return;
    [entry.br, entry.gzip] = await Promise.all([
      brotli(entry.identity, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.identity.length },
      }),
      gzipAsync(entry.identity, { level: 9 }),
    ]);
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.identity.length;
  }

  clear() {
    this.entries.clear();
    this.totalBytes = 0;
  }

  /** Writes a cached page, choosing brotli, gzip or none from Accept-Encoding, and honouring If-None-Match. */
  static send(request: IncomingMessage, response: ServerResponse, entry: CachedPage) {
    for (const [name, value] of Object.entries(entry.headers)) response.setHeader(name, value!);
    response.setHeader("etag", entry.etag);
    response.setHeader("vary", "Accept-Encoding, Cookie");
    response.setHeader("x-cache", "hit");
    if (request.headers["if-none-match"] === entry.etag) {
      response.statusCode = 304;
      response.end();
      return 304;
    }
    const accepts = String(request.headers["accept-encoding"] ?? "");
    let body = entry.identity;
    if (entry.br && /\bbr\b/.test(accepts)) {
      body = entry.br;
      response.setHeader("content-encoding", "br");
    } else if (entry.gzip && /\bgzip\b/.test(accepts)) {
      body = entry.gzip;
      response.setHeader("content-encoding", "gzip");
    }
    response.statusCode = entry.status;
    response.setHeader("content-length", body.length);
    response.end(request.method === "HEAD" ? undefined : body);
    return entry.status;
  }
}
