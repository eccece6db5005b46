import lunr from "lunr";

import {
  type AnalysedDocument,
  analyseDocument,
  buildLunrIndex,
  type DocumentFacets,
  type SearchDocument,
  type TermStatistics,
} from "./documents";
import { FACET_NAMES, type FacetCount, type FacetName, type SearchFilters, type SearchSort } from "./facets";
import { hasPositiveWords, type ParsedQuery, type Presence, SEARCH_FIELDS, type SearchField } from "./query-parser";
import { oneEditAway, Vocabulary } from "./vocabulary";

// The in-memory search engine: a main index (immutable Lunr shards, rebuilt off the request path)
// plus a small delta index of documents changed since, which masks their old versions in the main
// shards. Everything a query can make it do is bounded: words, expansions per word, and terms.

export type { SearchFilters, SearchSort };

const PREFIX_EXPANSIONS = 12;
const IMPLICIT_PREFIX_EXPANSIONS = 4;
const TYPO_EXPANSIONS = 3;
const MAX_EXPANDED_TERMS = 48;
const MIN_IMPLICIT_PREFIX_LENGTH = 4;
const MIN_TYPO_LENGTH = 5;
const MAX_TYPO_LENGTH = 24;
const TAG_FACET_LIMIT = 30;

export type LoadedShard = {
  index: lunr.Index;
  refs: string[];
  /** Number of the shard's first document among all documents of the main index. */
  base: number;
  /** "field/term" -> positions in `refs` of documents matched but not scored for the term. */
  tail: Map<string, Int32Array>;
};

// Documents found only through a shard's tail rank after every scored match.
const TAIL_SCORE = 1e-6;

export type MainSnapshot = {
  shards: LoadedShard[];
  facets: Map<string, DocumentFacets>;
  vocabulary: Vocabulary;
  statistics: TermStatistics;
};

type SearchHit = { ref: string; score: number; date: string };

export type SearchOutcome = {
  total: number;
  hits: SearchHit[];
  facets: Record<FacetName, FacetCount[]>;
  /** Index terms the query was expanded to, for highlighting. */
  terms: string[];
};

type ExpandedWord = { presence: Presence; fields: SearchField[]; terms: Array<{ term: string; boost: number }> };

type DeltaEntry = { analysed: AnalysedDocument | null; sequence: number };

function emptySnapshot(): MainSnapshot {
  return {
    shards: [],
    facets: new Map(),
    vocabulary: new Vocabulary([], []),
    statistics: { documentCount: 0, df: {} },
  };
}

export class SearchEngine {
  private main: MainSnapshot = emptySnapshot();
  /** Changed (analysed) or removed (null) documents since the main snapshot, by ref. */
  private delta = new Map<string, DeltaEntry>();
  private deltaIndex: lunr.Index | null = null;
  private deltaVocabulary = new Map<string, number>();
  private facetTable = new FacetTable();
  // Documents are numbered: main-index documents first (shard by shard), then the delta's. Matching
  // works on these numbers and typed arrays, not on string refs and maps: at thousands of matches
  // per query, that bookkeeping cost more than Lunr's scoring.
  private mainRefs: string[] = [];
  private mainNumbers = new Map<string, number>();
  private mainFacets: CompactFacets[] = [];
  private masked = new Uint8Array(0);
  private deltaRefs: string[] = [];
  private deltaNumbers = new Map<string, number>();
  private deltaFacets: CompactFacets[] = [];
  private scratch = { scores: new Float64Array(0), stamps: new Uint32Array(0), stamp: 0 };

  get documentCount() {
    let count = this.main.facets.size;
    for (const [ref, entry] of this.delta) {
      const inMain = this.main.facets.has(ref);
      if (entry.analysed && !inMain) count += 1;
      if (!entry.analysed && inMain) count -= 1;
    }
    return count;
  }

  get deltaSize() {
    return this.delta.size;
  }

  get statistics() {
    return this.main.statistics;
  }

