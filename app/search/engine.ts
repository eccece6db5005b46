import lunr from "lunr";

import { buildCompactIndex, type CompactIndex, fieldNorm, lunrIdf, termWeight } from "./compact-index";
import {
  type AnalysedDocument,
  analyseDocument,
  type DocumentFacets,
  FIELD_BOOST_LIST,
  type SearchDocument,
} from "./documents";
import { FACET_NAMES, type FacetCount, type FacetName, type SearchFilters, type SearchSort } from "./facets";
import { threadOfPart } from "./parts";
import { hasPositiveWords, type ParsedQuery, type Presence, type QueryWord, SEARCH_FIELDS } from "./query-parser";
import { isOneEdit, type TermCounts, Vocabulary } from "./vocabulary";

// The in-memory search engine: a main index (compact shards with full postings, rebuilt off the
// request path) plus a small delta index of documents changed since, which masks their old
// versions in the main shards. A query is Lunr's query model (clauses of terms with fields and
// boosts) scored with Lunr's BM25 over corpus-wide statistics, plus what Lunr cannot say: a
// word's several spellings as one clause, phrases, other names, and who may see what. Everything
// a query can make it do is bounded: words, expansions per word, and terms.

export type { SearchFilters, SearchSort };

const PREFIX_EXPANSIONS = 12;
const IMPLICIT_PREFIX_EXPANSIONS = 4;
const TYPO_EXPANSIONS = 3;
const MAX_EXPANDED_TERMS = 48;
const MIN_IMPLICIT_PREFIX_LENGTH = 4;
const MIN_TYPO_LENGTH = 5;
const MAX_TYPO_LENGTH = 24;
const TAG_FACET_LIMIT = 30;
/** Another name for what was typed counts a little less than the words themselves. */
const SYNONYM_BOOST = 0.8;
const FIELD_COUNT = SEARCH_FIELDS.length;
const ALL_FIELDS = SEARCH_FIELDS.map((_, field) => field);

/** Who is searching: everyone sees public documents; members also their members-only communities'. */
export type Visibility = { isEverything: boolean; communities: ReadonlySet<number> };
export const PUBLIC_ONLY: Visibility = { isEverything: false, communities: new Set() };

export type MainShard = {
  index: CompactIndex;
  /** Number of the shard's first document among all documents of the main index. */
  base: number;
  /** The main vocabulary's number for each of the shard's terms (ascending, like the terms). */
  vocabularyNumbers: Uint32Array;
};

export type MainSnapshot = {
  shards: MainShard[];
  refs: string[];
  facets: DocumentFacets[];
  /** Versions of the parts of threads (later posts indexed on their own), by ref. */
  versions: Map<string, string>;
  vocabulary: Vocabulary;
  /** Lunr's average field length, per field, over the main index. */
  averageLengths: number[];
};

/** A document found; for a thread found by a later post, `ref` is the thread and `part` that post's document. */
export type SearchHit = { ref: string; score: number; part: string | null };

/** What to mark in titles and snippets: words on their own, and phrases only where they stand together. */
export type Highlighting = { terms: string[]; phrases: Array<{ terms: string[]; offsets: number[] }> };

export type SearchOutcome = {
  total: number;
  hits: SearchHit[];
  facets: Record<FacetName, FacetCount[]>;
  highlighting: Highlighting;
};

type Slot = { term: string; offset: number };

type PlannedClause = {
  presence: Presence;
  fields: number[];
  bit: number;
  /** One-word forms: each term it may be, with its boost. */
  terms: Map<string, number>;
  phrases: Array<{ slots: Slot[]; boost: number }>;
};

/** One term in one field: scored (factor > 0) and/or marking the clauses it satisfies (bits). */
type TermWork = { term: string; field: number; factor: number; idf: number; bits: number };

type Plan = {
  clauses: PlannedClause[];
  work: TermWork[];
  /** Per clause typed (not another name), the bits that satisfy it: its own and its other names'. */
  coordination: number[];
  positiveBits: number;
  requiredBits: number;
  prohibitedBits: number;
  isImpossible: boolean;
  highlighting: Highlighting;
};

type DeltaEntry = { analysed: AnalysedDocument | null; sequence: number };

/** A document answers the query when it satisfies any of `any` (if set), all of `all`, none of `none`. */
type Selection = { any: number; all: number; none: number };

function emptySnapshot(): MainSnapshot {
  return {
    shards: [],
    refs: [],
    facets: [],
    versions: new Map(),
    vocabulary: Vocabulary.fromCounts(new Map()),
    averageLengths: SEARCH_FIELDS.map(() => 0),
  };
}

/** The main index's numbers of a shard's terms, so a query term is found by number, not by string. */
export function vocabularyNumbersOf(index: CompactIndex, vocabulary: Vocabulary) {
  return Uint32Array.from(index.terms, (term) => vocabulary.numberOf(term));
}

