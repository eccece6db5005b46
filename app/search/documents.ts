import lunr from "lunr";

import { termsOf } from "./analysis";
import { finishBuilder } from "./lunr-index";
import { SEARCH_FIELDS, type SearchField } from "./query-parser";

// What the index knows about one searchable thing, and how it becomes a Lunr document.

type SearchKind = "item" | "discussion";

/** The facet values and sort key of a document: all the engine keeps in memory per document. */
export type DocumentFacets = {
  kind: SearchKind;
  type: string;
  /** ISO timestamp used for "newest first". */
  date: string;
  themes: string[];
  tags: string[];
  organisationType: string | null;
  procedure: string | null;
  valueBand: string | null;
};

export type SearchDocument = DocumentFacets & {
  /** "item:12" or "thread:7". */
  ref: string;
  title: string;
  summary: string;
  /** Plain text of the body (an item's markdown, or a thread's replies). */
  body: string;
  authors: string[];
  /** Structured fields and labels as words (organisation type, procedure, notices, ...). */
  fieldsText: string;
};

export type AnalysedDocument = { ref: string; facets: DocumentFacets; fields: Record<SearchField, string[]> };

/** Document frequencies from a sample of the corpus, used to decide which body terms to keep. */
export type TermStatistics = { documentCount: number; df: Record<string, number> };

const FIELD_BOOSTS: Record<SearchField, number> = {
  title: 10,
  about: 3,
  body: 1,
};

// A 4 KB body has ~300 distinct terms; most of them are common words mentioned once, which cost
// the most (memory, and time for every query that matches them) and matter least for ranking.
// We keep each body's most distinctive terms by tf-idf (static index pruning); a rare word is
// always among them, and a common word is kept where the body is actually about it.
const BODY_TERMS_PER_DOCUMENT = 48;
const MAX_TERM_REPEATS = 12;

function facetsOf(document: SearchDocument): DocumentFacets {
  const { kind, type, date, themes, tags, organisationType, procedure, valueBand } = document;
  return { kind, type, date, themes, tags, organisationType, procedure, valueBand };
}

export function analyseDocument(document: SearchDocument, statistics: TermStatistics | null): AnalysedDocument {
  return {
    ref: document.ref,
    facets: facetsOf(document),
    fields: {
      title: termsOf(document.title),
      // One field for everything short about the document: fewer fields means less work per match.
      about: termsOf(
        [
          document.summary,
          document.type,
          ...document.themes,
          ...document.tags,
          ...document.authors,
          document.fieldsText,
        ].join(" "),
      ),
      body: pruneBody(termsOf(document.body), statistics),
    },
  };
}

function pruneBody(terms: string[], statistics: TermStatistics | null): string[] {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const total = statistics?.documentCount ?? 0;
  const weighted = [...counts].map(([term, count]) => {
    const df = statistics?.df[term] ?? 0;
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    return { term, count, weight: (1 + Math.log(count)) * idf };
  });
  if (weighted.length > BODY_TERMS_PER_DOCUMENT) {
    weighted.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    weighted.length = BODY_TERMS_PER_DOCUMENT;
  }
  const kept: string[] = [];
  for (const { term, count } of weighted) {
    for (let repeat = Math.min(count, MAX_TERM_REPEATS); repeat > 0; repeat -= 1) kept.push(term);
  }
  return kept;
}

/** Document frequencies of body and title terms over a sample of documents. */
export function sampleStatistics(documents: SearchDocument[]): TermStatistics {
  const df = Object.create(null) as Record<string, number>;
  for (const document of documents) {
    for (const term of new Set(termsOf(`${document.title} ${document.body}`))) df[term] = (df[term] ?? 0) + 1;
  }
  return { documentCount: documents.length, df };
}

/** One immutable Lunr index over already-analysed documents (no positions, no pipeline). */
export function buildLunrIndex(documents: AnalysedDocument[]): lunr.Index {
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.metadataWhitelist = [];
  builder.ref("ref");
  for (const field of SEARCH_FIELDS) builder.field(field, { boost: FIELD_BOOSTS[field] });
  for (const document of documents) builder.add({ ref: document.ref, ...document.fields });
  return finishBuilder(builder);
}

export type SerialisedShard = {
  index: object;
  refs: string[];
  /** "field/term" -> positions in `refs` of documents that use the term but are not scored for it. */
  tail: Record<string, number[]>;
};

// Lunr scores every document a term matches, at several microseconds each: a word used by most
// of the library would cost tens of milliseconds. So for each term only the documents that weigh
// it most (impact-ordered pruning) go into the Lunr index of a shard; the rest are kept as a plain
// list, still found, counted and faceted, ranked after the scored ones.
export function buildShard(documents: AnalysedDocument[], scoredPerTerm: number): SerialisedShard {
  const refs = documents.map((document) => document.ref);
  const weights = new Map<string, Array<{ position: number; weight: number; fields: number }>>();
  documents.forEach((document, position) => {
    const perTerm = new Map<string, { weight: number; fields: number }>();
    SEARCH_FIELDS.forEach((field, fieldNumber) => {
      const terms = document.fields[field];
      const scale = FIELD_BOOSTS[field] / Math.sqrt(terms.length || 1);
      for (const term of terms) {
        const entry = perTerm.get(term);
        if (entry) {
          entry.weight += scale;
          entry.fields |= 1 << fieldNumber;
        } else perTerm.set(term, { weight: scale, fields: 1 << fieldNumber });
      }
    });
    for (const [term, { weight, fields }] of perTerm) {
      let list = weights.get(term);
      if (!list) weights.set(term, (list = []));
      list.push({ position, weight, fields });
    }
  });
  const tailed = new Map<number, Set<string>>();
  const tail = Object.create(null) as Record<string, number[]>;
  for (const [term, list] of weights) {
    if (list.length <= scoredPerTerm) continue;
    list.sort((a, b) => b.weight - a.weight);
    for (const { position, fields } of list.slice(scoredPerTerm)) {
      let set = tailed.get(position);
      if (!set) tailed.set(position, (set = new Set()));
      set.add(term);
      SEARCH_FIELDS.forEach((field, fieldNumber) => {
        if (fields & (1 << fieldNumber)) (tail[`${field}/${term}`] ??= []).push(position);
      });
    }
  }
  const scored = documents.map((document, position) => {
    const removed = tailed.get(position);
    if (!removed) return document;
    const fields = Object.fromEntries(
      SEARCH_FIELDS.map((field) => [field, document.fields[field].filter((term) => !removed.has(term))]),
    ) as Record<SearchField, string[]>;
    return { ...document, fields };
  });
  for (const positions of Object.values(tail)) positions.sort((a, b) => a - b);
  return { index: buildLunrIndex(scored).toJSON(), refs, tail };
}
