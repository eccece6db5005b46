// Load benchmark of the production build over loopback (autocannon), beside a bare node:http
// server returning the item page's exact bytes in the same run.
//   npm run build && npm run load-test [-- --duration 10 --connections 50]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import autocannon from "autocannon";

import { findForm, isReplyForm, type PageForm } from "./support/forms";
import { freePort, prepareDatabase, startServer } from "./support/server-process";

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    writers: { type: "string", default: "50" },
  },
});
const duration = Number(options.duration);
const connections = Number(options.connections);
const writers = Number(options.writers);

const directory = mkdtempSync(path.join(tmpdir(), "commons-load-"));
const port = await freePort();
const env = { DATABASE_PATH: path.join(directory, "load.sqlite"), PORT: port };
prepareDatabase(env);

// The app's modules read the environment when first imported: point them at the load database.
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = env.DATABASE_PATH;
process.env.PORT = String(port);
const { db, closeDb } = await import("~/db/client.server");
const { createUser, sessionCookieFor } = await import("../tests/factories/users");
const member = await createUser({ displayName: "Load Tester" });
const memberCookie = await sessionCookieFor(member.id);
// Fresh sessions, one per request, measure a signed-in page rendered every time (never a cache hit).
const freshSessions: string[] = [];
for (let index = 0; index < 12_000; index += 1) freshSessions.push(await sessionCookieFor(member.id));
const largest = await db
  .selectFrom("items")
  .select(["slug"])
  .where("status", "=", "published")
  .orderBy((eb) => eb.fn("length", ["body_html"]), "desc")
  .executeTakeFirstOrThrow();
await closeDb();

const server = await startServer(env, { logFile: path.join(directory, "server.log") });
const itemPath = `/library/${largest.slug}`;
const itemHtml = Buffer.from(await (await fetch(server.baseUrl + itemPath)).arrayBuffer());