export class SearchEngine {
  private main: MainSnapshot = emptySnapshot();
  /** Changed (analysed) or removed (null) documents since the main snapshot, by ref. */
  private delta = new Map<string, DeltaEntry>();
  private deltaIndex: CompactIndex | null = null;
  private deltaCounts = new Map<string, TermCounts>();
  private facetTable = new FacetTable();
  // Documents are numbered: main-index documents first (shard by shard), then the delta's. Matching
  // works on these numbers and typed arrays, not on string refs and maps: at thousands of matches
  // per query, that bookkeeping costs more than the scoring.
  private mainNumbers = new Map<string, number>();
  private mainFacets = FacetColumns.empty();
  private mainCommunities = new Int32Array(0);
  private mainNorms: Float64Array[] = [];
  private masked = new Uint8Array(0);
  private deltaRefs: string[] = [];
  private deltaFacets = FacetColumns.empty();
  private deltaCommunities = new Int32Array(0);
  private deltaNorms: Float64Array[] = [];
  private averages: number[] = SEARCH_FIELDS.map(() => 0);
  private liveCount = 0;
  private hasMembersOnly = false;
  // A thread and its parts are one group, found and counted once (at its best-matching document).
  private groupNumbers = new Map<string, number>();
  private mainGroups = new Int32Array(0);
  private deltaGroups = new Int32Array(0);
  private mainParts = new Map<string, string[]>();
  private groupScratch = { best: new Float64Array(0), stamps: new Uint32Array(0), taken: new Uint32Array(0), stamp: 0 };
  private scratch = new Scratch(0);
  private positionBuffers: Int32Array[] = [new Int32Array(64), new Int32Array(64)];
  private static engines = 0;
  private readonly instance = (SearchEngine.engines += 1);
  private generation = 0;

  /** Changes with every change to what the engine holds (and between engines), so cached results can tell they are stale. */
  get version() {
    return `${this.instance}.${this.generation}`;
  }

  get documentCount() {
    return this.liveCount;
  }

  get deltaSize() {
    return this.delta.size;
  }

  /** Swaps in a rebuilt main index; changes up to `sequence` are now part of it. */
  replaceMain(snapshot: MainSnapshot, sequence: number) {
    this.main = snapshot;
    this.mainNumbers = new Map(snapshot.refs.map((ref, number) => [ref, number]));
    this.facetTable = new FacetTable();
    this.mainFacets = FacetColumns.of(snapshot.facets, this.facetTable);
    this.mainCommunities = Int32Array.from(snapshot.facets, (facets) => facets.membersOnlyCommunity ?? 0);
    this.groupNumbers = new Map();
    this.mainGroups = Int32Array.from(snapshot.refs, (ref) => this.groupNumberOf(ref));
    this.mainParts = new Map();
    for (const ref of snapshot.versions.keys()) {
      const group = threadOfPart(ref);
      if (!group) continue;
      const parts = this.mainParts.get(group);
      if (parts) parts.push(ref);
      else this.mainParts.set(group, [ref]);
    }
    this.mainNorms = ALL_FIELDS.map(() => new Float64Array(snapshot.refs.length));
    for (const shard of snapshot.shards) {
      ALL_FIELDS.forEach((field) => {
        const lengths = shard.index.lengths[field]!;
        const norms = this.mainNorms[field]!;
        for (let document = 0; document < lengths.length; document += 1) {
          norms[shard.base + document] = fieldNorm(lengths[document]!, snapshot.averageLengths[field]!);
        }
      });
    }
    for (const [ref, entry] of this.delta) if (entry.sequence <= sequence) this.delta.delete(ref);
    this.rebuildDelta();
  }

  /** Applies documents that were added or changed (`upserts`) or disappeared (`removals`). */
  applyChanges({ upserts, removals, sequence }: { upserts: SearchDocument[]; removals: string[]; sequence: number }) {
    if (upserts.length === 0 && removals.length === 0) return;
    for (const document of upserts) this.delta.set(document.ref, { analysed: analyseDocument(document), sequence });
    for (const ref of removals) this.delta.set(ref, { analysed: null, sequence });
    this.rebuildDelta();
  }

  private rebuildDelta() {
    const documents = [...this.delta.values()].flatMap((entry) => (entry.analysed ? [entry.analysed] : []));
    this.deltaIndex = documents.length > 0 ? buildCompactIndex(documents, FIELD_COUNT) : null;
    this.deltaCounts = this.deltaIndex ? countTerms(this.deltaIndex, documents) : new Map<string, TermCounts>();
    this.deltaRefs = documents.map((document) => document.ref);
    this.deltaFacets = FacetColumns.of(
      documents.map((document) => document.facets),
      this.facetTable,
    );
    this.deltaCommunities = Int32Array.from(documents, (document) => document.facets.membersOnlyCommunity ?? 0);
    this.deltaGroups = Int32Array.from(documents, (document) => this.groupNumberOf(document.ref));
    const groups = this.groupNumbers.size;
    if (this.groupScratch.best.length < groups) {
      const capacity = Math.ceil(groups * 1.25) + 64;
      this.groupScratch = {
        best: new Float64Array(capacity),
        stamps: new Uint32Array(capacity),
        taken: new Uint32Array(capacity),
        stamp: 0,
      };
    }
    const mainCount = this.main.refs.length;
    this.masked = new Uint8Array(mainCount);
    let removed = 0;
    for (const ref of this.delta.keys()) {
      const number = this.mainNumbers.get(ref);
      if (number !== undefined) {
        this.masked[number] = 1;
        removed += 1;
      }
    }
    this.liveCount = mainCount - removed + documents.length;
    this.hasMembersOnly =
      this.mainCommunities.some((community) => community !== 0) ||
      this.deltaCommunities.some((community) => community !== 0);
    this.averages =
      mainCount > 0 || !this.deltaIndex
        ? this.main.averageLengths
        : this.deltaIndex.lengths.map((lengths) => lengths.reduce((sum, length) => sum + length, 0) / lengths.length);
    this.deltaNorms = ALL_FIELDS.map((field) =>
      Float64Array.from(this.deltaIndex?.lengths[field] ?? [], (length) => fieldNorm(length, this.averages[field]!)),
    );
    this.scratch.ensure(mainCount + documents.length);
    this.generation += 1;
  }