  /** Swaps in a rebuilt main index; changes up to `sequence` are now part of it. */
  replaceMain(snapshot: MainSnapshot, sequence: number) {
    this.main = snapshot;
    this.mainRefs = snapshot.shards.flatMap((shard) => shard.refs);
    this.mainNumbers = new Map(this.mainRefs.map((ref, number) => [ref, number]));
    this.mainFacets = this.mainRefs.map((ref) => this.facetTable.compact(snapshot.facets.get(ref)!));
    for (const [ref, entry] of this.delta) if (entry.sequence <= sequence) this.delta.delete(ref);
    this.rebuildDelta();
  }

  /** Applies documents that were added or changed (`upserts`) or disappeared (`removals`). */
  applyChanges({ upserts, removals, sequence }: { upserts: SearchDocument[]; removals: string[]; sequence: number }) {
    if (upserts.length === 0 && removals.length === 0) return;
    for (const document of upserts) {
      this.delta.set(document.ref, { analysed: analyseDocument(document, this.main.statistics), sequence });
    }
    for (const ref of removals) this.delta.set(ref, { analysed: null, sequence });
    this.rebuildDelta();
  }

  private rebuildDelta() {
    const documents = [...this.delta.values()].flatMap((entry) => (entry.analysed ? [entry.analysed] : []));
    this.deltaIndex = documents.length > 0 ? buildLunrIndex(documents) : null;
    const counts = new Map<string, number>();
    for (const document of documents) {
      const seen = new Set<string>();
      for (const field of SEARCH_FIELDS) for (const term of document.fields[field]) seen.add(term);
      for (const term of seen) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    this.deltaVocabulary = counts;
    this.deltaRefs = documents.map((document) => document.ref);
    const base = this.mainRefs.length;
    this.deltaNumbers = new Map(this.deltaRefs.map((ref, position) => [ref, base + position]));
    this.deltaFacets = documents.map((document) => this.facetTable.compact(document.facets));
    this.masked = new Uint8Array(base);
    for (const ref of this.delta.keys()) {
      const number = this.mainNumbers.get(ref);
      if (number !== undefined) this.masked[number] = 1;
    }
    const total = base + documents.length;
    if (this.scratch.scores.length < total) {
      this.scratch = {
        scores: new Float64Array(total * 1.25 + 64),
        stamps: new Uint32Array(total * 1.25 + 64),
        stamp: 0,
      };
    }
  }

  private refOf(number: number) {
    return number < this.mainRefs.length ? this.mainRefs[number]! : this.deltaRefs[number - this.mainRefs.length]!;
  }

  private compactOf(number: number) {
    return number < this.mainRefs.length ? this.mainFacets[number]! : this.deltaFacets[number - this.mainRefs.length]!;
  }

  private facetsOf(ref: string): DocumentFacets | undefined {
    const entry = this.delta.get(ref);
    if (entry) return entry.analysed?.facets;
    return this.main.facets.get(ref);
  }

  private frequency(term: string) {
    return this.main.vocabulary.frequency(term) + (this.deltaVocabulary.get(term) ?? 0);
  }

  private withPrefix(prefix: string, limit: number) {
    const found = new Set(this.main.vocabulary.withPrefix(prefix, limit));
    for (const term of this.deltaVocabulary.keys()) if (term.startsWith(prefix)) found.add(term);
    return [...found].sort((a, b) => this.frequency(b) - this.frequency(a)).slice(0, limit);
  }

  /** The index terms one query word stands for: its stem, prefix completions and, for a likely typo, near spellings. */
  private expand(query: ParsedQuery): ExpandedWord[] {
    let budget = MAX_EXPANDED_TERMS;
    return query.words.map((word) => {
      const terms = new Map<string, number>();
      const add = (term: string, boost: number) => {
        if (budget <= 0 || this.frequency(term) === 0) return;
        if (!terms.has(term)) budget -= 1;
        terms.set(term, Math.max(boost, terms.get(term) ?? 0));
      };
      if (word.term) add(word.term, 1);
      const isExcluding = word.presence === "prohibited";
      const isKnown = terms.size > 0;
      // A word we do not know may be the start of a longer one ("procurem", or the word still
      // being typed); a known word is matched by its stem, which already covers its other forms.
      const isImplicitPrefix = !isExcluding && word.word.length >= MIN_IMPLICIT_PREFIX_LENGTH && !isKnown;
      if (word.isPrefix || isImplicitPrefix) {
        const limit = word.isPrefix ? PREFIX_EXPANSIONS : IMPLICIT_PREFIX_EXPANSIONS;
        for (const term of this.withPrefix(word.word, limit)) add(term, word.isPrefix ? 0.8 : 0.3);
      }
      if (!isKnown && !isExcluding) {
        // "procurem" is on its way to "procurement", whose index term is the shorter stem "procur".
        for (let length = word.word.length - 1; length >= Math.max(4, word.word.length - 3); length -= 1) {
          add(word.word.slice(0, length), 0.5);
        }
      }
      const hasStrongMatch = [...terms.values()].some((boost) => boost >= 0.5);
      if (
        !hasStrongMatch &&
        !word.isPrefix &&
        !isExcluding &&
        word.word.length >= MIN_TYPO_LENGTH &&
        word.word.length <= MAX_TYPO_LENGTH
      ) {
        const near = new Set<string>();
        for (const spelling of new Set([word.word, word.term ?? word.word])) {
          for (const candidate of oneEditAway(spelling)) if (this.frequency(candidate) > 0) near.add(candidate);
        }
        [...near]
          .sort((a, b) => this.frequency(b) - this.frequency(a))
          .slice(0, TYPO_EXPANSIONS)
          .forEach((term) => add(term, 0.5));
      }
      return {
        presence: word.presence,
        fields: word.field ? [word.field] : [...SEARCH_FIELDS],
        terms: [...terms].map(([term, boost]) => ({ term, boost })),
      };
    });
  }

  search({
    query,
    filters = {},
    sort = "relevance",
    offset = 0,
    limit = 20,
  }: {
    query: ParsedQuery;
    filters?: SearchFilters;
    sort?: SearchSort;
    offset?: number;
    limit?: number;
  }): SearchOutcome {
    const expanded = this.expand(query);
    const positive = expanded.filter((word) => word.presence !== "prohibited");
    const required = expanded.filter((word) => word.presence === "required");
    const prohibited = expanded.filter((word) => word.presence === "prohibited");
    const terms = [...new Set(positive.flatMap((word) => word.terms.map((entry) => entry.term)))];

    const matches = new Matches(this.scratch);
    // A required word that appears nowhere, or no word that appears anywhere: nothing can match.
    // (Lunr itself would treat a query without clauses as "everything".)
    const isImpossible =
      required.some((word) => word.terms.length === 0) || (hasPositiveWords(query) && terms.length === 0);
    if (isImpossible) {
      // No candidates.
    } else if (hasPositiveWords(query)) {
      for (const shard of this.main.shards)
        this.collect(shard, this.mainNumbers, positive, required, prohibited, matches);
      if (this.deltaIndex) {
        const shard = { index: this.deltaIndex, refs: this.deltaRefs, base: this.mainRefs.length, tail: new Map() };
        this.collect(shard, this.deltaNumbers, positive, required, prohibited, matches);
      }
    } else if (prohibited.length > 0 || Object.keys(filters).length > 0) {
      // Only exclusions or only filters: every document is a candidate.
      const excluded = this.documentsWithAny(prohibited);
      const total = this.mainRefs.length + this.deltaRefs.length;
      for (let number = 0; number < total; number += 1) {
        if (number < this.masked.length && this.masked[number]) continue;
        if (!excluded.has(number)) matches.add(number, 0);
      }
    }
    return this.filterAndCount(matches, filters, sort, offset, limit, terms);
  }

  private collect(
    shard: LoadedShard,
    numbers: Map<string, number>,
    positive: ExpandedWord[],
    required: ExpandedWord[],
    prohibited: ExpandedWord[],
    matches: Matches,
  ) {
    const results = shard.index.query((builder) => {
      for (const word of positive) {
        for (const { term, boost } of word.terms) {
          builder.term(term, {
            fields: word.fields,
            boost,
            usePipeline: false,
            wildcard: lunr.Query.wildcard.NONE,
            presence: lunr.Query.presence.OPTIONAL,
          });
        }
      }
    });
    // Required and excluded words are whole groups of terms (a word and its expansions), which
    // Lunr's per-term presence cannot express, so we apply them to its results ourselves.
    const requiredSets = required.map((word) => postingsOf(shard, numbers, word));
    const excluded = new Set<number>();
    for (const word of prohibited) for (const number of postingsOf(shard, numbers, word)) excluded.add(number);
    const isWanted = (number: number) =>
      !(number < this.masked.length && this.masked[number]) &&
      !excluded.has(number) &&
      requiredSets.every((set) => set.has(number));
    for (const result of results) {
      const number = numbers.get(result.ref);
      if (number !== undefined && isWanted(number)) matches.add(number, result.score);
    }
    for (const word of positive) {
      for (const { term, boost } of word.terms) {
        for (const field of word.fields) {
          const positions = shard.tail.get(`${field}/${term}`);
          if (!positions) continue;
          for (const position of positions) {
            const number = shard.base + position;
            if (isWanted(number)) matches.add(number, boost * TAIL_SCORE);
          }
        }
      }
    }
  }

  private documentsWithAny(words: ExpandedWord[]) {
    const found = new Set<number>();
    if (words.length === 0) return found;
    const shards: Array<[LoadedShard, Map<string, number>]> = this.main.shards.map((shard) => [
      shard,
      this.mainNumbers,
    ]);
    if (this.deltaIndex) {
      shards.push([
        { index: this.deltaIndex, refs: this.deltaRefs, base: this.mainRefs.length, tail: new Map() },
        this.deltaNumbers,
      ]);
    }
    for (const [shard, numbers] of shards) {
      for (const word of words) for (const number of postingsOf(shard, numbers, word)) found.add(number);
    }
    return found;
  }

  private filterAndCount(
    matches: Matches,
    filters: SearchFilters,
    sort: SearchSort,
    offset: number,
    limit: number,
    terms: string[],
  ): SearchOutcome {
    const table = this.facetTable;
    const active = FACET_NAMES.flatMap((name) =>
      filters[name] === undefined ? [] : [{ name, id: table.idOf(name, filters[name]) }],
    );
    const counts = new Int32Array(table.size + 1);
    const best = new TopHits(offset + limit, sort);
    let total = 0;
    for (const number of matches.numbers) {
      const facets = this.compactOf(number);
      const score = matches.scoreOf(number);
      let failed = -1;
      let failures = 0;
      for (const filter of active) {
        if (filter.id < 0 || !facets.ids.includes(filter.id)) {
          failures += 1;
          failed = FACET_NAMES.indexOf(filter.name);
          if (failures > 1) break;
        }
      }
      // Each facet's counts honour every other filter, so choosing a value shows what it would give.
      if (failures === 0) {
        total += 1;
        best.offer(number, score, facets.time);
        for (const id of facets.ids) counts[id]! += 1;
      } else if (failures === 1) {
        for (const id of facets.ids) if (table.facetOf(id) === failed) counts[id]! += 1;
      }
    }
    const facetCounts = Object.fromEntries(FACET_NAMES.map((name) => [name, [] as FacetCount[]])) as Record<
      FacetName,
      FacetCount[]
    >;
    counts.forEach((count, id) => {
      if (count > 0) facetCounts[FACET_NAMES[table.facetOf(id)]!].push({ value: table.valueOf(id), count });
    });
    for (const name of FACET_NAMES) {
      facetCounts[name].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      if (name === "tag") facetCounts[name] = facetCounts[name].slice(0, TAG_FACET_LIMIT);
    }
    const hits = best
      .sorted()
      .slice(offset, offset + limit)
      .map(({ number, score }) => {
        const ref = this.refOf(number);
        return { ref, score, date: this.facetsOf(ref)?.date ?? "" };
      });
    return { total, hits, facets: facetCounts, terms };
  }
}

type InvertedIndex = Record<string, Record<string, Record<string, unknown>> | undefined>;

type CompactFacets = { ids: Int32Array; time: number };

/** Facet values as small integers, so counting thousands of matches is array arithmetic. */
class FacetTable {
  private readonly ids = new Map<string, number>();
  private readonly facets: number[] = [-1];
  private readonly values: string[] = [""];

