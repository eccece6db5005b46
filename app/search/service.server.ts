import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

import { rawSqlite } from "~/db/client.server";
import { getEnv } from "~/env.server";

import type { SearchDocument } from "./documents";
import { SearchEngine, type SearchFilters, type SearchOutcome, type SearchSort, type Visibility } from "./engine";
import { type ParsedQuery, parseQuery } from "./query-parser";
import {
  type BuiltSnapshot,
  buildSnapshot,
  loadSnapshot,
  persistSnapshot,
  readManifest,
  readSnapshot,
  type SnapshotManifest,
  snapshotDirectory,
} from "./snapshot.server";
import { SearchSource } from "./sources.server";

// Keeps the engine fresh without anyone calling it: polls search_outbox (filled by triggers on
// every write, from any process) a few times a second, applies changes to the delta index, and
// rebuilds the main index in a worker thread when the delta grows. Requests only ever read.

export type SearchServiceOptions = {
  databasePath: string;
  pollIntervalMs?: number;
  /** Documents changed since the main index was built before a rebuild starts. */
  deltaLimit?: number;
  /** Libraries larger than this are (re)built in a worker thread, never on the main thread. */
  workerThreshold?: number;
  log?: (fields: Record<string, unknown>) => void;
};

const OUTBOX_BATCH = 2_000;
/** How long applied outbox entries stay for slower server processes (each polls every 250 ms). */
const OUTBOX_KEEP_MINUTES = 10;

export class SearchService {
  readonly engine = new SearchEngine();
  readonly ready: Promise<void>;
  private isReadyNow = false;
  private lastOutboxId = 0;
  private timer: NodeJS.Timeout | null = null;
  private rebuilding: Promise<void> | null = null;
  private worker: Worker | null = null;
  private isStopped = false;
  private readonly source: SearchSource;
  private readonly directory: string;
  private readonly options: Required<SearchServiceOptions>;

  constructor(options: SearchServiceOptions) {
    this.options = {
      pollIntervalMs: 250,
      deltaLimit: 400,
      workerThreshold: 3_000,
      log: () => {},
      ...options,
    };
    this.source = new SearchSource(rawSqlite());
    this.directory = snapshotDirectory(options.databasePath);
    this.ready = this.start();
  }

  get isReady() {
    return this.isReadyNow;
  }

  private async start() {
    const manifest = readManifest(this.directory);
    const head = this.source.outboxHeadId();
    // Entries up to the snapshot are pruned after ten minutes, so an outbox that ends at or before
    // the snapshot means nothing changed since, as long as the content still looks the same.
    const isReusable =
      manifest !== null && (manifest.outboxId < head || manifest.signature === this.source.signature());
    try {
      if (manifest && isReusable) {
        const started = performance.now();
        await this.install(readSnapshot(this.directory, manifest), manifest);
        this.options.log({
          msg: "search index loaded",
          documents: manifest.documentCount,
          ms: Math.round(performance.now() - started),
        });
      } else if (this.source.countDocuments() <= this.options.workerThreshold) {
        await this.rebuildHere();
      } else {
        await this.rebuildInWorker();
      }
    } catch (error) {
      // A corrupt snapshot or a failed worker must not leave the site without search.
      this.options.log({
        level: "error",
        msg: "search index load failed; rebuilding in process",
        error: String(error),
      });
      if (!this.isStopped) await this.rebuildHere();
    }
    if (this.isStopped) return;
    this.warmUp();
    this.isReadyNow = true;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  /** Runs each kind of query once, so the first reader after a start does not wait for the JIT compiler. */
  private warmUp() {
    for (const q of ["procurement contract", "procur*", "procurment", '"social value"', "-contract", "title:value"]) {
      this.engine.search({ query: parseQuery(q), limit: 20 });
    }
  }

  private async install(built: BuiltSnapshot, manifest: SnapshotManifest) {
    const snapshot = await loadSnapshot(built);
    if (this.isStopped) return;
    this.engine.replaceMain(snapshot, manifest.outboxId);
    this.lastOutboxId = Math.max(this.lastOutboxId, manifest.outboxId);
    // Changes before the snapshot are in it, but another server process may not have read them
    // yet: only entries old enough that every live process has are pruned.
    this.source.sqlite
      .prepare("delete from search_outbox where id <= ? and created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)")
      .run(manifest.outboxId, `-${OUTBOX_KEEP_MINUTES} minutes`);
  }

  /** Small libraries build in milliseconds; no thread needed. */
  private async rebuildHere() {
    const sqlite = this.source.sqlite;
    sqlite.exec("begin");
    let built: BuiltSnapshot;
    let outboxId: number;
    let signature: string;
    try {
      outboxId = this.source.outboxHeadId();
      signature = this.source.signature();
      built = buildSnapshot(this.source.allDocuments());
    } finally {
      sqlite.exec("commit");
    }
    const manifest = persistSnapshot(this.directory, built, { outboxId, signature });
    await this.install(built, manifest);
  }

  private rebuildInWorker(): Promise<void> {
    this.rebuilding ??= new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const file = path.resolve("app/search/index-worker.mjs");
      if (!existsSync(file)) {
        reject(new Error(`The search index worker is missing at ${file}`));
        return;
      }
      const worker = new Worker(file, {
        workerData: { databasePath: this.options.databasePath, snapshotDirectory: this.directory },
      });
      this.worker = worker;
      worker.on("message", (message: { type: string } & Record<string, unknown>) => {
        if (message.type === "progress") this.options.log({ msg: "search index building", ...message });
        if (message.type !== "done") return;
        const { built, manifest } = message as unknown as { built: BuiltSnapshot; manifest: SnapshotManifest };
        this.install(built, manifest).then(() => {
          this.options.log({
            msg: "search index rebuilt",
            documents: manifest.documentCount,
            ms: Math.round(performance.now() - started),
          });
          resolve();
        }, reject);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        this.worker = null;
        if (code !== 0 && !this.isStopped) reject(new Error(`The search index worker exited with code ${code}`));
        else if (this.isStopped) resolve();
      });
    }).finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  /** Applies new outbox entries; cheap when nothing changed (one indexed read). */
  poll() {
    if (this.isStopped) return;
    try {
      this.applyOutbox();
    } catch (error) {
      // Try again at the next tick; the outbox keeps the changes until they are applied.
      this.options.log({ level: "error", msg: "search index update failed", error: String(error) });
    }
  }

