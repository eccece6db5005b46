// Load benchmark of the production build over loopback (autocannon), beside a bare node:http
// server returning the item page's exact bytes in the same run.
//   npm run build && npm run load-test [-- --duration 10 --connections 50]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import autocannon from "autocannon";
import SQLite from "better-sqlite3";

import { formsIn, type PageForm } from "./support/forms";
import { freePort, prepareDatabase, startServer } from "./support/server-process";

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    writers: { type: "string", default: "50" },
    // Replies a second from each paced writer, on average.
    "writer-rate": { type: "string", default: "2" },
    // Comma-separated run names to do alone (for profiling): item (with bare), home, library, search,
    // signed-in, session-cache, replies, mixed
    only: { type: "string" },
  },
});
const duration = Number(options.duration);
const connections = Number(options.connections);
const writers = Number(options.writers);
const only = options.only ? new Set(options.only.split(",")) : null;
const runs = (name: string) => only === null || only.has(name);

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
const { createEstablishedMembers } = await import("./support/members");
const member = await createUser({ displayName: "Load Tester" });
// Reply writers: one member each, accounts old enough that the new-account posting limit is not what is measured.
const posters = await createEstablishedMembers(writers, "load-poster");
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
// The open communities' threads, where the writers reply (the seeded ones from content/communities).
const threadPaths = (
  await db
    .selectFrom("threads")
    .innerJoin("communities", "communities.id", "threads.community_id")
    .select(["communities.slug as community", "threads.id", "threads.slug"])
    .where("communities.visibility", "=", "open")
    .where("threads.is_locked", "=", 0)
    .where("threads.is_hidden", "=", 0)
    .orderBy("threads.id")
    .limit(5)
    .execute()
).map((thread) => `/communities/${thread.community}/threads/${thread.id}-${thread.slug}`);
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
await new Promise((resolve) => bare.stdout.once("data", resolve));
// Whatever fails from here on, the two servers must not outlive this script.
process.on("exit", () => {
  bare.kill();
  server.child.kill("SIGTERM");
});

type Measured = {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  redirects: number;
};
const results: Measured[] = [];

function summarise(name: string, result: autocannon.Result): Measured {
  return {
    name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    // Refusals and failures; a posted reply answers 303 (Post/Redirect/Get), which is success.
    non2xx: result["4xx"] + result["5xx"],
    redirects: result["3xx"],
  };
}