  /** The group of a thread's documents (its own and its parts'), or -1 for anything else. */
  private groupNumberOf(ref: string) {
    if (!ref.startsWith("thread:")) return -1;
    const group = threadOfPart(ref) ?? ref;
    let number = this.groupNumbers.get(group);
    if (number === undefined) {
      number = this.groupNumbers.size;
      this.groupNumbers.set(group, number);
    }
    return number;
  }

  private groupOf(number: number) {
    const mainCount = this.main.refs.length;
    return number < mainCount ? this.mainGroups[number]! : this.deltaGroups[number - mainCount]!;
  }

  /** The parts of a thread the engine holds now, with their versions: what a re-read can skip. */
  partsOf(thread: string): Map<string, string> {
    const parts = new Map<string, string>();
    for (const ref of this.mainParts.get(thread) ?? []) {
      if (!this.delta.has(ref)) parts.set(ref, this.main.versions.get(ref)!);
    }
    for (const [ref, entry] of this.delta) {
      if (entry.analysed?.version && threadOfPart(ref) === thread) parts.set(ref, entry.analysed.version);
    }
    return parts;
  }

  private refOf(number: number) {
    const mainCount = this.main.refs.length;
    return number < mainCount ? this.main.refs[number]! : this.deltaRefs[number - mainCount]!;
  }

  private isVisible(number: number, visibility: Visibility) {
    const mainCount = this.main.refs.length;
    const community = number < mainCount ? this.mainCommunities[number]! : this.deltaCommunities[number - mainCount]!;
    return community === 0 || visibility.isEverything || visibility.communities.has(community);
  }

  private countsOf(term: string): TermCounts {
    const main = this.main.vocabulary.countsOf(this.main.vocabulary.numberOf(term));
    const delta = this.deltaCounts.get(term);
    if (!delta) return main;
    return {
      documents: main.documents + delta.documents,
      publicDocuments: main.publicDocuments + delta.publicDocuments,
      postings: main.postings + delta.postings,
    };
  }

  /**
   * How many documents the viewer may find that use the term: 0 means the term is unknown to
   * them. A word used only in members-only communities is unknown to everyone else, so that
   * whether it is "corrected" says nothing about what those communities discuss.
   */
  private frequencyFor(term: string, visibility: Visibility) {
    const counts = this.countsOf(term);
    if (visibility.isEverything) return counts.documents;
    const restricted = counts.documents - counts.publicDocuments;
    if (restricted === 0 || visibility.communities.size === 0) return counts.publicDocuments;
    if (counts.publicDocuments > 0) return counts.documents;
    return this.visibleRestrictedDocuments(term, visibility);
  }

  private visibleRestrictedDocuments(term: string, visibility: Visibility) {
    const seen = new Set<number>();
    this.forEachPosting(term, ALL_FIELDS, (number) => {
      if (this.isVisible(number, visibility)) seen.add(number);
    });
    return seen.size;
  }

  private forEachPosting(
    term: string,
    fields: readonly number[],
    visit: (number: number, index: CompactIndex, posting: number, field: number) => void,
  ) {
    const vocabularyNumber = this.main.vocabulary.numberOf(term);
    if (vocabularyNumber >= 0) {
      for (const shard of this.main.shards) {
        const local = localNumber(shard.vocabularyNumbers, vocabularyNumber);
        if (local < 0) continue;
        for (const field of fields) {
          const { offsets, documents } = shard.index.fields[field]!;
          for (let posting = offsets[local]!; posting < offsets[local + 1]!; posting += 1) {
            const number = shard.base + documents[posting]!;
            if (this.masked[number] !== 1) visit(number, shard.index, posting, field);
          }
        }
      }
    }
    const delta = this.deltaIndex;
    if (delta) {
      const local = delta.termNumber(term);
      if (local < 0) return;
      const base = this.main.refs.length;
      for (const field of fields) {
        const { offsets, documents } = delta.fields[field]!;
        for (let posting = offsets[local]!; posting < offsets[local + 1]!; posting += 1) {
          visit(base + documents[posting]!, delta, posting, field);
        }
      }
    }
  }

