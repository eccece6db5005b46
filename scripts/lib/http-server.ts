// One HTTP server process: Express in front of the Remix build, with the page cache before it.
// scripts/server.ts runs one of these per core (node:cluster) in production, or just one.
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { statSync, watch } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Server } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";

import {
  type AppLoadContext,
  broadcastDevReady,
  createRequestHandler as createFetchHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from "@remix-run/node";
import express from "express";

import { lucia, SESSION_ABSOLUTE_LIFETIME_SECONDS, SESSION_IDLE_TIMEOUT } from "~/auth/lucia.server";
import { closeDb, rawSqlite } from "~/db/client.server";
import { type Env, getEnv } from "~/env.server";
import { contentEpochReader, sessionServableReader, writeVersionReader } from "~/http/content-epoch.server";
import { type CacheKey, PageCache } from "~/http/page-cache.server";
import { bodyLimitFor, closeAfterAnswer, readRequestBody } from "~/http/request-body.server";
import { routedPath } from "~/http/routed-path";
import { mailSteps } from "~/mail/background-steps.server";
import { type BackgroundWorker, startBackgroundWorker } from "~/mail/background-worker.server";
import { transportFromEnv } from "~/mail/transport.server";
import { getSearchService, stopSearchService } from "~/search/service.server";
import { checkRequestOrigin } from "~/security/csrf";
import { createCspNonce, securityHeaders } from "~/security/headers.server";
import {
  CROSS_SITE_REQUEST,
  type Refusal,
  refusalForApp,
  refusalPage,
  refusalText,
  tooLargeRefusal,
  wrongAddressRefusal,
} from "~/security/refusal-pages";

import { log } from "./log";

const env: Env = getEnv();
const BUILD_PATH = path.resolve("build/index.js");
const isDevelopment = env.NODE_ENV === "development";

async function importBuild() {
  const version = isDevelopment ? `?t=${statSync(BUILD_PATH).mtimeMs}` : "";
  return (await import(pathToFileURL(BUILD_PATH).href + version)) as ServerBuild;
}

/** Tells `remix dev` a build is being served; if it cannot be reached, says so rather than crash the server. */
function announceDevBuild(served: ServerBuild) {
  broadcastDevReady(served).catch((error: unknown) =>
    log({ level: "warn", msg: "could not tell remix dev the build is ready", error: String(error) }),
  );
}

let build = await importBuild();

function logRequest(
  request: IncomingMessage,
  response: ServerResponse,
  started: bigint,
  requestId: string,
  cache?: string,
) {
  log({
    level: "info",
    msg: "request",
    method: request.method,
    path: (request.url ?? "/").split("?")[0],
    status: response.statusCode,
    durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
    requestId,
    ...(cache ? { cache } : {}),
  });
}

function requestIdFor(request: IncomingMessage) {
  const given = request.headers["x-request-id"];
  return (typeof given === "string" && given.slice(0, 64)) || randomUUID();
}

/** The `context` every loader and action receives. */
function getLoadContext(request: IncomingMessage, response: ServerResponse): AppLoadContext {
  // Both are express's own request and response by the time Remix is asked to render.
  const { locals } = response as express.Response;
  return {
    requestId: response.getHeader("x-request-id") as string,
    setCookies: [],
    cspNonce: locals?.cspNonce as string | undefined,
    clientIp: (request as express.Request).ip ?? "unknown",
    // Single-fetch data requests end in .data; anything else may render a document.
    documentHtml: (request.url ?? "/").split("?")[0]!.endsWith(".data") ? undefined : new Map(),
    refusal: locals?.refusal as AppLoadContext["refusal"],
  };
}

// GETs are answered from memory, before Express: anonymous ones while the content epoch is
// unchanged, a session's own while nothing at all has been written since
// (docs/decisions/0008-page-cache-and-content-epoch.md).
const pageCache = new PageCache({
  readEpoch: contentEpochReader(rawSqlite()),
  readWriteVersion: writeVersionReader(rawSqlite()),
  sessionCookieName: lucia.sessionCookieName,
  isSessionServable: sessionServableReader(rawSqlite(), {
    idleTimeoutSeconds: SESSION_IDLE_TIMEOUT.seconds(),
    absoluteLifetimeSeconds: SESSION_ABSOLUTE_LIFETIME_SECONDS,
  }),
  maxEntries: isDevelopment ? 0 : env.PAGE_CACHE_MAX_ENTRIES,
  maxAgeMs: env.PAGE_CACHE_MAX_AGE_SECONDS * 1000,
});
/** What every response rendered for a signed-in member carries: no browser or proxy may keep it. */
const MEMBER_RESPONSE_HEADERS = { "cache-control": "private, no-store" };

/** Whether the app resolved a signed-in member while answering (the session code shares its answer on the context). */
async function isRenderedForMember(context: AppLoadContext) {
  const auth = await context.auth?.catch(() => null);
  return Boolean(auth?.user);
}

type RenderedPage = { status: number; headers: Record<string, string | string[]>; body: Buffer };
const rendering = new Map<string, Promise<RenderedPage>>();
let renderPage = createFetchHandler(build, env.NODE_ENV);

async function render(cacheKey: CacheKey, epoch: string, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`);
  const context = getLoadContext(request, response);
  const fetched = await renderPage(
    new Request(url, { method: "GET", headers: request.headers as Record<string, string> }),
    context,
  );
  const headers: Record<string, string | string[]> = {};
  fetched.headers.forEach((value, name) => (headers[name] = value));
  const cookies = fetched.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = Buffer.from(await fetched.arrayBuffer());
  const isForMember = await isRenderedForMember(context);
  // Headers set by middleware before the render count too (a cookie there makes the page personal).
  const allHeaders = { ...response.getHeaders(), ...headers };
  // Whether to keep it is the app's own headers' call; the member's header is added after.
  const isStorable =
    PageCache.isStorable(fetched.status, allHeaders, { isPersonal: cacheKey.sessionId !== null }) &&
    (cacheKey.sessionId !== null || !isForMember);
  if (isForMember) Object.assign(headers, MEMBER_RESPONSE_HEADERS);
  const page = { status: fetched.status, headers, body };
  if (isStorable) {
    pageCache
      .store(cacheKey, epoch, page.status, { ...allHeaders, ...headers }, page.body, {
        nonce: (response as express.Response).locals.cspNonce as string,
      })
      .catch((error: unknown) =>
        log({
          level: "error",
          msg: `page cache: ${error instanceof Error ? error.message : String(error)}`,
          path: url.pathname,
        }),
      );
  }
  return page;
}

const app = express();
app.disable("x-powered-by");
app.disable("etag");
app.set("trust proxy", "loopback");

app.use((request, response, next) => {
  const started = process.hrtime.bigint();
  const requestId = requestIdFor(request);
  response.setHeader("X-Request-Id", requestId);
  response.on("finish", () =>
    logRequest(request, response, started, requestId, response.locals.cache as string | undefined),
  );
  next();
});

app.use((request, response, next) => {
  const nonce = createCspNonce();
  response.locals.cspNonce = nonce;
  response.set(securityHeaders({ nonce, isProduction: env.NODE_ENV === "production" }));
  next();
});

// The one CSRF check: every state-changing request, before anything can act on it.
const siteOrigin = new URL(env.SITE_URL).origin;
app.use((request, response, next) => {
  // The public API is read-only and answers every write with a JSON 405; scripts calling it send no Origin.
  // Decided on the path the router will match, not the raw one ("/api/../notifications" is not the API).
  const routed = routedPath(request.originalUrl);
  if (routed?.startsWith("/api/")) return next();
  // One-click unsubscribe (RFC 8058): mail providers POST with no Origin; the signed link is the authority.
  if (routed?.startsWith("/email/unsubscribe/")) return next();
  const verdict = checkRequestOrigin({
    method: request.method,
    origin: request.get("origin"),
    secFetchSite: request.get("sec-fetch-site"),
    siteOrigin,
  });
  if (verdict.allowed) return next();
  log({
    level: "warn",
    msg: "cross-site request blocked",
    reason: verdict.reason,
    requestId: response.locals.requestId,
  });
  const origin = request.get("origin");
  const isThisServerUnderAnotherName =
    origin !== undefined && origin === `${request.protocol}://${request.get("host")}`;
  sendRefusal(
    { request, response, next },
    isThisServerUnderAnotherName ? wrongAddressRefusal(env.SITE_URL) : CROSS_SITE_REQUEST,
  );
});

