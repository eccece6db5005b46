import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import SQLite from "better-sqlite3";

import { exactMatcher, ftsQuery, oursQuery, planRecallQueries } from "./lib/search-recall";
import { benchmarkQueries, type SyntheticItem, syntheticItems } from "./lib/synthetic-corpus";

// npm run bench:search [-- --sizes 1k,10k,100k --load-size 10k --load-seconds 15]
// For each size, in a process of its own: a fresh SQLite database holding a synthetic library
// (procurement-like markdown, ~4.7 KB per item), indexed by our search exactly as the server does
// it (same source, the worker thread's build, same engine), and the same texts in SQLite FTS5
// (porter unicode61, bm25 with our field weights). Then, on the same queries: recall against an
// exact scan, recall@20, latency per query class, memory, load time and publish-to-searchable.
// At --load-size, the production server (npm run build first) answers the results page for
// distinct and for repeated queries, 50 connections over loopback.

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1k,10k,100k" },
    "load-size": { type: "string", default: "10k" },
    "load-seconds": { type: "string", default: "15" },
    connections: { type: "string", default: "50" },
    child: { type: "boolean", default: false },
  },
});
const count = (label: string) => Number(label.trim().replace(/k$/i, "000"));
const sizes = values.sizes.split(",").map(count);
const loadSize = values["load-size"] === "none" ? -1 : count(values["load-size"]);
const ROW_MARKER = "@@row ";

type Row = { table: "latency" | "recall" | "summary" | "load"; cells: string[] };

if (!values.child) {
  const rows: Row[] = [];
  console.log(
    `2 cores shared; load average at start ${loadavg()
      .map((value) => value.toFixed(1))
      .join(" ")}`,
  );
  for (const size of sizes) {
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        "--max-old-space-size=6144",
        "--import",
        "tsx",
        "scripts/bench-search.ts",
        "--child",
        "--sizes",
        String(size),
        `--load-size=${values["load-size"]}`,
        "--load-seconds",
        values["load-seconds"],
        "--connections",
        values.connections,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(ROW_MARKER)) rows.push(JSON.parse(line.slice(ROW_MARKER.length)) as Row);
        else console.log(line);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (code !== 0) process.exit(code ?? 1);
  }
  const print = (table: Row["table"], header: string[]) => {
    const selected = rows.filter((row) => row.table === table);
    if (selected.length === 0) return;
    console.log(`\n| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
    for (const row of selected) console.log(`| ${row.cells.join(" | ")} |`);
  };
  console.log(
    `\nload average at end ${loadavg()
      .map((value) => value.toFixed(1))
      .join(" ")}`,
  );
  print("recall", [
    "size",
    "query class",
    "queries",
    "documents that have it (mean)",
    "recall ours",
    "recall FTS5",
    "recall@20 ours (queries)",
    "recall@20 FTS5 (queries)",
    "ours returns / have it",
  ]);
  print("latency", ["size", "query class", "ours p50 / p95 / p99 ms", "FTS5 p50 / p95 / p99 ms", "p95 ours / FTS5"]);
  print("summary", ["size", "", "ours", "FTS5"]);
  print("load", ["size", "results page, 50 connections", "requests/s", "p50 ms", "p99 ms", "errors, non-2xx"]);
  process.exit(0);
}

// ---- One size, in its own process ----

const size = sizes[0]!;
const label = size >= 1000 ? `${size / 1000}k` : String(size);
const directory = mkdtempSync(path.join(tmpdir(), "commons-bench-"));
const databasePath = path.join(directory, `bench-${label}.sqlite`);
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = databasePath;
process.on("exit", () => rmSync(directory, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(1));

const emit = (row: Row) => console.log(ROW_MARKER + JSON.stringify(row));
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function insertCorpus(sqlite: SQLite.Database, items: Iterable<SyntheticItem>) {
  const now = new Date().toISOString();
  const item = sqlite.prepare(
    `insert into items (id, type, slug, title, summary, body_markdown, body_html, organisation_type, procedure, value_band, status, published_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, '', ?, ?, ?, 'published', ?, ?, ?)`,
  );
  const theme = sqlite.prepare(`insert into item_themes (item_id, theme) values (?, ?)`);
  const tag = sqlite.prepare(`insert into item_tags (item_id, tag) values (?, ?)`);
  const author = sqlite.prepare(`insert or ignore into authors (slug, name) values (?, ?)`);
  const authorId = sqlite.prepare(`select id from authors where slug = ?`).pluck();
  const link = sqlite.prepare(`insert into item_authors (item_id, author_id, position) values (?, ?, 0)`);
  sqlite.transaction(() => {
    for (const entry of items) {
      item.run(
        entry.id,
        entry.type,
        `item-${entry.id}`,
        entry.title,
        entry.summary,
        entry.body,
        entry.organisationType,
        entry.procedure,
        entry.valueBand,
        entry.publishedAt,
        now,
        now,
      );
      for (const value of entry.themes) theme.run(entry.id, value);
      for (const value of entry.tags) tag.run(entry.id, value);
      const slug = entry.author.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      author.run(slug, entry.author);
      link.run(entry.id, authorId.get(slug));
    }
  })();
}

/** FTS5 spelling of a search-box query: OR between words (like ours), prefix as-is, no fuzzy matching. */
function ftsOfTyped(query: string) {
  return query
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const [field, term] = word.includes(":") ? word.split(":") : [null, word];
      const safe = `"${term.replace(/[*"]/g, "")}"${term.endsWith("*") ? "*" : ""}`;
      return field ? `${field} : ${safe}` : safe;
    })
    .join(" OR ");
}

