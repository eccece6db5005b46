// 50 members posting replies at once for 30 seconds against the production build over loopback.
// Usage: npm run build && npx tsx scripts/bench-replies.ts [members] [seconds]   (BENCH_TRACE=1 lists replies slower than 3 s)
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";

import { cleanUp, percentile, startProductionServer } from "./bench-support";

const MEMBERS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 30);
const THREADS = 5;

const { closeDb, db } = await import("~/db/client.server");
const { migrateToLatest } = await import("~/db/migrator.server");
const { startSession } = await import("~/auth/session.server");
const { createCommunity } = await import("~/models/community.server");
const { startThread } = await import("~/models/thread.server");

await migrateToLatest(db);
const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
const members = Array.from({ length: MEMBERS }, (_, index) => ({
  id: randomUUID(),
  email: `poster${index}@example.gov.uk`,
  username: `poster-${index}`,
  display_name: `Poster ${index}`,
  password_hash: null,
  // Established accounts: the new-account posting limit is not what this measures.
  created_at: lastMonth,
  updated_at: lastMonth,
  email_verified_at: lastMonth,
}));
await db.insertInto("users").values(members).execute();
const moderator = { id: members[0]!.id, role: "moderator" as const };
await db.updateTable("users").set({ role: "moderator" }).where("id", "=", moderator.id).execute();
const community = await createCommunity({
  form: { name: "Load test", description: "Replies under load.", kind: "topic", visibility: "open" },
  creator: moderator,
});
const paths: string[] = [];
for (let n = 0; n < THREADS; n += 1) {
  const { threadId, slug } = await startThread({
    communityId: community.id,
    author: moderator,
    form: {
      kind: "question",
      title: `Load test thread number ${n}`,
      body: "Replies welcome.",
      themes: ["downstream"],
      tags: ["uk9"],
      items: [],
    },
  });
  paths.push(`/communities/${community.slug}/threads/${threadId}-${slug}`);
}
const cookies = await Promise.all(members.map(async (member) => (await startSession(member.id)).split(";")[0]!));
await closeDb();

const server = await startProductionServer();
const latencies: number[] = [];
const failures = new Map<string, number>();
const deadline = Date.now() + SECONDS * 1000;
const benchStart = performance.now();

async function member(index: number) {
  let sent = 0;
  while (Date.now() < deadline) {
    const path = paths[(index + sent) % paths.length]!;
    const body = new URLSearchParams({
      intent: "reply",
      body: `Reply ${sent} from poster ${index}: we rated **response times** as approaching target. @poster-${(index + 1) % MEMBERS}`,
    });
    const started = performance.now();
    try {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: "POST",
        body,
        redirect: "manual",
        headers: {
          Cookie: cookies[index]!,
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: server.baseUrl,
        },
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (process.env.BENCH_TRACE && performance.now() - started > 3000)
        console.log(
          `slow: started at ${((started - benchStart) / 1000).toFixed(1)} s, took ${(performance.now() - started).toFixed(0)} ms, member ${index}`,
        );
      if (response.status !== 303)
        failures.set(`HTTP ${response.status}`, (failures.get(`HTTP ${response.status}`) ?? 0) + 1);
    } catch (error) {
      failures.set(String((error as Error).message), (failures.get(String((error as Error).message)) ?? 0) + 1);
    }
    sent += 1;
  }
}

try {
  const started = performance.now();
  await Promise.all(members.map((_, index) => member(index)));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const errors = [...failures.values()].reduce((sum, count) => sum + count, 0);
  console.log(`${MEMBERS} members posting replies for ${SECONDS} s against the production build (${THREADS} threads):`);
  console.log(
    `  replies attempted: ${latencies.length + (failures.size ? 0 : 0)}, errors: ${errors}${errors ? ` (${[...failures].map(([kind, count]) => `${kind}: ${count}`).join(", ")})` : ""}`,
  );
  console.log(`  throughput: ${(latencies.length / elapsed).toFixed(1)} replies/s`);
  console.log(
    `  latency: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`  server errors logged: ${server.serverErrors().length}`);
  console.log(
    `  load average: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(", ")} on ${cpus().length} CPUs`,
  );
  if (errors > 0 || server.serverErrors().length > 0) process.exitCode = 1;
} finally {
  await server.stop();
  cleanUp();
}