  private withPrefix(prefix: string, limit: number, visibility: Visibility) {
    const found = new Set(this.main.vocabulary.withPrefix(prefix));
    for (const term of this.deltaCounts.keys()) if (term.startsWith(prefix)) found.add(term);
    return [...found]
      .map((term) => ({ term, frequency: this.frequencyFor(term, visibility) }))
      .filter((entry) => entry.frequency > 0)
      .sort((a, b) => b.frequency - a.frequency || (a.term < b.term ? -1 : 1))
      .slice(0, limit)
      .map((entry) => entry.term);
  }

  private oneEditFrom(word: string) {
    const found = this.main.vocabulary.oneEditFrom(word);
    for (const term of this.deltaCounts.keys()) {
      if (Math.abs(term.length - word.length) <= 1 && isOneEdit(word, term)) found.push(term);
    }
    return found;
  }

  /** The terms one typed word stands for: its stem, prefix completions and, for a likely typo, near spellings. */
  private expandWord(
    word: QueryWord,
    presence: Presence,
    add: (term: string, boost: number) => void,
    strongest: () => number,
    visibility: Visibility,
  ) {
    if (word.term) add(word.term, 1);
    const isExcluding = presence === "prohibited";
    const isKnown = strongest() > 0;
    // A word we do not know may be the start of a longer one ("procurem", or the word still
    // being typed); a known word is matched by its stem, which already covers its other forms.
    const isImplicitPrefix = !isExcluding && word.word.length >= MIN_IMPLICIT_PREFIX_LENGTH && !isKnown;
    if (word.isPrefix || isImplicitPrefix) {
      const limit = word.isPrefix ? PREFIX_EXPANSIONS : IMPLICIT_PREFIX_EXPANSIONS;
      for (const term of this.withPrefix(word.word, limit, visibility)) add(term, word.isPrefix ? 0.8 : 0.3);
    }
    if (!isKnown && !isExcluding && !word.isPrefix) {
      // "procurem" is on its way to "procurement", whose index term is the shorter stem "procur".
      for (let length = word.word.length - 1; length >= Math.max(4, word.word.length - 3); length -= 1) {
        add(word.word.slice(0, length), 0.5);
      }
    }
    // A typo is only ever assumed for a word that nothing the viewer may see uses.
    if (
      !isKnown &&
      strongest() < 0.5 &&
      !word.isPrefix &&
      !isExcluding &&
      word.word.length >= MIN_TYPO_LENGTH &&
      word.word.length <= MAX_TYPO_LENGTH
    ) {
      const near = new Map<string, number>();
      for (const spelling of new Set([word.word, word.term ?? word.word])) {
        for (const candidate of this.oneEditFrom(spelling)) {
          if (near.has(candidate)) continue;
          const frequency = this.frequencyFor(candidate, visibility);
          if (frequency > 0) near.set(candidate, frequency);
        }
      }
      [...near]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, TYPO_EXPANSIONS)
        .forEach(([term]) => add(term, 0.5));
    }
  }

  /** Turns the parsed query into clauses of concrete terms and the per-term work to do. */
  private plan(query: ParsedQuery, visibility: Visibility): Plan {
    let budget = MAX_EXPANDED_TERMS;
    const clauses = query.clauses.map<PlannedClause>((clause, index) => {
      const planned: PlannedClause = {
        presence: clause.presence,
        fields: clause.field ? [SEARCH_FIELDS.indexOf(clause.field)] : ALL_FIELDS,
        bit: 2 ** index,
        terms: new Map(),
        phrases: [],
      };
      const isKnown = (term: string) => this.frequencyFor(term, visibility) > 0;
      for (const form of clause.forms) {
        const boost = form.isSynonym ? SYNONYM_BOOST : 1;
        const words = form.words.filter((word) => word.term !== null || word.isPrefix);
        if (words.length === 1 && !form.isSynonym && words[0]!.phrase === null) {
          const word = words[0]!;
          let strongest = 0;
          this.expandWord(
            word,
            clause.presence,
            (term, termBoost) => {
              if (budget <= 0 || !isKnown(term)) return;
              if (!planned.terms.has(term)) budget -= 1;
              planned.terms.set(term, Math.max(termBoost, planned.terms.get(term) ?? 0));
              strongest = Math.max(strongest, termBoost);
            },
            () => strongest,
            visibility,
          );
        } else if (words.length === 1) {
          const term = words[0]!.term;
          if (term && budget > 0 && isKnown(term)) {
            if (!planned.terms.has(term)) budget -= 1;
            planned.terms.set(term, Math.max(boost, planned.terms.get(term) ?? 0));
          }
        } else if (words.length > 1 && words.every((word) => word.term !== null && isKnown(word.term))) {
          if (budget < words.length) continue;
          budget -= words.length;
          const first = words[0]!.offset;
          planned.phrases.push({
            slots: words.map((word) => ({ term: word.term!, offset: word.offset - first })),
            boost,
          });
        }
      }
      return planned;
    });

    // Lunr's query model: a clause per term, for the clause's fields, with its boost. Its query
    // vectors (per field, boosts added up by term) are what Lunr divides a document's score by.
    const lunrQuery = new lunr.Query([...SEARCH_FIELDS]);
    for (const clause of clauses) {
      if (clause.presence === "prohibited") continue;
      const fields = clause.fields.map((field) => SEARCH_FIELDS[field]!);
      const entries = [
        ...clause.terms,
        ...clause.phrases.flatMap((phrase) => phrase.slots.map((slot) => [slot.term, phrase.boost] as const)),
      ];
      for (const [term, boost] of entries) {
        lunrQuery.term(term, {
          fields,
          boost,
          usePipeline: false,
          wildcard: lunr.Query.wildcard.NONE,
          presence: lunr.Query.presence.OPTIONAL,
        });
      }
    }
    const vectors = ALL_FIELDS.map(() => new Map<string, number>());
    for (const clause of lunrQuery.clauses) {
      for (const name of clause.fields ?? SEARCH_FIELDS) {
        const vector = vectors[SEARCH_FIELDS.indexOf(name as (typeof SEARCH_FIELDS)[number])]!;
        vector.set(clause.term, (vector.get(clause.term) ?? 0) + (clause.boost ?? 1));
      }
    }
    const work = new Map<string, TermWork>();
    const workFor = (term: string, field: number) => {
      const key = `${field}\u0000${term}`;
      let entry = work.get(key);
      if (!entry) {
        const idf = lunrIdf(this.countsOf(term).postings, this.liveCount);
        work.set(key, (entry = { term, field, factor: 0, idf, bits: 0 }));
      }
      return entry;
    };
    vectors.forEach((vector, field) => {
      const magnitude = Math.sqrt([...vector.values()].reduce((sum, boost) => sum + boost * boost, 0));
      for (const [term, boost] of vector) workFor(term, field).factor = boost / magnitude;
    });
    for (const clause of clauses) {
      for (const term of clause.terms.keys())
        for (const field of clause.fields) workFor(term, field).bits |= clause.bit;
    }

    const coordination = query.clauses.flatMap((clause, index) =>
      clause.standsFor || clause.presence === "prohibited" ? [] : [clauses[index]!.bit],
    );
    query.clauses.forEach((clause, index) => {
      for (const typed of clause.standsFor ?? []) {
        const position = coordination.indexOf(clauses[typed]!.bit);
        if (position >= 0) coordination[position]! |= clauses[index]!.bit;
      }
    });

    const bitsWhere = (test: (clause: PlannedClause) => boolean) =>
      clauses.reduce((bits, clause) => (test(clause) ? bits | clause.bit : bits), 0);
    const isEmpty = (clause: PlannedClause) => clause.terms.size === 0 && clause.phrases.length === 0;
    const positive = clauses.filter((clause) => clause.presence !== "prohibited");
    // A required word that appears nowhere, or no word that appears anywhere: nothing can match.
    const isImpossible =
      positive.some((clause) => clause.presence === "required" && isEmpty(clause)) ||
      (hasPositiveWords(query) && positive.every(isEmpty));
    return {
      clauses,
      work: [...work.values()],
      coordination,
      positiveBits: bitsWhere((clause) => clause.presence !== "prohibited"),
      requiredBits: bitsWhere((clause) => clause.presence === "required"),
      prohibitedBits: bitsWhere((clause) => clause.presence === "prohibited"),
      isImpossible,
      highlighting: {
        terms: [...new Set(positive.flatMap((clause) => [...clause.terms.keys()]))],
        phrases: positive.flatMap((clause) =>
          clause.phrases.map((phrase) => ({
            terms: phrase.slots.map((slot) => slot.term),
            offsets: phrase.slots.map((slot) => slot.offset),
          })),
        ),
      },
    };
  }

  search({
    query,
    filters = {},
    sort = "relevance",
    offset = 0,
    limit = 20,
    visibility = PUBLIC_ONLY,
  }: {
    query: ParsedQuery;
    filters?: SearchFilters;
    sort?: SearchSort;
    offset?: number;
    limit?: number;
    visibility?: Visibility;
  }): SearchOutcome {
    const plan = this.plan(query, visibility);
    const matches = this.scratch.begin();
    // Which documents among those touched answer the query, by the clauses they satisfy.
    let wanted: Selection | null = null;
    if (plan.isImpossible) {
      // Nothing can match.
    } else if (hasPositiveWords(query)) {
      this.collect(plan, matches);
      wanted = { any: plan.positiveBits, all: plan.requiredBits, none: plan.prohibitedBits };
    } else if (plan.prohibitedBits !== 0 || Object.keys(filters).length > 0) {
      // Only exclusions or only filters: every document is a candidate.
      this.collect(plan, matches);
      const total = this.main.refs.length + this.deltaRefs.length;
      for (let number = 0; number < total; number += 1) {
        if (number < this.masked.length && this.masked[number] === 1) continue;
        matches.add(number, 0, 0);
      }
      wanted = { any: 0, all: 0, none: plan.prohibitedBits };
    }
    return this.filterAndCount(
      matches,
      wanted,
      plan.coordination,
      visibility,
      filters,
      sort,
      offset,
      limit,
      plan.highlighting,
    );
  }

  /** Scores every posting of the query's terms and marks which clauses each document satisfies. */
  private collect(plan: Plan, matches: Matches) {
    const mainCount = this.main.refs.length;
    for (const item of plan.work) {
      const fieldBoost = FIELD_BOOST_LIST[item.field]!;
      const vocabularyNumber = this.main.vocabulary.numberOf(item.term);
      if (vocabularyNumber >= 0) {
        const norms = this.mainNorms[item.field]!;
        for (const shard of this.main.shards) {
          const local = localNumber(shard.vocabularyNumbers, vocabularyNumber);
          if (local >= 0)
            scorePostings(shard.index, item, local, shard.base, this.masked, norms, shard.base, fieldBoost, matches);
        }
      }
      const delta = this.deltaIndex;
      if (delta) {
        const local = delta.termNumber(item.term);
        if (local >= 0)
          scorePostings(delta, item, local, mainCount, null, this.deltaNorms[item.field]!, 0, fieldBoost, matches);
      }
    }
    for (const clause of plan.clauses) {
      for (const phrase of clause.phrases) {
        for (const field of clause.fields) this.matchPhrase(phrase.slots, field, clause.bit, matches);
      }
    }
  }

  /** Marks the documents where the phrase's terms stand together, in order, in `field`. */
  private matchPhrase(slots: Slot[], field: number, bit: number, matches: Matches) {
    const numbers = slots.map((slot) => this.main.vocabulary.numberOf(slot.term));
    const indexes: Array<{ index: CompactIndex; base: number; locals: number[]; masked: Uint8Array | null }> = [];
    for (const shard of this.main.shards) {
      const locals = numbers.map((number) => (number < 0 ? -1 : localNumber(shard.vocabularyNumbers, number)));
      if (!locals.includes(-1)) indexes.push({ index: shard.index, base: shard.base, locals, masked: this.masked });
    }
    if (this.deltaIndex) {
      const delta = this.deltaIndex;
      const locals = slots.map((slot) => delta.termNumber(slot.term));
      if (!locals.includes(-1)) indexes.push({ index: delta, base: this.main.refs.length, locals, masked: null });
    }
    const found = new Int32Array(slots.length);
    const cursors = new Int32Array(slots.length);
    const ends = new Int32Array(slots.length);
    for (const { index, base, locals, masked } of indexes) {
      const { offsets, documents } = index.fields[field]!;
      // Walk the rarest term's postings; find each document in the others' by galloping search.
      let lead = 0;
      for (let slot = 0; slot < slots.length; slot += 1) {
        cursors[slot] = offsets[locals[slot]!]!;
        ends[slot] = offsets[locals[slot]! + 1]!;
        if (ends[slot]! - cursors[slot]! < ends[lead]! - cursors[lead]!) lead = slot;
      }
      candidates: for (let posting = cursors[lead]!; posting < ends[lead]!; posting += 1) {
        const document = documents[posting]!;
        if (masked !== null && masked[base + document] === 1) continue;
        // Already found in another field: nothing more to learn here.
        if (matches.has(base + document, bit)) continue;
        for (let slot = 0; slot < slots.length; slot += 1) {
          if (slot === lead) {
            found[slot] = posting;
            continue;
          }
          const at = seek(documents, cursors[slot]!, ends[slot]!, document);
          cursors[slot] = at;
          if (at >= ends[slot]! || documents[at] !== document) continue candidates;
          found[slot] = at;
        }
        if (this.standTogether(index, field, slots, found)) matches.mark(base + document, bit);
      }
    }
  }

  /** Whether some position of the first slot's term has each other slot's term at its offset. */
  private standTogether(index: CompactIndex, field: number, slots: Slot[], postings: Int32Array) {
    let starts = this.positionBuffers[0]!;
    let count = index.positionsInto(field, postings[0]!, starts);
    if (count < 0) {
      starts = this.positionBuffers[0] = new Int32Array(-count * 2);
      count = index.positionsInto(field, postings[0]!, starts);
    }
    for (let slot = 1; slot < slots.length && count > 0; slot += 1) {
      let next = this.positionBuffers[1]!;
      let nextCount = index.positionsInto(field, postings[slot]!, next);
      if (nextCount < 0) {
        next = this.positionBuffers[1] = new Int32Array(-nextCount * 2);
        nextCount = index.positionsInto(field, postings[slot]!, next);
      }
      // Keep the starts whose word at this slot's offset is this slot's term (both lists ascend).
      const gap = slots[slot]!.offset;
      let kept = 0;
      let cursor = 0;
      for (let entry = 0; entry < count; entry += 1) {
        const wanted = starts[entry]! + gap;
        while (cursor < nextCount && next[cursor]! < wanted) cursor += 1;
        if (cursor < nextCount && next[cursor] === wanted) starts[kept++] = starts[entry]!;
      }
      count = kept;
    }
    return count > 0;
  }

  private filterAndCount(
    matches: Matches,
    wanted: Selection | null,
    coordination: number[],
    visibility: Visibility,
    filters: SearchFilters,
    sort: SearchSort,
    offset: number,
    limit: number,
    highlighting: Highlighting,
  ): SearchOutcome {
    const table = this.facetTable;
    const active = FACET_NAMES.flatMap((name) =>
      filters[name] === undefined ? [] : [{ name, id: table.idOf(name, filters[name]) }],
    );
    const counts = new Int32Array(table.size + 1);
    const best = new TopHits(offset + limit, sort);
    let total = 0;
    const numbers = matches.numbers;
    const count = wanted ? matches.count : 0;
    const { any = 0, all = 0, none = 0 } = wanted ?? {};
    const checksVisibility = this.hasMembersOnly && !visibility.isEverything;
    const mainCount = this.main.refs.length;
    const { mainFacets, deltaFacets } = this;
    const isCoordinated = coordination.length > 1;
    const isWanted = (number: number, bits: number) =>
      !((any !== 0 && (bits & any) === 0) || (bits & all) !== all || (bits & none) !== 0) &&
      !(checksVisibility && !this.isVisible(number, visibility));
    const scoreOf = (number: number, bits: number) =>
      matches.scoreOf(number) * (isCoordinated ? coordinationOf(bits, coordination) : 1);
    // A thread counts once, at its best-matching document: first find each group's best score.
    const groups = this.groupScratch;
    groups.stamp = (groups.stamp + 1) >>> 0 || 1;
    const stamp = groups.stamp;
    if (this.groupNumbers.size > 0) {
      for (let position = 0; position < count; position += 1) {
        const number = numbers[position]!;
        const group = this.groupOf(number);
        if (group < 0) continue;
        const bits = matches.bitsOf(number);
        if (!isWanted(number, bits)) continue;
        const score = scoreOf(number, bits);
        if (groups.stamps[group] !== stamp || score > groups.best[group]!) {
          groups.stamps[group] = stamp;
          groups.best[group] = score;
        }
      }
    }
    for (let position = 0; position < count; position += 1) {
      const number = numbers[position]!;
      const bits = matches.bitsOf(number);
      if (!isWanted(number, bits)) continue;
      const score = scoreOf(number, bits);
      const group = this.groupOf(number);
      if (group >= 0) {
        if (groups.taken[group] === stamp || score !== groups.best[group]) continue;
        groups.taken[group] = stamp;
      }
      const isMain = number < mainCount;
      const columns = isMain ? mainFacets : deltaFacets;
      const at = isMain ? number : number - mainCount;
      const ids = columns.ids;
      const from = columns.starts[at]!;
      const to = columns.starts[at + 1]!;
      const time = columns.times[at]!;
      if (active.length === 0) {
        total += 1;
        best.offer(number, score, time);
        for (let id = from; id < to; id += 1) counts[ids[id]!]! += 1;
        continue;
      }
      let failed = -1;
      let failures = 0;
      for (const filter of active) {
        if (filter.id < 0 || !columns.has(at, filter.id)) {
          failures += 1;
          failed = FACET_NAMES.indexOf(filter.name);
          if (failures > 1) break;
        }
      }
      // Each facet's counts honour every other filter, so choosing a value shows what it would give.
      if (failures === 0) {
        total += 1;
        best.offer(number, score, time);
        for (let id = from; id < to; id += 1) counts[ids[id]!]! += 1;
      } else if (failures === 1) {
        for (let id = from; id < to; id += 1) if (table.facetOf(ids[id]!) === failed) counts[ids[id]!]! += 1;
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
        const thread = threadOfPart(ref);
        return { ref: thread ?? ref, score, part: thread ? ref : null };
      });
    return { total, hits, facets: facetCounts, highlighting };
  }
}