const barePort = await freePort();
const bareBody = path.join(directory, "item.html");
writeFileSync(bareBody, itemHtml);
const bare = spawn(
  process.execPath,
  [
    "-e",
    `const body = require("node:fs").readFileSync(${JSON.stringify(bareBody)});
     require("node:http").createServer((req, res) => {
       res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
       res.end(body);
     }).listen(${barePort}, () => console.log("ready"));`,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
await new Promise((resolve) => bare.stdout!.once("data", resolve));

type Measured = { name: string; reqPerSec: number; p50: number; p99: number; requests: number; errors: number; non2xx: number };
const results: Measured[] = [];

function summarise(name: string, result: autocannon.Result): Measured {
  return {
    name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function measure(name: string, options: autocannon.Options) {
  const result = await autocannon({ connections, duration, ...options });
  const summary = summarise(name, result);
  results.push(summary);
  console.log(`${name.padEnd(34)} ${String(summary.reqPerSec).padStart(7)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  (${summary.requests} requests, ${summary.errors} errors, ${summary.non2xx} non-2xx)`);
  return summary;
}

const signedIn = { cookie: memberCookie };
let nextSession = 0;
const renderedEveryTime: Pick<autocannon.Options, "requests"> = {
  requests: [
    {
      setupRequest(request) {
        nextSession = (nextSession + 1) % freshSessions.length;
        return { ...request, headers: { ...request.headers, cookie: freshSessions[nextSession]! } };
      },
    },
  ],
};
const hasSearch = (await fetch(`${server.baseUrl}/search?q=framework`)).status === 200;
const replyForm = await findForm(server.baseUrl, { cookie: memberCookie, matches: isReplyForm });

function replyRequests(form: PageForm): autocannon.Options {
  let sequence = 0;
  return {
    url: server.baseUrl + form.action,
    method: "POST",
    headers: { ...signedIn, "content-type": "application/x-www-form-urlencoded", origin: server.baseUrl },
    requests: [
      {
        setupRequest(request) {
          sequence += 1;
          const body = new URLSearchParams(form.fields);
          for (const name of form.textareas) body.set(name, `Load test reply ${sequence}: agreed, the standstill letter needs the relative advantages.`);
          return { ...request, body: body.toString() };
        },
      },
    ],
  };
}

console.log(`Item page: ${itemPath} (${itemHtml.length} bytes); ${duration} s per run, ${connections} connections.\n`);
try {
  // Warm the cache the way real traffic would: one anonymous visit each.
  for (const page of ["/", "/library", itemPath, ...(hasSearch ? ["/search?q=framework"] : [])]) await fetch(server.baseUrl + page);

  // The machine is shared, so the ratio comes from alternating pairs of runs: the median pair.
  const pairs: { bare: Measured; item: Measured }[] = [];
  for (let pair = 1; pair <= 3; pair += 1) {
    pairs.push({
      bare: await measure(`bare node:http, same bytes (${pair})`, { url: `http://127.0.0.1:${barePort}/` }),
      item: await measure(`anonymous item page (${pair})`, { url: server.baseUrl + itemPath }),
    });
  }
  const medianPair = [...pairs].sort((a, b) => a.item.reqPerSec / a.bare.reqPerSec - b.item.reqPerSec / b.bare.reqPerSec)[1]!;
  const bareRun = medianPair.bare;
  const anonymousItem = medianPair.item;
  await measure("anonymous home", { url: `${server.baseUrl}/` });
  await measure("anonymous library", { url: `${server.baseUrl}/library` });
  if (hasSearch) await measure("anonymous search", { url: `${server.baseUrl}/search?q=framework` });
  else console.log("anonymous search: skipped (no /search route yet)");
  const signedInItem = await measure("signed-in item page (rendered)", { url: server.baseUrl + itemPath, ...renderedEveryTime });
  const signedInCached = await measure("signed-in item page (session cache)", { url: server.baseUrl + itemPath, headers: signedIn });
  const anonymousItemBrotli = await measure("anonymous item page (brotli)", { url: server.baseUrl + itemPath, headers: { "accept-encoding": "br" } });

  let replyP99: number | null = null;
  if (replyForm) {
    const replies = await measure(`reply posting (${writers} writers)`, { ...replyRequests(replyForm), connections: writers });
    replyP99 = replies.p99;
  } else {
    console.log("reply posting: skipped (no reply form reachable yet)");
  }

  // Mixed: everything at once, each route on its own share of the connections.
  console.log("\nmixed (concurrently):");
  const share = Math.max(1, Math.floor(connections / 5));
  const mixed = await Promise.all([
    autocannon({ url: `${server.baseUrl}/`, connections: share, duration }),
    autocannon({ url: `${server.baseUrl}/library`, connections: share, duration }),
    autocannon({ url: server.baseUrl + itemPath, connections: share, duration }),
    autocannon({ url: server.baseUrl + itemPath, connections: share, duration, ...renderedEveryTime }),
    hasSearch ? autocannon({ url: `${server.baseUrl}/search?q=framework`, connections: share, duration }) : null,
    replyForm ? autocannon({ ...replyRequests(replyForm), connections: share, duration }) : null,
  ]);
  const mixedNames = ["home", "library", "item (anonymous)", "item (signed in, rendered)", "search", "reply posting"];
  mixed.forEach((result, index) => {
    if (!result) return;
    const summary = summarise(`mixed: ${mixedNames[index]}`, result);
    results.push(summary);
    console.log(`  ${mixedNames[index]!.padEnd(32)} ${String(summary.reqPerSec).padStart(7)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  (${summary.errors} errors, ${summary.non2xx} non-2xx)`);
  });

  const ratio = (run: Measured) => (run.reqPerSec / bareRun.reqPerSec).toFixed(2);
  console.log(`\nanonymous item / bare: ${ratio(anonymousItem)} (goal >= 0.60; median of ${pairs.map(({ bare, item }) => (item.reqPerSec / bare.reqPerSec).toFixed(2)).join(", ")})`);
  console.log(`anonymous item (brotli) / bare: ${ratio(anonymousItemBrotli)}`);
  console.log(`signed-in item, rendered / bare: ${ratio(signedInItem)} (goal >= 0.10)`);
  console.log(`signed-in item, session cache / bare: ${ratio(signedInCached)}`);
  if (replyP99 !== null) console.log(`reply posting p99: ${replyP99} ms (goal <= 50 ms)`);
  const failures = results.filter((run) => run.errors > 0 || (run.non2xx > 0 && !run.name.includes("reply")));
  if (failures.length > 0) {
    console.log(`errors in: ${failures.map((run) => run.name).join(", ")}`);
    process.exitCode = 1;
  }
} finally {
  bare.kill();
  server.child.kill("SIGTERM");
  await server.exited;
  rmSync(directory, { recursive: true, force: true });
}
