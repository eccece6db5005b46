import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareDatabase } from "./support/server-process";
const directory = mkdtempSync(path.join(tmpdir(), "qt-"));
const env = { DATABASE_PATH: path.join(directory, "q.sqlite"), PORT: 1 };
prepareDatabase(env);
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = env.DATABASE_PATH;
const { rawSqlite, db } = await import("~/db/client.server");
const sqlite = rawSqlite();
const timings = new Map<string, { n: number; ms: number }>();
const originalPrepare = sqlite.prepare.bind(sqlite);
let prepareMs = 0;
(sqlite as any).prepare = (source: string) => {
  const t0 = performance.now();
  const stmt = originalPrepare(source);
  prepareMs += performance.now() - t0;
  for (const method of ["all", "run", "get"] as const) {
    const original = (stmt as any)[method].bind(stmt);
    (stmt as any)[method] = (...args: unknown[]) => {
      const t = performance.now();
      try { return original(...args); } finally {
        const key = source.slice(0, 140);
        const entry = timings.get(key) ?? { n: 0, ms: 0 };
        entry.n += 1; entry.ms += performance.now() - t; timings.set(key, entry);
      }
    };
  }
  return stmt;
};
const { createEstablishedMembers } = await import("./support/members");
const { replyToThread } = await import("~/models/post.server");
const posters = await createEstablishedMembers(50, "qt");
const threads = await db.selectFrom("threads").innerJoin("communities", "communities.id", "threads.community_id").select("threads.id").where("communities.visibility", "=", "open").where("threads.is_locked", "=", 0).limit(5).execute();
const users = await db.selectFrom("users").selectAll().where("id", "in", posters.map((p) => p.id)).execute();
timings.clear(); prepareMs = 0;
const N = Number(process.argv[2] ?? 2000);
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const user = users[i % users.length]!;
  await replyToThread({ target: { threadId: threads[i % threads.length]!.id }, author: { id: user.id, role: user.role } as any, body: `Load test reply ${i}: agreed, the standstill letter needs the relative advantages.`, parentPostId: null });
}
const total = performance.now() - t0;
console.log(`${N} replies: ${(total / N).toFixed(3)} ms each; prepare ${(prepareMs / N).toFixed(3)} ms each`);
for (const [k, v] of [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(`${(v.ms / N).toFixed(3)} ms/reply  n=${v.n}  ${k.replace(/\s+/g, " ")}`);
