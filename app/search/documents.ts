import { type AnalysedField, analyseInto } from "./analysis";
import { SEARCH_FIELDS, type SearchField } from "./query-parser";

// What the index knows about one searchable thing, and how its text becomes terms.

type SearchKind = "item" | "discussion";

/** The facet values, sort key and audience of a document: all the engine keeps in memory per document. */
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
  /** The members-only community whose members alone may find it; null when everyone may. */
  membersOnlyCommunity: number | null;
};

export type SearchDocument = DocumentFacets & {
  /** "item:12" or "thread:7". */
  ref: string;
  title: string;
  summary: string;
  /** Plain text of the body (an item's markdown, or a thread's posts). */
  body: string;
  authors: string[];
  /** Short structured fields (procedure, notices, ...), one text per value, labels rather than slugs. */
  details: string[];
  /** Longer structured text read like the body: outcomes, lessons, methods, caveats, sources. */
  notes: string[];
  /** For a part of a thread (one later post): what it was made from, to tell when it is out of date. */
  version: string | null;
};

export type AnalysedDocument = {
  ref: string;
  version: string | null;
  facets: DocumentFacets;
  /** In SEARCH_FIELDS order. */
  fields: AnalysedField[];
};

export const FIELD_BOOSTS: Record<SearchField, number> = {
  title: 10,
  about: 3,
  details: 2,
  body: 1,
};
export const FIELD_BOOST_LIST = SEARCH_FIELDS.map((field) => FIELD_BOOSTS[field]);

// Positions skipped between the separate values of one field (a tag, an author, a structured
// field), so that no phrase is found across two of them.
const VALUE_GAP = 64;

function facetsOf(document: SearchDocument): DocumentFacets {
  const { kind, type, date, themes, tags, organisationType, procedure, valueBand, membersOnlyCommunity } = document;
  return { kind, type, date, themes, tags, organisationType, procedure, valueBand, membersOnlyCommunity };
}

function analyseValues(values: readonly string[]): AnalysedField {
  const field: AnalysedField = { terms: [], positions: [] };
  let position = 0;
  for (const value of values) position = analyseInto(value, field, position) + VALUE_GAP;
  return field;
}

export function analyseDocument(document: SearchDocument): AnalysedDocument {
  return {
    ref: document.ref,
    version: document.version,
    facets: facetsOf(document),
    fields: [
      analyseValues([document.title]),
      analyseValues([document.summary, ...document.themes, ...document.tags, ...document.authors]),
      // Structured fields apart from the summary: a tip that applies to a procedure should not
      // outrank the case study that ran one (and says so in its own words too).
      analyseValues(document.details),
      analyseValues([document.body, ...document.notes]),
    ],
  };
}
