import { randomUUID } from "node:crypto";
import { statSync, watch } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";

import { closeDb } from "~/db/client.server";
import { getEnv } from "~/env.server";
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

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all("*", (request, response, next) =>
  createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: () => ({ requestId: response.locals.requestId as string, setCookies: [] }),
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