console.log(`\n== ${label} items ==`);
const { closeDb, db, rawSqlite } = await import("~/db/client.server");
const { migrateToLatest } = await import("~/db/migrator.server");
const { snapshotDirectory } = await import("~/search/snapshot.server");
const { SearchSource } = await import("~/search/sources.server");
const { SearchService } = await import("~/search/service.server");
const { parseQuery } = await import("~/search/query-parser");

await migrateToLatest(db);
const sqlite = rawSqlite();
let started = performance.now();
insertCorpus(sqlite, syntheticItems(size));
const bytes = sqlite.prepare("select sum(length(body_markdown)) from items").pluck().get() as number;
console.log(
  `corpus: ${size} items, ${(bytes / size / 1024).toFixed(1)} KB average body, written in ${seconds(performance.now() - started)}`,
);

// FTS5 over exactly the texts our index reads, in the same four fields.
const source = new SearchSource(sqlite);
sqlite.exec(`create virtual table fts using fts5(title, about, details, body, tokenize = 'porter unicode61')`);
// A second connection writes, since the first is busy reading the documents.
const ftsWriter = new SQLite(databasePath);
const ftsInsert = ftsWriter.prepare(`insert into fts (rowid, title, about, details, body) values (?, ?, ?, ?, ?)`);
let ftsBuildMs = 0;
ftsWriter.transaction(() => {
  for (const document of source.allDocuments()) {
    const begin = performance.now();
    ftsInsert.run(
      Number(document.ref.slice(5)),
      document.title,
      [document.summary, ...document.themes, ...document.tags, ...document.authors].join(" "),
      document.details.join(" "),
      [document.body, ...document.notes].join(" "),
    );
    ftsBuildMs += performance.now() - begin;
  }
})();
ftsWriter.close();
let ftsBytes: number | null = null;
try {
  ftsBytes = sqlite.prepare(`select sum(pgsize) from dbstat where name like 'fts%'`).pluck().get() as number;
} catch {
  // SQLite built without the dbstat table: size unknown.
}

// Build as the server does: in the worker thread, persisted, handed back to the main thread.
gc();
const baseline = process.memoryUsage();
started = performance.now();
// The builder goes out of scope before the load is measured, so its memory can be collected.
const buildMs = await (async () => {
  const builder = new SearchService({ databasePath, workerThreshold: 0 });
  await builder.ready;
  const elapsed = performance.now() - started;
  await builder.stop();
  return elapsed;
})();
const snapshot = snapshotDirectory(databasePath);
const snapshotBytes = readdirSync(snapshot).reduce((sum, file) => sum + statSync(path.join(snapshot, file)).size, 0);

