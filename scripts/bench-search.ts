import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import SQLite from "better-sqlite3";

import { benchmarkQueries, isVocabularyWord, type SyntheticItem, syntheticItems } from "./lib/synthetic-corpus";

// npm run bench:search [-- --sizes 1k,10k,100k]
// For each size: a fresh SQLite database holding a synthetic library (procurement-like markdown,
// ~4 KB per item), indexed by our search module exactly as the server does it (same source, same
// snapshot build the worker runs, same engine), then the same corpus and queries in SQLite FTS5.

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1k,10k,100k" }, child: { type: "boolean", default: false } },
});
const sizes = values.sizes.split(",").map((size) => Number(size.trim().replace(/k$/i, "000")));
const ROW_MARKER = "@@row ";

if (!values.child) {
  // One process per size: a clean heap to measure, and module state (env, connection) of its own.
  const rows: Row[] = [];
  for (const size of sizes) {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "scripts/bench-search.ts", "--child", "--sizes", String(size)],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
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
  console.log("\n| size | query class | ours p50 / p95 / p99 (ms) | FTS5 p50 / p95 / p99 (ms) | p95 ours/FTS5 |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(`| ${row.size} | ${row.class} | ${row.ours} | ${row.fts5} | ${row.ratio} |`);
  process.exit(0);
}

const directory = mkdtempSync(path.join(tmpdir(), "commons-bench-"));
process.env.NODE_ENV = "production";

type Row = Record<string, string>;
const table = { push: (row: Row) => console.log(ROW_MARKER + JSON.stringify(row)) };
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

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
  const fts = sqlite.prepare(`insert into fts (rowid, title, summary, body) values (?, ?, ?, ?)`);
  let ftsMs = 0;
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
      const started = performance.now();
      fts.run(entry.id, entry.title, entry.summary, entry.body);
      ftsMs += performance.now() - started;
    }
  })();
  return ftsMs;
}

function corpusRareWords(count: number) {
  // Rare words that really occur: taken from the corpus itself.
  const seen = new Set<string>();
  for (const entry of syntheticItems(Math.min(count, 400))) {
    for (const word of entry.body.toLowerCase().match(/[a-z]+\d*/g) ?? []) {
      if (word.length >= 8 && /^[a-z]+$/.test(word) && !entry.title.toLowerCase().includes(word)) seen.add(word);
    }
  }
  return [...seen].filter((word) => !isVocabularyWord(word)).slice(0, 40);
}