async function measure(name: string, options: autocannon.Options) {
  const result = await autocannon({ connections, duration, ...options });
  const summary = summarise(name, result);
  results.push(summary);
  console.log(
    `${name.padEnd(34)} ${String(summary.reqPerSec).padStart(7)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  (${summary.requests} requests, ${summary.errors} errors, ${summary.non2xx} 4xx/5xx)`,
  );
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
// A few realistic queries, in turn: search pages are never cached, so every one is a real search.
/** Each paced writer's replies a second: by default 50 writers make 100 replies a second, far above a busy forum's rate. */
const PACED_REPLIES_PER_SECOND = Number(options["writer-rate"]);
const SEARCH_QUERIES = ["framework", "social value", "standstill letter", "UK9 KPI", "dynamic market"];
const searchPaths = SEARCH_QUERIES.map((query) => `/search?q=${encodeURIComponent(query)}`);
let nextSearch = 0;
const searchRequests: autocannon.Options = {
  url: server.baseUrl + searchPaths[0],
  requests: [
    {
      setupRequest(request) {
        nextSearch = (nextSearch + 1) % searchPaths.length;
        return { ...request, path: searchPaths[nextSearch]! };
      },
    },
  ],
};

// The real reply form of each thread, as a signed-in member sees it.
const replyForms: PageForm[] = [];
for (const page of threadPaths) {
  const html = await (await fetch(server.baseUrl + page, { headers: { cookie: posters[0]!.cookie } })).text();
  const form = formsIn(html, page).find(
    (candidate) =>
      candidate.method === "post" && candidate.fields.intent === "reply" && candidate.textareas.includes("body"),
  );
  if (form) replyForms.push(form);
}
if (replyForms.length === 0) throw new Error("No reply form on the seeded threads: did the communities import run?");

/** Members posting replies through the real form, each request as the next member, across the threads. */
let replySequence = 0;

/** The next reply: each as the next member, across the threads, through the real form. */
function nextReply() {
  replySequence += 1;
  const form = replyForms[replySequence % replyForms.length]!;
  const poster = posters[replySequence % posters.length]!;
  const body = new URLSearchParams(form.fields);
  for (const name of form.textareas)
    body.set(name, `Load test reply ${replySequence}: agreed, the standstill letter needs the relative advantages.`);
  return { path: form.action, cookie: poster.cookie, body: body.toString() };
}

const REPLY_HEADERS = { "content-type": "application/x-www-form-urlencoded", origin: server.origin };

/** Members posting replies as fast as each is answered. */
function replyRequests(): autocannon.Options {
  return {
    url: server.baseUrl + replyForms[0]!.action,
    method: "POST",
    headers: REPLY_HEADERS,
    requests: [
      {
        setupRequest(request) {
          const { path, cookie, body } = nextReply();
          return { ...request, path, headers: { ...request.headers, cookie }, body };
        },
      },
    ],
  };
}

/**
 * Members posting at a human pace: each waits a random pause (exponential, mean 1/perSecond s)
 * between replies, so posts arrive independently, not in the bursts autocannon's rate option
 * sends at the start of every second.
 */
async function pacedReplies(
  name: string,
  { writers, perSecond }: { writers: number; perSecond: number },
): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let refused = 0;
  let redirects = 0;
  const endAt = Date.now() + duration * 1000;
  const pause = () => new Promise((resolve) => setTimeout(resolve, -Math.log(1 - Math.random()) * (1000 / perSecond)));
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (await pause(); Date.now() < endAt; await pause()) {
        const { path, cookie, body } = nextReply();
        const started = performance.now();
        try {
          const response = await fetch(server.baseUrl + path, {
            method: "POST",
            headers: { ...REPLY_HEADERS, cookie },
            body,
            redirect: "manual",
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - started);
          if (response.status >= 300 && response.status < 400) redirects += 1;
          else if (response.status >= 400) refused += 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  const summary = {
    name,
    reqPerSec: Math.round(latencies.length / duration),
    p50: percentile(50),
    p99: percentile(99),
    requests: latencies.length,
    errors,
    non2xx: refused,
    redirects,
  };
  results.push(summary);
  console.log(
    `${name.padEnd(34)} ${String(summary.reqPerSec).padStart(7)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  (${summary.requests} requests, ${summary.errors} errors, ${summary.non2xx} 4xx/5xx)`,
  );
  return summary;
}

console.log(`Item page: ${itemPath} (${itemHtml.length} bytes); ${duration} s per run, ${connections} connections.\n`);
try {
  // Warm the cache the way real traffic would: one anonymous visit each.
  for (const page of ["/", "/library", itemPath, ...searchPaths]) await fetch(server.baseUrl + page);

  // The machine is shared, so the ratio comes from alternating pairs of runs: the median pair.
  const pairs: { bare: Measured; item: Measured }[] = [];
  if (runs("bare") || runs("item")) {
    for (let pair = 1; pair <= 3; pair += 1) {
      pairs.push({
        bare: await measure(`bare node:http, same bytes (${pair})`, { url: `http://127.0.0.1:${barePort}/` }),
        item: await measure(`anonymous item page (${pair})`, { url: server.baseUrl + itemPath }),
      });
    }
  }
  const medianPair = [...pairs].sort(
    (a, b) => a.item.reqPerSec / a.bare.reqPerSec - b.item.reqPerSec / b.bare.reqPerSec,
  )[1];
  if (runs("home")) await measure("anonymous home", { url: `${server.baseUrl}/` });
  if (runs("library")) await measure("anonymous library", { url: `${server.baseUrl}/library` });
  if (runs("search")) await measure(`anonymous search (${SEARCH_QUERIES.length} queries)`, searchRequests);
  const signedInItem = runs("signed-in")
    ? await measure("signed-in item page (rendered)", { url: server.baseUrl + itemPath, ...renderedEveryTime })
    : null;
  const signedInCached = runs("session-cache")
    ? await measure("signed-in item page (session cache)", { url: server.baseUrl + itemPath, headers: signedIn })
    : null;
  const anonymousItemBrotli = runs("item")
    ? await measure("anonymous item page (brotli)", {
        url: server.baseUrl + itemPath,
        headers: { "accept-encoding": "br" },
      })
    : null;

  const replies = runs("replies")
    ? await measure(`reply posting (${writers} writers)`, { ...replyRequests(), connections: writers })
    : null;
  // The same writers with pauses between posts, as people have: latency when the server is not saturated.
  const paced = runs("replies")
    ? await pacedReplies(`reply posting (${writers} at ${PACED_REPLIES_PER_SECOND}/s each)`, {
        writers,
        perSecond: PACED_REPLIES_PER_SECOND,
      })
    : null;

  if (runs("mixed")) {
    // Mixed: everything at once, each route on its own share of the connections.
    console.log("\nmixed (concurrently):");
    const share = Math.max(1, Math.floor(connections / 5));
    const mixed = await Promise.all([
      autocannon({ url: `${server.baseUrl}/`, connections: share, duration }),
      autocannon({ url: `${server.baseUrl}/library`, connections: share, duration }),
      autocannon({ url: server.baseUrl + itemPath, connections: share, duration }),
      autocannon({ url: server.baseUrl + itemPath, connections: share, duration, ...renderedEveryTime }),
      autocannon({ ...searchRequests, connections: share, duration }),
      autocannon({ ...replyRequests(), connections: share, duration }),
    ]);
    const mixedNames = ["home", "library", "item (anonymous)", "item (signed in, rendered)", "search", "reply posting"];
    mixed.forEach((result, index) => {
      const summary = summarise(`mixed: ${mixedNames[index]}`, result);
      results.push(summary);
      console.log(
        `  ${mixedNames[index]!.padEnd(32)} ${String(summary.reqPerSec).padStart(7)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  (${summary.errors} errors, ${summary.non2xx} 4xx/5xx)`,
      );
    });
  }

  // A 3xx could also be a redirect to sign in: the replies answered 303 must all be in the database.
  const answeredReplies = results
    .filter((run) => run.name.includes("reply"))
    .reduce((sum, run) => sum + run.redirects, 0);
  const check = new SQLite(env.DATABASE_PATH, { readonly: true });
  const storedReplies = check
    .prepare("select count(*) from posts where body_markdown like 'Load test reply %'")
    .pluck()
    .get() as number;
  check.close();
  console.log(`\nreplies answered 303: ${answeredReplies}; in the database: ${storedReplies}`);
  if (storedReplies < answeredReplies) {
    console.log("Some replies answered as posted are not in the database.");
    process.exitCode = 1;
  }

  // Without the bare runs (--only), ratios are against a single bare run made now.
  const bareRun =
    medianPair?.bare ?? (await measure("bare node:http, same bytes", { url: `http://127.0.0.1:${barePort}/` }));
  const ratio = (run: Measured) => (run.reqPerSec / bareRun.reqPerSec).toFixed(2);
  if (medianPair) {
    console.log(
      `anonymous item / bare: ${ratio(medianPair.item)} (goal >= 0.60; median of ${pairs.map(({ bare, item }) => (item.reqPerSec / bare.reqPerSec).toFixed(2)).join(", ")})`,
    );
  }
  if (anonymousItemBrotli) console.log(`anonymous item (brotli) / bare: ${ratio(anonymousItemBrotli)}`);
  if (signedInItem) console.log(`signed-in item, rendered / bare: ${ratio(signedInItem)} (goal >= 0.10)`);
  if (signedInCached) console.log(`signed-in item, session cache / bare: ${ratio(signedInCached)}`);
  console.log(
    `load average: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(", ")} on ${cpus().length} CPUs (the machine may be shared)`,
  );
  if (replies)
    console.log(
      `reply posting p99: ${replies.p99} ms at ${writers} writers posting as fast as answered (goal <= 50 ms)`,
    );
  if (paced)
    console.log(
      `reply posting p99: ${paced.p99} ms at ${writers} writers posting ${PACED_REPLIES_PER_SECOND} a second each on average (${paced.reqPerSec} replies/s)`,
    );
  const failures = results.filter((run) => run.errors > 0 || run.non2xx > 0);
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