// Load: what a restart does with the persisted index.
gc();
started = performance.now();
const service = new SearchService({ databasePath });
await service.ready;
const loadMs = performance.now() - started;
gc();
const memory = process.memoryUsage();
const heapMb = (memory.heapUsed - baseline.heapUsed) / 1024 / 1024;
const arraysMb = (memory.arrayBuffers - baseline.arrayBuffers) / 1024 / 1024;
console.log(
  `ours: build ${seconds(buildMs)} (worker thread, persisted), snapshot ${mb(snapshotBytes)}, load ${ms(loadMs)} ms, ` +
    `heap +${heapMb.toFixed(0)} MB objects + ${arraysMb.toFixed(0)} MB typed arrays, rss ${mb(memory.rss)}`,
);
console.log(`FTS5: build ${seconds(ftsBuildMs)} (inserting ${size} rows), ${ftsBytes ? mb(ftsBytes) : "?"} on disk`);

const search = (q: string, limit = 20) =>
  service.search({ query: parseQuery(q), filters: {}, sort: "relevance", offset: 0, limit });
const ftsTop = sqlite.prepare(
  `select rowid from fts where fts match ? order by bm25(fts, 10.0, 3.0, 2.0, 1.0) limit 20`,
);
const ftsAll = sqlite.prepare(`select rowid from fts where fts match ?`).pluck();

// Recall: every query's results (all of them, and the top 20) from both engines, then one pass
// over the documents to see which have what each query asks for.
started = performance.now();
const recallQueries = planRecallQueries(source.allDocuments(), size);
type Found = { all: Uint8Array; top: Uint8Array; count: number };
const foundBy = (ids: Iterable<number>, top: Iterable<number>): Found => {
  const all = new Uint8Array(size + 64);
  const first = new Uint8Array(size + 64);
  let found = 0;
  for (const id of ids) {
    all[id] = 1;
    found += 1;
  }
  for (const id of top) first[id] = 1;
  return { all, top: first, count: found };
};
const idOf = (ref: string) => Number(ref.slice(ref.indexOf(":") + 1));
const results = recallQueries.map((query) => {
  const everything = search(oursQuery(query), size + 64);
  const ours = foundBy(
    everything.hits.map((hit) => idOf(hit.ref)),
    everything.hits.slice(0, 20).map((hit) => idOf(hit.ref)),
  );
  const fts = foundBy(
    ftsAll.all(ftsQuery(query)) as number[],
    (ftsTop.all(ftsQuery(query)) as Array<{ rowid: number }>).map((row) => row.rowid),
  );
  return { query, ours, fts, exact: 0, oursFound: 0, ftsFound: 0, oursTop: 0, ftsTop: 0 };
});
for (const document of source.allDocuments()) {
  const has = exactMatcher(document);
  const id = idOf(document.ref);
  for (const result of results) {
    if (!has(result.query)) continue;
    result.exact += 1;
    result.oursFound += result.ours.all[id]!;
    result.ftsFound += result.fts.all[id]!;
    result.oursTop += result.ours.top[id]!;
    result.ftsTop += result.fts.top[id]!;
  }
}
const classes = [...new Set(recallQueries.map((query) => query.className))];
for (const className of classes) {
  const rows = results.filter((result) => result.query.className === className && result.exact > 0);
  if (rows.length === 0) continue;
  const sum = (pick: (row: (typeof rows)[number]) => number, among = rows) =>
    among.reduce((total, row) => total + pick(row), 0);
  const exact = sum((row) => row.exact);
  // recall@20 where it means something: queries that at most 20 documents fully answer must
  // have all of them in the top 20 (other forms of a word may rightly outrank more).
  const few = rows.filter((row) => row.exact <= 20);
  const atTwenty = (pick: (row: (typeof rows)[number]) => number) =>
    few.length === 0 ? "n/a" : `${percent(sum(pick, few) / sum((row) => row.exact, few))} of ${few.length}`;
  emit({
    table: "recall",
    cells: [
      label,
      className,
      String(rows.length),
      (exact / rows.length).toFixed(1),
      percent(sum((row) => row.oursFound) / exact),
      percent(sum((row) => row.ftsFound) / exact),
      atTwenty((row) => row.oursTop),
      atTwenty((row) => row.ftsTop),
      (sum((row) => row.ours.count) / exact).toFixed(2),
    ],
  });
}
console.log(
  `recall: ${recallQueries.length} queries checked against an exact scan in ${seconds(performance.now() - started)}`,
);

