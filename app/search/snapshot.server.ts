import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import {
  type AnalysedDocument,
  analyseDocument,
  buildShard,
  type DocumentFacets,
  type SearchDocument,
  type SerialisedShard,
  sampleStatistics,
  type TermStatistics,
} from "./documents";
import type { LoadedShard, MainSnapshot } from "./engine";
import { loadIndex } from "./lunr-index";
import { SEARCH_FIELDS } from "./query-parser";
import { type SerialisedVocabulary, Vocabulary } from "./vocabulary";

// Building the main index as shards of a few thousand documents keeps each Lunr index (and its
// serialised JSON) small: far below V8's string limit at 100k items, and each shard can be loaded
// on the main thread in a short slice, yielding to requests in between.

const SHARD_SIZE = 2_500;
/** Across all shards, how many documents Lunr scores for one term; see buildShard. */
const SCORED_DOCUMENTS_PER_TERM = 400;
const SNAPSHOT_FORMAT = 1;

export type BuiltSnapshot = {
  /** Serialised Lunr indexes. */
  shards: string[];
  facets: Array<[string, DocumentFacets]>;
  vocabulary: SerialisedVocabulary;
  statistics: TermStatistics;
};

export type SnapshotManifest = {
  format: number;
  /** The last search_outbox id whose change the snapshot includes. */
  outboxId: number;
  /** Describes the database content at `outboxId`, to notice a restored or replaced database. */
  signature: string;
  documentCount: number;
  shardCount: number;
  builtAt: string;
};

export type BuildProgress = { documents: number; shards: number };

/** Builds every shard from a stream of documents; the first shard doubles as the statistics sample. */
export function buildSnapshot(
  documents: Iterable<SearchDocument>,
  {
    onProgress,
    shardSize = SHARD_SIZE,
    expectedCount,
  }: { onProgress?: (progress: BuildProgress) => void; shardSize?: number; expectedCount: number },
): BuiltSnapshot {
  const scoredPerTerm = Math.max(
    10,
    Math.ceil((SCORED_DOCUMENTS_PER_TERM * shardSize) / Math.max(shardSize, expectedCount)),
  );
  const shards: string[] = [];
  const facets: Array<[string, DocumentFacets]> = [];
  const frequencies = new Map<string, number>();
  let statistics: TermStatistics | null = null;
  let pending: SearchDocument[] = [];
  let count = 0;

  const flush = () => {
    if (pending.length === 0) return;
    statistics ??= sampleStatistics(pending);
    const analysed: AnalysedDocument[] = pending.map((document) => analyseDocument(document, statistics));
    for (const document of analysed) {
      facets.push([document.ref, document.facets]);
      const seen = new Set<string>();
      for (const field of SEARCH_FIELDS) for (const term of document.fields[field]) seen.add(term);
      for (const term of seen) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    }
    shards.push(JSON.stringify(buildShard(analysed, scoredPerTerm)));
    pending = [];
    onProgress?.({ documents: count, shards: shards.length });
  };

  for (const document of documents) {
    pending.push(document);
    count += 1;
    if (pending.length >= shardSize) flush();
  }
  flush();
  return {
    shards,
    facets,
    vocabulary: Vocabulary.fromCounts(frequencies).toJSON(),
    statistics: statistics ?? { documentCount: 0, df: {} },
  };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Turns a built snapshot into live indexes, one shard per event-loop turn. */
export async function loadSnapshot(built: BuiltSnapshot): Promise<MainSnapshot> {
  const shards: LoadedShard[] = [];
  let base = 0;
  for (const serialised of built.shards) {
    const shard = JSON.parse(serialised) as SerialisedShard;
    shards.push({
      index: loadIndex(shard.index),
      refs: shard.refs,
      base,
      tail: new Map(Object.entries(shard.tail).map(([key, positions]) => [key, Int32Array.from(positions)])),
    });
    base += shard.refs.length;
    await nextTick();
  }
  return {
    shards,
    facets: new Map(built.facets),
    vocabulary: Vocabulary.load(built.vocabulary),
    statistics: built.statistics,
  };
}

export function snapshotDirectory(databasePath: string) {
  return `${databasePath}-search`;
}

/** Writes the snapshot next to the database; the manifest goes last, so a half-written snapshot is never read. */
export function persistSnapshot(
  directory: string,
  built: BuiltSnapshot,
  manifest: Omit<SnapshotManifest, "format" | "shardCount" | "documentCount" | "builtAt">,
) {
  const staging = `${directory}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  built.shards.forEach((shard, position) => writeFileSync(path.join(staging, `shard-${position}.json`), shard));
  writeFileSync(
    path.join(staging, "documents.json"),
    JSON.stringify({ facets: built.facets, vocabulary: built.vocabulary, statistics: built.statistics }),
  );
  const full: SnapshotManifest = {
    ...manifest,
    format: SNAPSHOT_FORMAT,
    shardCount: built.shards.length,
    documentCount: built.facets.length,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(path.join(staging, "manifest.json"), JSON.stringify(full, null, 2));
  // Another server process may be putting its own snapshot in place at the same moment: swap by
  // renames, and if theirs lands first keep it (each is complete, and each process has its own in memory).
  const retired = `${directory}.old-${process.pid}`;
  try {
    renameSync(directory, retired);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
  try {
    renameSync(staging, directory);
  } catch (error) {
    if (errorCode(error) !== "ENOTEMPTY" && errorCode(error) !== "EEXIST") throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(retired, { recursive: true, force: true });
  return full;
}

function errorCode(error: unknown) {
  return (error as NodeJS.ErrnoException).code;
}

export function readManifest(directory: string): SnapshotManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as SnapshotManifest;
    return manifest.format === SNAPSHOT_FORMAT ? manifest : null;
  } catch {
    return null;
  }
}

export function readSnapshot(directory: string, manifest: SnapshotManifest): BuiltSnapshot {
  const rest = JSON.parse(readFileSync(path.join(directory, "documents.json"), "utf8")) as Omit<
    BuiltSnapshot,
    "shards"
  >;
  const shards = Array.from({ length: manifest.shardCount }, (_, position) =>
    readFileSync(path.join(directory, `shard-${position}.json`), "utf8"),
  );
  return { ...rest, shards };
}
