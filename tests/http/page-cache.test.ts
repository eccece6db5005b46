import type { IncomingMessage } from "node:http";

import { describe, expect, it } from "vitest";

import { PageCache } from "~/http/page-cache.server";

function cacheWith(overrides: Partial<ConstructorParameters<typeof PageCache>[0]> = {}) {
  const state = { epoch: 1, writes: 0, servable: true, now: 0 };
  const cache = new PageCache({
    readEpoch: () => state.epoch,
    readWriteVersion: () => String(state.writes),
    sessionCookieName: "sid",
    isSessionServable: () => state.servable,
    maxEntries: 3,
    maxAgeMs: 1000,
    now: () => state.now,
    ...overrides,
  });
  return { cache, state };
}

const get = (url: string, headers: Record<string, string> = {}) =>
  ({ method: "GET", url, headers }) as unknown as IncomingMessage;
const html = { "content-type": "text/html; charset=utf-8" };

async function storeFor(cache: PageCache, request: IncomingMessage, body = "<p>page</p>") {
  const key = cache.keyFor(request)!;
  await cache.store(key, cache.validityFor(key)!, 200, html, Buffer.from(body));
  return key;
}

describe("PageCache", () => {
  it("serves an anonymous page until the content epoch moves or it grows old", async () => {
    const { cache, state } = cacheWith();
    const key = await storeFor(cache, get("/library"));
    expect(cache.lookup(key)?.identity.toString()).toBe("<p>page</p>");
    state.writes += 1; // a write no public page shows: still valid for anonymous visitors
    expect(cache.lookup(key)).toBeDefined();
    state.epoch += 1;
    expect(cache.lookup(key)).toBeUndefined();

    await storeFor(cache, get("/library"));
    state.now += 1001;
    expect(cache.lookup(key)).toBeUndefined();
  });

  it("gives a page the same ETag whatever CSP nonce it was rendered with, as every server process must", async () => {
    const { cache } = cacheWith();
    const key = cache.keyFor(get("/about"))!;
    await cache.store(key, cache.validityFor(key)!, 200, html, Buffer.from('<script nonce="aaaa1111">go()</script>'), {
      nonce: "aaaa1111",
    });
    const first = cache.lookup(key)!.etag;
    await cache.store(key, cache.validityFor(key)!, 200, html, Buffer.from('<script nonce="bbbb2222">go()</script>'), {
      nonce: "bbbb2222",
    });
    expect(cache.lookup(key)!.etag).toBe(first);
    await cache.store(
      key,
      cache.validityFor(key)!,
      200,
      html,
      Buffer.from('<script nonce="bbbb2222">stop()</script>'),
      { nonce: "bbbb2222" },
    );
    expect(cache.lookup(key)!.etag).not.toBe(first);
  });

  it("keeps a session's page apart, until any write or the session may no longer be served", async () => {
    const { cache, state } = cacheWith();
    const anonymous = await storeFor(cache, get("/about"), "anonymous");
    const personal = cache.keyFor(get("/about", { cookie: "theme=dark; sid=abc" }))!;
    expect(personal.key).not.toBe(anonymous.key);
    expect(cache.lookup(personal)).toBeUndefined();
    await cache.store(personal, cache.validityFor(personal)!, 200, html, Buffer.from("for abc"));
    expect(cache.lookup(personal)?.identity.toString()).toBe("for abc");
    expect(cache.keyFor(get("/about", { cookie: "sid=other" }))!.key).not.toBe(personal.key);

    state.servable = false;
    expect(cache.lookup(personal)).toBeUndefined();
    state.servable = true;
    state.writes += 1;
    expect(cache.lookup(personal)).toBeUndefined();
    expect(cache.lookup(anonymous)?.identity.toString()).toBe("anonymous");
  });

  it("sends a request whose cookie only looks like the session's to the app, uncached", async () => {
    const { cache } = cacheWith({ sessionCookieName: "__Host-sid" });
    await storeFor(cache, get("/about"), "anonymous");
    for (const cookie of ["%5F_Host-sid=abc", "__host-sid=abc", "x__Host-sid=1", "__Host-sid=a; __Host-sid=b"]) {
      expect(cache.keyFor(get("/about", { cookie }))).toBeNull();
    }
    expect(cache.keyFor(get("/about", { cookie: "x__Host-sid=1; __Host-sid=abc" }))).toMatchObject({
      sessionId: "abc",
    });
  });

  it("does not keep a page rendered while a write landed", async () => {
    const { cache, state } = cacheWith();
    const key = cache.keyFor(get("/"))!;
    const before = cache.validityFor(key)!;
    state.epoch += 1;
    await cache.store(key, before, 200, html, Buffer.from("stale"));
    expect(cache.lookup(key)).toBeUndefined();
  });

  it("is bounded in entries and bytes, and skips what must not be shared", async () => {
    const { cache } = cacheWith({ maxEntryBytes: 100 });
    for (const url of ["/a", "/b", "/c", "/d"]) await storeFor(cache, get(url));
    expect(cache.size).toBe(3);
    expect(cache.lookup(cache.keyFor(get("/a"))!)).toBeUndefined();
    await storeFor(cache, get("/big"), "x".repeat(101));
    expect(cache.lookup(cache.keyFor(get("/big"))!)).toBeUndefined();

    expect(cache.keyFor({ ...get("/a"), method: "POST" } as IncomingMessage)).toBeNull();
    expect(cache.keyFor(get("/healthz"))).toBeNull();
    expect(cache.keyFor(get("/search?q=uk9"))).toBeNull();
    expect(PageCache.isStorable(200, { "set-cookie": ["a=b"] }, { isPersonal: false })).toBe(false);
    expect(PageCache.isStorable(200, { "cache-control": "private" }, { isPersonal: false })).toBe(false);
    expect(PageCache.isStorable(200, { "cache-control": "private" }, { isPersonal: true })).toBe(true);
    expect(PageCache.isStorable(200, { "cache-control": "no-store" }, { isPersonal: true })).toBe(false);
    expect(PageCache.isStorable(404, {}, { isPersonal: false })).toBe(false);
  });
});