/**
 * A refusal made before Remix runs, in the form the client can show. The app's own form posts
 * (single-fetch .data requests) read only Remix's encoding, so those are answered by Remix itself,
 * from routes/refused.ts, and the page's error view says why; a browser without scripts gets the
 * page, and a script the text.
 */
function sendRefusal(
  { request, response, next }: { request: express.Request; response: express.Response; next: express.NextFunction },
  refusal: Refusal,
) {
  if (request.method !== "GET" && request.path.endsWith(".data")) {
    response.locals.refusal = { status: refusal.status, message: refusalForApp(refusal) };
    void serveWithRemix(request, response, { path: "/refused.data", isRefused: true }).catch(next);
    return;
  }
  response.status(refusal.status);
  if (request.accepts(["html", "text"]) === "html") {
    response
      .type("html")
      .send(refusalPage(refusal, { nonce: response.locals.cspNonce as string, siteUrl: env.SITE_URL }));
  } else {
    response.type("text").send(refusalText(refusal));
  }
}

// Every request body is read here, within its limit, before Remix parses it (chunked ones included).
app.use((request, response, next) => {
  if (request.method === "GET" || request.method === "HEAD") return next();
  const limit = bodyLimitFor({ path: routedPath(request.originalUrl), contentType: request.get("content-type") });
  void readRequestBody(request, limit.maxBytes).then((reading) => {
    if (reading.kind === "gone") return void response.destroy();
    if (reading.kind === "read") {
      response.locals.body = reading.body;
      return next();
    }
    log({
      level: "warn",
      msg: "request body too large",
      limitBytes: limit.maxBytes,
      requestId: response.locals.requestId,
    });
    const refusal = tooLargeRefusal(limit.maxBytes, limit);
    response.setHeader("Connection", "close");
    closeAfterAnswer(request);
    sendRefusal({ request, response, next }, refusal);
  });
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
const publicFiles = express.static("public", { maxAge: "1h" });
// Only paths that look like files touch the disk; pages go straight on.
app.use((request, response, next) => {
  if (/\.[a-z0-9]+$/i.test(request.path)) publicFiles(request, response, next);
  else next();
});

// A cacheable page that was not in the cache: render it once, however many ask at the same time.
app.use((request, response, next) => {
  const cacheKey = pageCache.keyFor(request);
  const epoch = cacheKey ? pageCache.validityFor(cacheKey) : null;
  if (!cacheKey || epoch === null) return next();
  response.locals.cache = "miss";
  response.setHeader("X-Cache", "miss");
  const renderKey = `${epoch} ${cacheKey.key}`;
  let pending = rendering.get(renderKey);
  if (!pending) {
    pending = render(cacheKey, epoch, request, response).finally(() => rendering.delete(renderKey));
    rendering.set(renderKey, pending);
  }
  pending.then(
    (page) => {
      response.status(page.status);
      for (const [name, value] of Object.entries(page.headers)) response.setHeader(name, value);
      response.end(request.method === "HEAD" ? undefined : page.body);
    },
    (error: unknown) => next(error),
  );
});

// Remix, given the body read above. Like @remix-run/express's handler, whose request builder
// would read the body from the socket again.
app.all("*", (request, response, next) => {
  void serveWithRemix(request, response).catch(next);
});

async function serveWithRemix(
  request: express.Request,
  response: express.Response,
  { path = request.originalUrl, isRefused = false }: { path?: string; isRefused?: boolean } = {},
) {
  const context = getLoadContext(request, response);
  const controller = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const remixRequest = new Request(`${siteRequestOrigin(request)}${path}`, {
    method: request.method,
    headers: requestHeaders(request, { isRefused }),
    signal: controller.signal,
    ...(hasBody ? { body: new Uint8Array((response.locals.body as Buffer | undefined) ?? []) } : {}),
  });
  let remixResponse = await renderPage(remixRequest, context);
  if (await isRenderedForMember(context)) {
    const headers = new Headers(remixResponse.headers);
    for (const [name, value] of Object.entries(MEMBER_RESPONSE_HEADERS)) headers.set(name, value);
    remixResponse = new Response(remixResponse.body, {
      status: remixResponse.status,
      statusText: remixResponse.statusText,
      headers,
    });
  }
  response.statusMessage = remixResponse.statusText;
  response.status(remixResponse.status);
  for (const [name, value] of remixResponse.headers) response.append(name, value);
  if (remixResponse.body) await writeReadableStreamToWritable(remixResponse.body, response);
  else response.end();
}

function requestHeaders(request: IncomingMessage, { isRefused }: { isRefused: boolean }) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  // Remix aborts a cross-origin action before it runs; a refused request is sent on only to be
  // told so, which routes/refused.ts does whatever its origin was.
  if (isRefused) headers.delete("origin");
  return headers;
}

/** The request's origin as @remix-run/express works it out: express's hostname (trusting only a loopback proxy) and the Host port. */
function siteRequestOrigin(request: express.Request) {
  const port = /:(\d+)$/.exec(request.get("x-forwarded-host") ?? request.get("host") ?? "")?.[1];
  return `${request.protocol}://${request.hostname}${port ? `:${port}` : ""}`;
}

const server = createServer((request, response) => {
  if (stopping) response.setHeader("Connection", "close");
  const cacheKey = pageCache.keyFor(request);
  const entry = cacheKey ? pageCache.lookup(cacheKey) : undefined;
  if (!entry) {
    if (cacheKey) pageCache.misses += 1;
    app(request, response);
    return;
  }
  pageCache.hits += 1;
  const started = process.hrtime.bigint();
  const requestId = requestIdFor(request);
  response.setHeader("X-Request-Id", requestId);
  PageCache.send(request, response, entry);
  logRequest(request, response, started, requestId, "hit");
});

server.listen(env.PORT, () => {
  log({ level: "info", msg: `Procurement Commons listening on ${env.SITE_URL}`, port: env.PORT, pid: process.pid });
  if (isDevelopment) announceDevBuild(build);
  // Load (or build) the search index now rather than on the first search.
  getSearchService();
  background = startBackgroundWorker({ transport: transportFromEnv(env), steps: mailSteps(), log });
});
// Mail and notifications: every process runs this, the one holding the lease does the work.
let background: BackgroundWorker | null = null;

if (isDevelopment) {
  // A rebuild that cannot be loaded (say, read half-written) is logged and the last good build kept.
  watch(path.dirname(BUILD_PATH), () => {
    importBuild().then(
      (rebuilt) => {
        build = rebuilt;
        renderPage = createFetchHandler(build, env.NODE_ENV);
        announceDevBuild(build);
      },
      (error: unknown) => log({ level: "error", msg: "could not load the rebuilt app", error: String(error) }),
    );
  });
}

// SIGTERM: answer with Connection: close from now on and keep accepting until connections stop
// arriving (closing the listener resets any still queued in the kernel; at most 2 s of this),
// then stop listening, let every request received finish, and close the database. Idle
// keep-alive connections end at the server's keep-alive timeout (5 s): closing them sooner can
// reset one whose request has arrived but not yet been read.
const QUIET_BEFORE_CLOSE_MS = 100;
const LONGEST_LAME_DUCK_MS = 2000;
let lastConnectionAt = 0;
server.on("connection", () => (lastConnectionAt = Date.now()));
let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log({ level: "info", msg: `${signal} received: finishing in-flight requests` });
  const stoppedAt = Date.now();
  const closeWhenQuiet = setInterval(() => {
    // Checked after the next poll phase, which accepts whatever the kernel has queued.
    setImmediate(() => {
      if (!server.listening) return;
      if (Date.now() - lastConnectionAt < QUIET_BEFORE_CLOSE_MS && Date.now() - stoppedAt < LONGEST_LAME_DUCK_MS)
        return;
      clearInterval(closeWhenQuiet);
      // net.Server's close, not http.Server's: that one also drops connections whose request
      // has arrived but not yet been read, which a busy server would answer with a reset.
      Server.prototype.close.call(server, async () => {
        await background?.stop();
        await stopSearchService();
        await closeDb();
        log({ level: "info", msg: "stopped cleanly" });
        process.exit(0);
      });
    });
  }, QUIET_BEFORE_CLOSE_MS);
  setTimeout(() => {
    log({ level: "error", msg: `forced exit after ${env.SHUTDOWN_TIMEOUT_SECONDS} s` });
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_SECONDS * 1000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

// A worker whose primary has gone (killed, crashed) cannot take new connections: stop now,
// leaving the database consistent, so a restarted server is not sharing the port's old owner.
if (cluster.isWorker) {
  process.on("disconnect", () => {
    if (stopping) return;
    log({ level: "error", msg: "primary process gone: stopping this worker" });
    stopping = true;
    void Promise.resolve(background?.stop())
      .then(() => stopSearchService())
      .then(() => closeDb())
      .finally(() => process.exit(1));
  });
}