/** The term counts of an index's documents (the delta's), as the vocabulary keeps them for the main index. */
export function countTerms(index: CompactIndex, documents: ReadonlyArray<{ facets: DocumentFacets }>) {
  const counts = new Map<string, TermCounts>();
  const seen = new Int32Array(index.documentCount).fill(-1);
  index.terms.forEach((term, local) => {
    let documentCount = 0;
    let publicCount = 0;
    let postings = 0;
    for (const field of ALL_FIELDS) {
      const { offsets, documents: numbers } = index.fields[field]!;
      postings += offsets[local + 1]! - offsets[local]!;
      for (let posting = offsets[local]!; posting < offsets[local + 1]!; posting += 1) {
        const document = numbers[posting]!;
        if (seen[document] === local) continue;
        seen[document] = local;
        documentCount += 1;
        if (documents[document]!.facets.membersOnlyCommunity === null) publicCount += 1;
      }
    }
    counts.set(term, { documents: documentCount, publicDocuments: publicCount, postings });
  });
  return counts;
}

/**
 * The share of the words typed that a document has (Lucene's "coord"): Lunr's idf never lets a
 * very common word count for little, so without this one common word in a title outscores the
 * rare word and the common word together in a body, until a library has thousands of items.
 */
function coordinationOf(bits: number, coordination: number[]) {
  if (coordination.length < 2) return 1;
  let matched = 0;
  for (const wanted of coordination) if ((bits & wanted) !== 0) matched += 1;
  return matched / coordination.length;
}

