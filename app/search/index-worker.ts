import { parentPort, workerData } from "node:worker_threads";

import SQLite from "better-sqlite3";

import { buildSnapshot, persistSnapshot } from "./snapshot.server";
import { SearchSource } from "./sources.server";

// Rebuilds the main index off the main thread. It reads one consistent snapshot of the database
// (a single read transaction), persists the result for the next start, and hands it back.

export type WorkerRequest = { databasePath: string; snapshotDirectory: string };

const { databasePath, snapshotDirectory } = workerData as WorkerRequest;
const sqlite = new SQLite(databasePath, { readonly: true, fileMustExist: true });
sqlite.pragma("busy_timeout = 5000");
const source = new SearchSource(sqlite);

sqlite.exec("begin");
const outboxId = source.outboxHeadId();
const signature = source.signature();
const expectedCount = source.countDocuments();
const built = buildSnapshot(source.allDocuments(), {
  onProgress: (progress) => parentPort?.postMessage({ type: "progress", ...progress, expectedCount }),
});
sqlite.exec("commit");
sqlite.close();

const manifest = persistSnapshot(snapshotDirectory, built, { outboxId, signature });
// The shards' buffers move to the main thread rather than being copied.
parentPort?.postMessage(
  { type: "done", built, manifest },
  built.shards.map((shard) => shard.buffer as ArrayBuffer),
);