  private applyOutbox() {
    const entries = this.source.readOutbox(this.lastOutboxId, OUTBOX_BATCH);
    if (entries.length === 0) return;
    const items = new Set<number>();
    const threads = new Set<number>();
    for (const entry of entries) (entry.kind === "item" ? items : threads).add(entry.ref_id);
    const upserts: SearchDocument[] = [];
    const removals: string[] = [];
    for (const id of items) {
      const document = this.source.item(id);
      if (document) upserts.push(document);
      else removals.push(`item:${id}`);
    }
    for (const id of threads) {
      // A thread's own document, and only those of its later posts that are new or changed.
      const changes = this.source.threadChanges(id, this.engine.partsOf(`thread:${id}`));
      upserts.push(...changes.upserts);
      removals.push(...changes.removals);
    }
    const sequence = entries.at(-1)!.id;
    this.engine.applyChanges({ upserts, removals, sequence });
    this.lastOutboxId = sequence;
    if (this.engine.deltaSize > this.options.deltaLimit && !this.rebuilding) {
      this.rebuildInWorker().catch((error: unknown) =>
        this.options.log({ level: "error", msg: "search index rebuild failed", error: String(error) }),
      );
    }
  }

  search(request: {
    query: ParsedQuery;
    filters: SearchFilters;
    sort: SearchSort;
    offset: number;
    limit: number;
    visibility?: Visibility;
  }): SearchOutcome {
    return this.engine.search(request);
  }

  /** Waits for a rebuild in progress (tests, scripts). */
  async settled() {
    await this.ready;
    while (this.rebuilding) await this.rebuilding;
  }

  /** Forces a rebuild of the main index now, in the worker unless the library is small. */
  async rebuild({ inWorker }: { inWorker?: boolean } = {}) {
    await this.ready;
    if (inWorker ?? this.source.countDocuments() > this.options.workerThreshold) await this.rebuildInWorker();
    else await this.rebuildHere();
  }

  async stop() {
    this.isStopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.worker?.terminate();
  }
}

declare global {
  // One search service per process, shared by the Remix build and scripts/server.ts.
  var __commonsSearch: SearchService | undefined;
}

function log(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", ...fields })}\n`);
}

/** The process's search service, started on first use. */
export function getSearchService() {
  globalThis.__commonsSearch ??= new SearchService({
    databasePath: getEnv().DATABASE_PATH,
    log: getEnv().NODE_ENV === "test" ? () => {} : log,
  });
  return globalThis.__commonsSearch;
}

export async function stopSearchService() {
  const service = globalThis.__commonsSearch;
  globalThis.__commonsSearch = undefined;
  await service?.stop();
}