/** The shard's number for a main-vocabulary term number, or -1. */
function localNumber(vocabularyNumbers: Uint32Array, vocabularyNumber: number) {
  let low = 0;
  let high = vocabularyNumbers.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (vocabularyNumbers[middle]! < vocabularyNumber) low = middle + 1;
    else high = middle;
  }
  return low < vocabularyNumbers.length && vocabularyNumbers[low] === vocabularyNumber ? low : -1;
}

/** The first position at or after `from` whose document is at least `document` (galloping, then binary search). */
function seek(documents: Uint16Array, from: number, end: number, document: number) {
  let step = 1;
  let low = from;
  let high = from;
  while (high < end && documents[high]! < document) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > end) high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (documents[middle]! < document) low = middle + 1;
    else high = middle;
  }
  return low;
}

// The inner loop of every query, over typed arrays: Lunr's field-vector entry for each posting
// (BM25, field boost, rounded as Lunr rounds), times the query vector's weight for the term.
function scorePostings(
  index: CompactIndex,
  item: TermWork,
  local: number,
  base: number,
  masked: Uint8Array | null,
  norms: Float64Array,
  normBase: number,
  fieldBoost: number,
  matches: Matches,
) {
  const postings = index.fields[item.field]!;
  const { offsets, documents, frequencies } = postings;
  const { factor, idf, bits } = item;
  const end = offsets[local + 1]!;
  for (let posting = offsets[local]!; posting < end; posting += 1) {
    const document = documents[posting]!;
    const number = base + document;
    if (masked !== null && masked[number] === 1) continue;
    if (factor === 0) {
      matches.add(number, 0, bits);
      continue;
    }
    let frequency = frequencies[posting]!;
    if (frequency === 255) frequency = index.frequencyAt(item.field, posting);
    const weight = termWeight(idf, frequency, norms[normBase + document]!, fieldBoost);
    matches.add(number, weight * factor, bits);
  }
}

