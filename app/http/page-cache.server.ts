import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** A rendered public page, kept with its compressed forms so a hit does no work but a write. */
export type CachedPage = {
  key: string;
  epoch: number;
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
  /** The session cookie's name: a request carrying it is personal and never cached. */
  sessionCookieName: string;
  maxEntries: number;
  maxAgeMs: number;
  /** Pages smaller than this are not worth compressing. */
  minCompressBytes?: number;
  now?: () => number;
};

// Headers that belong to one response, never to a page replayed to someone else.
const PER_RESPONSE_HEADERS = new Set(["x-request-id", "set-cookie", "content-length", "content-encoding", "date", "connection", "keep-alive", "transfer-encoding"]);

/**
 * Whole-page cache for anonymous GETs, the same idea as Forem's edge cache but in-process:
 * an entry is valid while the content epoch it was rendered at is still current and it is
 * younger than maxAgeMs (dates such as "due for review" move on their own).
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly options: Required<PageCacheOptions>;
  hits = 0;
  misses = 0;

  constructor(options: PageCacheOptions) {
    this.options = { minCompressBytes: 1024, now: Date.now, ...options };
  }

  get size() {
    return this.entries.size;
  }

  /** The cache key for a request, or null when the request must reach the app. */
  keyFor(request: IncomingMessage): string | null {
    if (this.options.maxEntries <= 0) return null;
    if (request.method !== "GET" && request.method !== "HEAD") return null;
    const url = request.url ?? "/";
    if (url.startsWith("/build/") || url.startsWith("/healthz")) return null;
    if (request.headers.authorization) return null;
    const cookie = request.headers.cookie;
    if (cookie && hasCookie(cookie, this.options.sessionCookieName)) return null;
    return url;
  }

  /** The current entry for a key, or undefined if missing, stale or from an older epoch. */
  lookup(key: string, epoch: number | null): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (epoch === null || entry.epoch !== epoch || this.options.now() - entry.storedAt > this.options.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  currentEpoch() {
    return this.options.readEpoch();
  }

  /**
   * Whether a rendered response may be replayed to other anonymous visitors: a 200 that sets
   * no cookie and does not ask to stay private.
   */
  static isStorable(status: number, headers: OutgoingHttpHeaders) {
    if (status !== 200) return false;
    if (headers["set-cookie"]) return false;
    const cacheControl = String(headers["cache-control"] ?? "");
    return !/\b(no-store|private)\b/i.test(cacheControl);
  }

  /** Stores a rendered page with its gzip and brotli forms; the epoch is the one read before rendering. */
  async store(key: string, epoch: number, status: number, headers: OutgoingHttpHeaders, body: Buffer) {
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
      etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
      identity: body,
      gzip: null,
      br: null,
    };
    if (this.options.readEpoch() !== epoch) return; // a write landed while rendering: this page may be stale already
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    // Served uncompressed until its compressed forms are ready, off the event loop.
    const isCompressible = body.length >= this.options.minCompressBytes && /^(text\/|application\/(json|javascript|xml))/.test(String(kept["content-type"] ?? ""));
    if (isCompressible) {
      [entry.br, entry.gzip] = await Promise.all([
        brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
        gzipAsync(body, { level: 9 }),
      ]);
    }
  }

  clear() {
    this.entries.clear();
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

function hasCookie(header: string, name: string) {
  const start = header.indexOf(`${name}=`);
  if (start === -1) return false;
  if (start > 0 && header[start - 1] !== " " && header[start - 1] !== ";") return false;
  const end = header.indexOf(";", start);
  return (end === -1 ? header.slice(start + name.length + 1) : header.slice(start + name.length + 1, end)).trim() !== "";
}
