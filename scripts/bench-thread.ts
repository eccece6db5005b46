// How long the server takes to render a thread with 1,000 replies.
// Usage: npm run build && npx tsx scripts/bench-thread.ts
import { randomUUID } from "node:crypto";

import type { ServerBuild } from "@remix-run/node";

import { cleanUp, percentile, startProductionServer } from "./bench-support";

const REPLIES = 1000;
const MEMBERS = 40;
const RUNS = 40;

const { closeDb, db, writeTransaction } = await import("~/db/client.server");
const { migrateToLatest } = await import("~/db/migrator.server");
const { renderReplyMarkdown } = await import("~/models/reply-render.server");
const { getThreadView } = await import("~/models/thread.server");

await migrateToLatest(db);
const now = Date.now();
const members = Array.from({ length: MEMBERS }, (_, index) => ({
  id: randomUUID(),
  email: `bench${index}@example.gov.uk`,
  username: `bench-${index}`,
  display_name: `Bench Member ${index}`,
  password_hash: null,
  created_at: new Date(now - 30 * 86_400_000).toISOString(),
  updated_at: new Date(now).toISOString(),
  email_verified_at: new Date(now).toISOString(),
}));

const { threadId, path } = await writeTransaction(async (trx) => {
  await trx.insertInto("users").values(members).execute();
  const { id: communityId } = await trx
    .insertInto("communities")
    .values({
      slug: "bench",
      name: "Bench",
      description: "Benchmark community",
      kind: "topic",
      visibility: "open",
      created_by_user_id: null,
      created_at: new Date(now).toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { id } = await trx
    .insertInto("threads")
    .values({
      kind: "question",
      community_id: communityId,
      slug: "a-busy-thread",
      title: "A busy thread",
      author_user_id: members[0]!.id,
      reply_count: REPLIES,
      last_activity_at: new Date(now).toISOString(),
      created_at: new Date(now - 86_400_000).toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const postIds: number[] = [];
  for (let n = 0; n <= REPLIES; n += 1) {
    const body = `Reply ${n}: we rated **response times** as *approaching target* (3.4% against 3%). See [the tip](/library/x) and ask @bench-${n % MEMBERS}.\n\n- one\n- two\n\n> quoting the earlier point ${n}`;
    const rendered = await renderReplyMarkdown(trx, body);
    // Every fourth reply answers an earlier one, so the page has conversations to lay out.
    const parent = n > 4 && n % 4 === 0 ? (postIds[n - 3] ?? null) : null;
    const { id: postId } = await trx
      .insertInto("posts")
      .values({
        thread_id: id,
        parent_post_id: parent,
        author_user_id: members[n % MEMBERS]!.id,
        body_markdown: body,
        body_html: rendered.html,
        created_at: new Date(now - 86_400_000 + n * 1000).toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    postIds.push(postId);
    for (let r = 0; r < n % 3; r += 1) {
      await trx
        .insertInto("reactions")
        .values({
          user_id: members[(n + r + 1) % MEMBERS]!.id,
          target_type: "post",
          target_id: postId,
          created_at: new Date(now).toISOString(),
        })
        .execute();
    }
  }
  await trx.updateTable("threads").set({ accepted_post_id: postIds[500]! }).where("id", "=", id).execute();
  return { threadId: id, path: `/communities/bench/threads/${id}-a-busy-thread` };
});

// The whole server render in this process: the production build's request handler (root and
// thread loaders, React SSR, serialised data). CPU time is reported beside wall time because
// a shared machine's other work inflates wall time but not the CPU this request needs.
const { createRequestHandler } = await import("@remix-run/node");
const { pathToFileURL } = await import("node:url");
const nodePath = await import("node:path");
const build = (await import(pathToFileURL(nodePath.resolve("build/index.js")).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");
const handlerWall: number[] = [];
const handlerCpu: number[] = [];
for (let run = 0; run < RUNS + 5; run += 1) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await handle(new Request(`http://localhost${path}`), { requestId: "bench", setCookies: [] });
  const html = await response.text();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (response.status !== 200 || !html.includes("A busy thread")) throw new Error(`render answered ${response.status}`);
  if (run >= 5) {
    handlerWall.push(wall);
    handlerCpu.push((used.user + used.system) / 1000);
  }
}

// The model alone: every post with its author and counts in one query.
const viewer = { id: members[1]!.id, role: "member" as const };
const modelTimes: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const view = await getThreadView({ threadId, viewer });
  modelTimes.push(performance.now() - started);
  if (view.thread.replyCount !== REPLIES) throw new Error("unexpected reply count");
}
await closeDb();

// The whole server render (loader + React SSR + HTML) over loopback, against the production build.
const server = await startProductionServer();
const pageTimes: number[] = [];
let bytes = 0;
try {
  for (let run = 0; run < RUNS + 5; run += 1) {
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}${path}`);
    const html = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !html.includes("A busy thread"))
      throw new Error(`GET ${path} answered ${response.status}`);
    if (run >= 5) pageTimes.push(elapsed);
    bytes = html.length;
    if (process.env.BENCH_DUMP_HTML) (await import("node:fs")).writeFileSync(process.env.BENCH_DUMP_HTML, html);
  }
} finally {
  await server.stop();
  cleanUp();
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
};
console.log(`Thread with ${REPLIES} replies (${(bytes / 1024).toFixed(0)} KiB of HTML), ${RUNS} runs each:`);
const { loadavg } = await import("node:os");
console.log(`  model (getThreadView), wall:            ${summary(modelTimes)}`);
console.log(`  server render in-process, wall:         ${summary(handlerWall)}`);
console.log(`  server render in-process, CPU time:     ${summary(handlerCpu)}`);
console.log(`  GET over loopback (production server):  ${summary(pageTimes)}`);
console.log(
  `  load average during the run: ${loadavg()
    .map((value) => value.toFixed(1))
    .join(", ")} on ${(await import("node:os")).cpus().length} CPUs`,
);