/** Every document's facet values (as FacetTable ids) in one array, and its date, by document number. */
class FacetColumns {
  constructor(
    readonly ids: Int32Array,
    readonly starts: Uint32Array,
    readonly times: Float64Array,
  ) {}

  static empty() {
    return new FacetColumns(new Int32Array(0), new Uint32Array(1), new Float64Array(0));
  }

  static of(documents: readonly DocumentFacets[], table: FacetTable) {
    const ids: number[] = [];
    const starts = new Uint32Array(documents.length + 1);
    const times = new Float64Array(documents.length);
    documents.forEach((facets, number) => {
      table.addIds(facets, ids);
      starts[number + 1] = ids.length;
      times[number] = Date.parse(facets.date) || 0;
    });
    return new FacetColumns(Int32Array.from(ids), starts, times);
  }

  has(number: number, id: number) {
    for (let at = this.starts[number]!; at < this.starts[number + 1]!; at += 1) if (this.ids[at] === id) return true;
    return false;
  }
}

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

  addIds(facets: DocumentFacets, into: number[]) {
    for (const name of FACET_NAMES) for (const value of valuesOf(facets, name)) into.push(this.ensure(name, value));
  }
}

type RankedHit = { number: number; score: number; time: number };

/** Reusable typed arrays for one query at a time: scores, clause bits, and which documents were touched. */
class Scratch {
  scores = new Float64Array(0);
  bits = new Uint32Array(0);
  stamps = new Uint32Array(0);
  numbers = new Int32Array(0);
  stamp = 0;

