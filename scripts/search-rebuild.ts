import { closeDb, db, rawSqlite } from "~/db/client.server";
import { migrateToLatest } from "~/db/migrator.server";
import { getEnv } from "~/env.server";
import { buildSnapshot, persistSnapshot, snapshotDirectory } from "~/search/snapshot.server";
import { SearchSource } from "~/search/sources.server";

// Rebuilds the persisted search index from the database, showing progress. The running server
// picks the new index up at its next start; it also rebuilds by itself as content changes.

await migrateToLatest(db);
const started = performance.now();
const source = new SearchSource(rawSqlite());
const sqlite = source.sqlite;
sqlite.exec("begin");
const outboxId = source.outboxHeadId();
const signature = source.signature();
const expectedCount = source.countDocuments();
console.log(`Indexing up to ${expectedCount.toLocaleString("en-GB")} documents from ${getEnv().DATABASE_PATH}`);
const built = buildSnapshot(source.allDocuments(), {
  expectedCount,
  onProgress: ({ documents, shards }) => {
    const percent = expectedCount ? Math.min(100, Math.round((documents / expectedCount) * 100)) : 100;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `  ${percent}%  ${documents.toLocaleString("en-GB")} documents, ${shards} shards, ${seconds} s\n`,
    );
  },
});
sqlite.exec("commit");
const directory = snapshotDirectory(getEnv().DATABASE_PATH);
const manifest = persistSnapshot(directory, built, { outboxId, signature });
console.log(
  `Wrote ${manifest.documentCount.toLocaleString("en-GB")} documents in ${manifest.shardCount} shards to ${directory} ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await closeDb();