  get size() {
    return this.values.length;
  }

  idOf(name: FacetName, value: string) {
    return this.ids.get(`${name}\u0000${value}`) ?? -1;
  }

  private ensure(name: FacetName, value: string) {
    const key = `${name}\u0000${value}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.facets.push(FACET_NAMES.indexOf(name));
      this.values.push(value);
    }
    return id;
  }

  facetOf(id: number) {
    return this.facets[id] ?? -1;
  }

  valueOf(id: number) {
    return this.values[id] ?? "";
  }

  compact(facets: DocumentFacets): CompactFacets {
    const ids: number[] = [];
    for (const name of FACET_NAMES) for (const value of valuesOf(facets, name)) ids.push(this.ensure(name, value));
    return { ids: Int32Array.from(ids), time: Date.parse(facets.date) || 0 };
  }
}

type RankedHit = { number: number; score: number; time: number };

type Scratch = { scores: Float64Array; stamps: Uint32Array; stamp: number };

/** The documents a query matched, with summed scores, in reusable typed arrays. */
class Matches {
  readonly numbers: number[] = [];
  private readonly stamp: number;

  constructor(private readonly scratch: Scratch) {
    scratch.stamp = (scratch.stamp + 1) >>> 0 || 1;
    this.stamp = scratch.stamp;
  }

  add(number: number, score: number) {
    const { scores, stamps } = this.scratch;
    if (stamps[number] !== this.stamp) {
      stamps[number] = this.stamp;
      scores[number] = score;
      this.numbers.push(number);
    } else {
      scores[number] = scores[number]! + score;
    }
  }

  scoreOf(number: number) {
    return this.scratch.scores[number]!;
  }
}

/** Keeps the best `capacity` hits seen (a binary heap with the worst at the top). */
class TopHits {
  private readonly heap: RankedHit[] = [];

  constructor(
    private readonly capacity: number,
    private readonly sort: SearchSort,
  ) {}

  private isBetter(a: RankedHit, b: RankedHit) {
    if (this.sort === "newest") return a.time !== b.time ? a.time > b.time : a.score > b.score;
    return a.score !== b.score ? a.score > b.score : a.time > b.time;
  }

  offer(number: number, score: number, time: number) {
    if (this.capacity <= 0) return;
    const heap = this.heap;
    const worst = heap[0];
    if (heap.length >= this.capacity && worst) {
      const isNotBetter =
        this.sort === "newest"
          ? time < worst.time || (time === worst.time && score <= worst.score)
          : score < worst.score || (score === worst.score && time <= worst.time);
      if (isNotBetter) return;
    }
    const hit = { number, score, time };
    if (heap.length < this.capacity) {
      heap.push(hit);
      let child = heap.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!this.isBetter(heap[parent]!, heap[child]!)) break;
        [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
        child = parent;
      }
      return;
    }
    if (!this.isBetter(hit, heap[0]!)) return;
    heap[0] = hit;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let worst = parent;
      if (left < heap.length && this.isBetter(heap[worst]!, heap[left]!)) worst = left;
      if (right < heap.length && this.isBetter(heap[worst]!, heap[right]!)) worst = right;
      if (worst === parent) break;
      [heap[parent], heap[worst]] = [heap[worst]!, heap[parent]!];
      parent = worst;
    }
  }

  sorted() {
    return [...this.heap].sort((a, b) => (this.isBetter(a, b) ? -1 : this.isBetter(b, a) ? 1 : 0));
  }
}

function postingsOf(shard: LoadedShard, numbers: Map<string, number>, word: ExpandedWord) {
  const found = new Set<number>();
  for (const { term } of word.terms) {
    const posting = (shard.index as unknown as { invertedIndex: InvertedIndex }).invertedIndex[term];
    for (const field of word.fields) {
      if (posting) {
        for (const ref in posting[field]) {
          const number = numbers.get(ref);
          if (number !== undefined) found.add(number);
        }
      }
      for (const position of shard.tail.get(`${field}/${term}`) ?? []) found.add(shard.base + position);
    }
  }
  return found;
}

function valuesOf(facets: DocumentFacets, name: FacetName): readonly string[] {
  switch (name) {
    case "theme":
      return facets.themes;
    case "tag":
      return facets.tags;
    default: {
      const value = facets[name];
      return value === null ? [] : [value];
    }
  }
}