/** FTS5 spelling of our queries: OR between words (like ours), prefix as-is, no fuzzy matching. */
function ftsQuery(query: string) {
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

for (const size of sizes) {
  const label = size >= 1000 ? `${size / 1000}k` : String(size);
  const databasePath = path.join(directory, `bench-${label}.sqlite`);
  process.env.DATABASE_PATH = databasePath;
  console.log(`\n== ${label} items ==`);

  const { closeDb, db, rawSqlite } = await import("~/db/client.server");
  const { migrateToLatest } = await import("~/db/migrator.server");
  const { buildSnapshot, loadSnapshot, persistSnapshot, readManifest, readSnapshot, snapshotDirectory } =
    await import("~/search/snapshot.server");
  const { SearchSource } = await import("~/search/sources.server");
  const { SearchService } = await import("~/search/service.server");
  const { parseQuery } = await import("~/search/query-parser");

  await migrateToLatest(db);
  const sqlite = rawSqlite();
  sqlite.exec(`create virtual table fts using fts5(title, summary, body, tokenize = 'porter unicode61')`);
  let started = performance.now();
  const ftsInsertMs = insertCorpus(sqlite, syntheticItems(size));
  const bytes = sqlite.prepare("select sum(length(body_markdown)) from items").pluck().get() as number;
  console.log(
    `corpus: ${size} items, ${(bytes / size / 1024).toFixed(1)} KB average body, written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // Build: what the worker thread does.
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const source = new SearchSource(sqlite);
  sqlite.exec("begin");
  let built: ReturnType<typeof buildSnapshot> | null = buildSnapshot(source.allDocuments(), {
    expectedCount: source.countDocuments(),
    onProgress: ({ documents }) => process.stdout.write(`\r  building: ${documents} documents`),
  });
  persistSnapshot(snapshotDirectory(databasePath), built, {
    outboxId: source.outboxHeadId(),
    signature: source.signature(),
  });
  sqlite.exec("commit");
  const buildMs = performance.now() - started;
  const shardCount = built.shards.length;
  // eslint-disable-next-line no-useless-assignment -- dropped so the heap measured after loading excludes the build
  built = null;
  const serialisedBytes = readdirSync(snapshotDirectory(databasePath)).reduce(
    (sum, file) => sum + statSync(path.join(snapshotDirectory(databasePath), file)).size,
    0,
  );
  process.stdout.write("\n");

  // Load: what a restart does with the persisted index.
  started = performance.now();
  await loadSnapshot(readSnapshot(snapshotDirectory(databasePath), readManifest(snapshotDirectory(databasePath))!));
  const loadMs = performance.now() - started;

  const service = new SearchService({ databasePath });
  await service.ready;
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const rss = process.memoryUsage().rss;
  console.log(
    `build ${(buildMs / 1000).toFixed(1)} s, ${shardCount} shards, serialised ${mb(serialisedBytes)}, load ${ms(loadMs)} ms, heap +${heapMb.toFixed(0)} MB, rss ${mb(rss)}`,
  );

  const queries = { ...benchmarkQueries(), rare: corpusRareWords(size) };
  const ftsStatement = sqlite.prepare(
    `select rowid, bm25(fts, 10.0, 3.0, 1.0) as score from fts where fts match ? order by score limit 20`,
  );
  const ours: Record<string, number[]> = {};
  const theirs: Record<string, number[]> = {};
  for (let round = 0; round < 3; round += 1) {
    for (const [kind, list] of Object.entries(queries)) {
      for (const q of list) {
        let begin = performance.now();
        service.search({ query: parseQuery(q), filters: {}, sort: "relevance", offset: 0, limit: 20 });
        if (round > 0) (ours[kind] ??= []).push(performance.now() - begin);
        begin = performance.now();
        ftsStatement.all(ftsQuery(q));
        if (round > 0) (theirs[kind] ??= []).push(performance.now() - begin);
      }
    }
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
    writer
      .prepare(
        `insert into items (id, type, slug, title, summary, body_markdown, body_html, status, published_at, created_at, updated_at)
                values (?, 'tip', ?, ?, 'New.', ?, '', 'published', ?, ?, ?)`,
      )
      .run(
        id,
        `fresh-${id}`,
        `Fresh ${word}`,
        `About ${word}.`,
        new Date().toISOString(),
        new Date().toISOString(),
        new Date().toISOString(),
      );
    const query = parseQuery(word);
    while (service.search({ query, filters: {}, sort: "relevance", offset: 0, limit: 20 }).total === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    freshness.push(performance.now() - begin);
    const ftsBegin = performance.now();
    writer
      .prepare(`insert into fts (rowid, title, summary, body) values (?, ?, 'New.', ?)`)
      .run(id, `Fresh ${word}`, `About ${word}.`);
    ftsPublish.push(performance.now() - ftsBegin);
  }
  writer.close();
  freshness.sort((a, b) => a - b);
  ftsPublish.sort((a, b) => a - b);

  console.log(
    `publish-to-searchable: median ${ms(percentile(freshness, 50))} ms, max ${ms(freshness.at(-1)!)} ms (FTS5 insert median ${ms(percentile(ftsPublish, 50))} ms)`,
  );
  console.log(`FTS5 build (inserting ${size} rows): ${(ftsInsertMs / 1000).toFixed(1)} s`);
  console.log("query class     ours p50/p95/p99 ms        FTS5 p50/p95/p99 ms      p95 ours/FTS5");
  for (const kind of Object.keys(ours)) {
    const a = ours[kind]!.sort((x, y) => x - y);
    const b = theirs[kind]!.sort((x, y) => x - y);
    const line = `${kind.padEnd(14)}  ${[50, 95, 99]
      .map((p) => ms(percentile(a, p)))
      .join(" / ")
      .padEnd(24)}  ${[50, 95, 99]
      .map((p) => ms(percentile(b, p)))
      .join(" / ")
      .padEnd(22)}  ${(percentile(a, 95) / Math.max(0.001, percentile(b, 95))).toFixed(1)}`;
    console.log(line);
    table.push({
      size: label,
      class: kind,
      ours: [50, 95, 99].map((p) => ms(percentile(a, p))).join(" / "),
      fts5: [50, 95, 99].map((p) => ms(percentile(b, p))).join(" / "),
      ratio: (percentile(a, 95) / Math.max(0.001, percentile(b, 95))).toFixed(1),
    });
  }
  table.push({
    size: label,
    class: "summary",
    ours: `build ${(buildMs / 1000).toFixed(1)} s · heap +${heapMb.toFixed(0)} MB · rss ${mb(rss)} · serialised ${mb(serialisedBytes)} · load ${ms(loadMs)} ms · publish→searchable median ${ms(percentile(freshness, 50))} ms, max ${ms(freshness.at(-1)!)} ms`,
    fts5: `build ${(ftsInsertMs / 1000).toFixed(1)} s · add one ${ms(percentile(ftsPublish, 50))} ms`,
    ratio: "",
  });

  await service.stop();
  await closeDb();
  globalThis.__commonsSearch = undefined;
}

rmSync(directory, { recursive: true, force: true });
