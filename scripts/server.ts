import { randomUUID } from "node:crypto";
import { statSync, watch } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";

import { closeDb } from "~/db/client.server";
import { getEnv } from "~/env.server";
import { checkRequestOrigin } from "~/security/csrf";
import { crossSiteRequestPage } from "~/security/forbidden-page";
import { createCspNonce, securityHeaders } from "~/security/headers.server";
import { getSearchService, stopSearchService } from "~/search/service.server";

const env = getEnv();
const BUILD_PATH = path.resolve("build/index.js");
const isDevelopment = env.NODE_ENV === "development";

async function importBuild(): Promise<ServerBuild> {
  const version = isDevelopment ? `?t=${statSync(BUILD_PATH).mtimeMs}` : "";
  return import(pathToFileURL(BUILD_PATH).href + version);
}

let build = await importBuild();

function log(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", "loopback");

app.use((request, response, next) => {
  const started = process.hrtime.bigint();
  const requestId = request.get("x-request-id")?.slice(0, 64) || randomUUID();
  response.locals.requestId = requestId;
  response.setHeader("X-Request-Id", requestId);
  response.on("finish", () => {
    log({
      level: "info",
      msg: "request",
      method: request.method,
      path: request.originalUrl.split("?")[0],
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      requestId,
    });
  });
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
  if (request.path.startsWith("/api/")) return next();
  const verdict = checkRequestOrigin({
    method: request.method,
    origin: request.get("origin"),
    secFetchSite: request.get("sec-fetch-site"),
    siteOrigin,
  });
  if (verdict.allowed) return next();
  log({ level: "warn", msg: "cross-site request blocked", reason: verdict.reason, requestId: response.locals.requestId });
  response
    .status(403)
    .type("html")
    .send(crossSiteRequestPage({ nonce: response.locals.cspNonce as string, siteUrl: env.SITE_URL }));
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all("*", (request, response, next) =>
  createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: () => ({
      requestId: response.locals.requestId as string,
      setCookies: [],
      cspNonce: response.locals.cspNonce as string,
      clientIp: request.ip ?? "unknown",
    }),
  })(request, response, next),
);

const server = app.listen(env.PORT, () => {
  log({ level: "info", msg: `Procurement Commons listening on ${env.SITE_URL}`, port: env.PORT });
  if (isDevelopment) broadcastDevReady(build);
  // Load (or build) the search index now rather than on the first search.
  getSearchService();
});

if (isDevelopment) {
  watch(path.dirname(BUILD_PATH), async () => {
    build = await importBuild();
    broadcastDevReady(build);
  });
}

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log({ level: "info", msg: `${signal} received: finishing in-flight requests` });
  server.close(async () => {
    await stopSearchService();
    await closeDb();
    log({ level: "info", msg: "stopped cleanly" });
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log({ level: "error", msg: "forced exit after 10 s" });
    process.exit(1);
  }, 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