  constructor(size: number) {
    this.ensure(size);
  }

  ensure(size: number) {
    if (this.scores.length >= size) return;
    const capacity = Math.ceil(size * 1.25) + 64;
    this.scores = new Float64Array(capacity);
    this.bits = new Uint32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.numbers = new Int32Array(capacity);
    this.stamp = 0;
  }

  begin() {
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    return new Matches(this);
  }
}

/** The documents a query touched, with summed scores and the clauses each satisfies. */
class Matches {
  count = 0;
  private readonly stamp: number;

  constructor(private readonly scratch: Scratch) {
    this.stamp = scratch.stamp;
  }

  get numbers() {
    return this.scratch.numbers;
  }

  add(number: number, score: number, bits: number) {
    const { scores, stamps } = this.scratch;
    if (stamps[number] !== this.stamp) {
      stamps[number] = this.stamp;
      scores[number] = score;
      this.scratch.bits[number] = bits;
      this.scratch.numbers[this.count] = number;
      this.count += 1;
    } else {
      scores[number] = scores[number]! + score;
      this.scratch.bits[number] = this.scratch.bits[number]! | bits;
    }
  }

  mark(number: number, bits: number) {
    this.add(number, 0, bits);
  }

  has(number: number, bits: number) {
    return this.scratch.stamps[number] === this.stamp && (this.scratch.bits[number]! & bits) === bits;
  }

  scoreOf(number: number) {
    return this.scratch.scores[number]!;
  }

  bitsOf(number: number) {
    return this.scratch.bits[number]!;
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