// Latency per query class: the engine's whole answer (matches, ranking, total, facet counts)
// against FTS5's top 20 by bm25 (no total, no facets).
// ("rare" words are the recall classes' words in few documents, which really occur.)
const { rare: _absent, typo, ...typed } = benchmarkQueries();
const TYPO_CLASS = "typo (FTS5: the corrected words)";
const timed: Record<string, string[]> = { ...typed, [TYPO_CLASS]: typo };
for (const query of recallQueries) (timed[query.className] ??= []).push(oursQuery(query));
const ftsOf = new Map<string, string>();
for (const query of recallQueries) ftsOf.set(oursQuery(query), ftsQuery(query));
// FTS5 corrects no typos: like for like, it searches for the words ours corrected them to.
for (const q of typo) {
  const terms = search(q).highlighting.terms;
  ftsOf.set(q, terms.length > 0 ? terms.map((term) => `"${term}"`).join(" OR ") : `"${q}"`);
}
// The machine is shared (and busy): each query runs in 5 rounds after a warm-up, and counts with
// its median, so a query is not charged for another process taking the core in the middle of it.
const ROUNDS = 5;
const ours: Record<string, number[][]> = {};
const theirs: Record<string, number[][]> = {};
for (const [className, list] of Object.entries(timed)) {
  ours[className] = list.map(() => []);
  theirs[className] = list.map(() => []);
}
for (let round = 0; round <= ROUNDS; round += 1) {
  for (const [className, list] of Object.entries(timed)) {
    list.forEach((q, position) => {
      let begin = performance.now();
      search(q);
      const oursMs = performance.now() - begin;
      const fts = ftsOf.get(q) ?? ftsOfTyped(q);
      begin = performance.now();
      ftsTop.all(fts);
      const ftsMs = performance.now() - begin;
      if (round === 0) return;
      ours[className]![position]!.push(oursMs);
      theirs[className]![position]!.push(ftsMs);
    });
  }
}
const medians = (runs: number[][]) =>
  runs.map((times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!).sort((a, b) => a - b);
for (const className of Object.keys(ours)) {
  const a = medians(ours[className]!);
  const b = medians(theirs[className]!);
  const triple = (list: number[]) => [50, 95, 99].map((p) => ms(percentile(list, p))).join(" / ");
  emit({
    table: "latency",
    cells: [
      label,
      className,
      triple(a),
      triple(b),
      (percentile(a, 95) / Math.max(0.001, percentile(b, 95))).toFixed(2),
    ],
  });
}

// Hostile input: the slowest of the strings the hostile-query tests use.
const HOSTILE = [
  "a".repeat(10_000),
  "contract ".repeat(2_000),
  "procur* ".repeat(500),
  "x~1 ".repeat(1_000),
  "a* b* c* d* e* f* g* h* i* j* k* l* m*",
  "procurementprocurementprocurementprocurementprocurement",
  Array.from({ length: 5_000 }, (_, i) => String.fromCharCode(i % 0xd7ff)).join(""),
  '"the of and" "a b c d e f g h i j k l"',
];
let hostileMs = 0;
for (const q of HOSTILE) {
  const begin = performance.now();
  search(q);
  hostileMs = Math.max(hostileMs, performance.now() - begin);
}

// Publish-to-searchable: a write on another connection (as another process would), then poll.
const writer = new SQLite(databasePath);
writer.pragma("busy_timeout = 5000");
const freshness: number[] = [];
const ftsPublish: number[] = [];
for (let attempt = 0; attempt < 8; attempt += 1) {
  // Words more than one typo apart, so one cannot be "forgiven" into another.
  const word = `z${attempt}q${attempt}x${attempt}fresh`;
  const id = size + 1 + attempt;
  const begin = performance.now();
  const now = new Date().toISOString();
  writer
    .prepare(
      `insert into items (id, type, slug, title, summary, body_markdown, body_html, status, published_at, created_at, updated_at)
       values (?, 'tip', ?, ?, 'New.', ?, '', 'published', ?, ?, ?)`,
    )
    .run(id, `fresh-${id}`, `Fresh ${word}`, `About ${word}.`, now, now, now);
  while (search(word).total === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  freshness.push(performance.now() - begin);
  const ftsBegin = performance.now();
  writer
    .prepare(`insert into fts (rowid, title, about, details, body) values (?, ?, 'New.', '', ?)`)
    .run(id, `Fresh ${word}`, `About ${word}.`);
  ftsPublish.push(performance.now() - ftsBegin);
}
writer.close();
freshness.sort((a, b) => a - b);
ftsPublish.sort((a, b) => a - b);

emit({
  table: "summary",
  cells: [
    label,
    "build · memory · snapshot · load",
    `build ${seconds(buildMs)} · heap +${(heapMb + arraysMb).toFixed(0)} MB (${heapMb.toFixed(0)} MB objects + ${arraysMb.toFixed(0)} MB typed arrays) · rss ${mb(memory.rss)} · snapshot ${mb(snapshotBytes)} · load ${ms(loadMs)} ms`,
    `build ${seconds(ftsBuildMs)} · ${ftsBytes ? mb(ftsBytes) : "?"} on disk`,
  ],
});
emit({
  table: "summary",
  cells: [
    label,
    "publish-to-searchable · hostile input",
    `median ${ms(percentile(freshness, 50))} ms, max ${ms(freshness.at(-1)!)} ms · slowest hostile query ${ms(hostileMs)} ms`,
    `insert one ${ms(percentile(ftsPublish, 50))} ms`,
  ],
});

await service.stop();
await closeDb();

if (size === loadSize) await measureServer();
process.exit(0);

/** The results page on the production server: distinct queries (each a real search), then repeated ones (cached). */
async function measureServer() {
  if (!existsSync("build/index.js")) {
    console.log("server under load: skipped, no production build (npm run build)");
    return;
  }
  const { default: autocannon } = await import("autocannon");
  const { freePort, startServer } = await import("./support/server-process");
  const port = await freePort();
  const server = await startServer({ DATABASE_PATH: databasePath, PORT: port });
  process.on("exit", () => server.child.kill("SIGTERM"));
  // Pairs (and some triples) of words from the corpus: every request a search not asked before.
  const words = [...new Set(recallQueries.flatMap((query) => query.words))];
  let next = 0;
  const distinct = Array.from({ length: Math.min(50_000, words.length * (words.length - 1)) }, (_, index) => {
    const first = index % words.length;
    const second = (first + 1 + Math.floor(index / words.length)) % words.length;
    const parts = [words[first]!, words[second]!];
    if (index % 3 === 0) parts.push(words[(index * 13 + 5) % words.length]!);
    return `/search?q=${encodeURIComponent(parts.join(" "))}`;
  });
  const repeated = distinct.slice(0, 20);
  const connections = Number(values.connections);
  const duration = Number(values["load-seconds"]);
  const run = async (name: string, paths: string[]) => {
    next = 0;
    const result = await autocannon({
      url: server.baseUrl + paths[0],
      connections,
      duration,
      requests: [
        {
          setupRequest(request) {
            next += 1;
            return { ...request, path: paths[next % paths.length]! };
          },
        },
      ],
    });
    emit({
      table: "load",
      cells: [
        label,
        name,
        String(Math.round(result.requests.average)),
        String(result.latency.p50),
        String(result.latency.p99),
        `${result.errors + result.timeouts}, ${result["4xx"] + result["5xx"]}`,
      ],
    });
    console.log(
      `${name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
  };
  // Each server process warms up (JIT, prepared statements) before anything is measured.
  await autocannon({ url: server.baseUrl + repeated[0], connections: 4, duration: 3 });
  await run(`distinct queries (${connections} connections, ${duration} s)`, distinct.slice(20));
  await run(`20 repeated queries (results cache)`, repeated);
  server.child.kill("SIGTERM");
  await server.exited;
}
