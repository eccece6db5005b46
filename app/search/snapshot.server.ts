import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { parseStoredJson, readStoredJson } from "~/utils/stored-json";

import {
  buildCompactIndex,
  type CompactIndex,
  loadCompactIndex,
  MAX_INDEX_DOCUMENTS,
  serialiseCompactIndex,
} from "./compact-index";
import { type AnalysedDocument, analyseDocument, type DocumentFacets, type SearchDocument } from "./documents";
import { countTerms, type MainShard, type MainSnapshot, vocabularyNumbersOf } from "./engine";
import { SEARCH_FIELDS } from "./query-parser";
import { type SerialisedVocabulary, type TermCounts, Vocabulary } from "./vocabulary";

// The main index is built as shards of a few thousand documents: each is analysed, compacted
// and serialised before the next is read, so building never holds more than one shard's
// uncompacted postings, and each loads in one short slice of the event loop.

const SHARD_SIZE = 2_500;
const SNAPSHOT_FORMAT = 3;

export type BuiltSnapshot = {
  /** Serialised compact indexes (compact-index.ts). */
  shards: Uint8Array[];
  refs: string[];
  facets: DocumentFacets[];
  /** Versions of the parts of threads, by ref (see parts.ts). */
  versions: Array<[string, string]>;
  vocabulary: SerialisedVocabulary;
  averageLengths: number[];
};

const ManifestSchema = z.object({
  format: z.number(),
  /** The last search_outbox id whose change the snapshot includes. */
  outboxId: z.number().int(),
  /** Describes the database content at `outboxId`, to notice a restored or replaced database. */
  signature: z.string(),
  documentCount: z.number().int().nonnegative(),
  shardCount: z.number().int().nonnegative(),
  builtAt: z.string(),
});

export type SnapshotManifest = z.infer<typeof ManifestSchema>;

// The vocabulary's number arrays run to millions of entries: one pass of a plain check, not a
// schema per element, keeps reading a large snapshot from costing more than building it would save.
const integers = z.custom<number[]>(
  (value) => Array.isArray(value) && value.every((entry) => Number.isInteger(entry)),
  "expected an array of integers",
);

const StoredDocumentsSchema = z.object({
  refs: z.array(z.string()),
  facets: z.array(
    z.object({
      kind: z.enum(["item", "discussion"]),
      type: z.string(),
      date: z.string(),
      themes: z.array(z.string()),
      tags: z.array(z.string()),
      organisationType: z.string().nullable(),
      procedure: z.string().nullable(),
      valueBand: z.string().nullable(),
      membersOnlyCommunity: z.number().int().nullable(),
    }),
  ),
  versions: z.array(z.tuple([z.string(), z.string()])),
  vocabulary: z.object({
    terms: z.array(z.string()),
    documents: integers,
    publicDocuments: integers,
    postings: integers,
  }),
  averageLengths: z.array(z.number()),
}) satisfies z.ZodType<Omit<BuiltSnapshot, "shards">>;

export type BuildProgress = { documents: number; shards: number };

/** Builds every shard from a stream of documents, with the corpus-wide counts BM25 needs. */
export function buildSnapshot(
  documents: Iterable<SearchDocument>,
  { onProgress, shardSize = SHARD_SIZE }: { onProgress?: (progress: BuildProgress) => void; shardSize?: number } = {},
): BuiltSnapshot {
  const size = Math.min(shardSize, MAX_INDEX_DOCUMENTS);
  const indexes: CompactIndex[] = [];
  const refs: string[] = [];
  const facets: DocumentFacets[] = [];
  const versions: Array<[string, string]> = [];
  const counts = new Map<string, TermCounts>();
  const lengthTotals = SEARCH_FIELDS.map(() => 0);
  let pending: AnalysedDocument[] = [];

  const flush = () => {
    if (pending.length === 0) return;
    const index = buildCompactIndex(pending, SEARCH_FIELDS.length);
    for (const [term, shardCounts] of countTerms(index, pending)) {
      const total = counts.get(term);
      if (total) {
        total.documents += shardCounts.documents;
        total.publicDocuments += shardCounts.publicDocuments;
        total.postings += shardCounts.postings;
      } else counts.set(term, shardCounts);
    }
    index.lengths.forEach((lengths, field) => {
      for (const length of lengths) lengthTotals[field]! += length;
    });
    indexes.push(index);
    pending = [];
    onProgress?.({ documents: refs.length, shards: indexes.length });
  };

  for (const document of documents) {
    const analysed = analyseDocument(document);
    pending.push(analysed);
    refs.push(analysed.ref);
    facets.push(analysed.facets);
    if (analysed.version !== null) versions.push([analysed.ref, analysed.version]);
    if (pending.length >= size) flush();
  }
  flush();
  const vocabulary = Vocabulary.fromCounts(counts);
  return {
    // Serialised once the whole vocabulary is known, so that each shard names its terms by number.
    shards: indexes.map((index) => serialiseCompactIndex(index, vocabularyNumbersOf(index, vocabulary))),
    refs,
    facets,
    versions,
    vocabulary: vocabulary.toJSON(),
    averageLengths: lengthTotals.map((total) => (refs.length > 0 ? total / refs.length : 0)),
  };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Turns a built snapshot into live indexes, one shard per event-loop turn. */
export async function loadSnapshot(built: BuiltSnapshot): Promise<MainSnapshot> {
  const vocabulary = Vocabulary.load(built.vocabulary);
  const shards: MainShard[] = [];
  let base = 0;
  for (const bytes of built.shards) {
    const { index, vocabularyNumbers } = loadCompactIndex(bytes);
    shards.push({ index, base, vocabularyNumbers: vocabularyNumbers ?? vocabularyNumbersOf(index, vocabulary) });
    // The main vocabulary holds the strings; each shard finds terms by number.
    index.forgetTerms();
    base += index.documentCount;
    await nextTick();
  }
  return {
    shards,
    refs: built.refs,
    facets: built.facets,
    versions: new Map(built.versions),
    vocabulary,
    averageLengths: built.averageLengths,
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
  built.shards.forEach((shard, position) => writeFileSync(path.join(staging, `shard-${position}.bin`), shard));
  writeFileSync(
    path.join(staging, "documents.json"),
    JSON.stringify({
      refs: built.refs,
      facets: built.facets,
      versions: built.versions,
      vocabulary: built.vocabulary,
      averageLengths: built.averageLengths,
    }),
  );
  const full: SnapshotManifest = {
    ...manifest,
    format: SNAPSHOT_FORMAT,
    shardCount: built.shards.length,
    documentCount: built.refs.length,
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
    const manifest = readStoredJson(ManifestSchema, readFileSync(path.join(directory, "manifest.json"), "utf8"));
    return manifest?.format === SNAPSHOT_FORMAT ? manifest : null;
  } catch {
    return null;
  }
}

export function readSnapshot(directory: string, manifest: SnapshotManifest): BuiltSnapshot {
  const rest = parseStoredJson(
    StoredDocumentsSchema,
    readFileSync(path.join(directory, "documents.json"), "utf8"),
    `The search snapshot's documents in ${directory}`,
  );
  const shards = Array.from({ length: manifest.shardCount }, (_, position) =>
    readFileSync(path.join(directory, `shard-${position}.bin`)),
  );
  return { ...rest, shards };
}
