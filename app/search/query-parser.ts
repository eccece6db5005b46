import { MAX_TERM_LENGTH, normaliseWord, termFor } from "./analysis";
import { addSynonyms } from "./synonyms";

// Turns whatever a person typed into a small, bounded description of a search. We never hand the
// raw string to Lunr's own query parser: its syntax errors, unbounded edit distances and leading
// wildcards are how a single request could run for seconds or exhaust memory.

export const MAX_QUERY_LENGTH = 400;
export const MAX_QUERY_WORDS = 12;

export const SEARCH_FIELDS = ["title", "about", "details", "body"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

const FIELD_ALIASES: Record<string, SearchField> = {
  title: "title",
  summary: "about",
  body: "body",
  text: "body",
  tag: "about",
  tags: "about",
  details: "details",
  theme: "about",
  author: "about",
  by: "about",
};

export type Presence = "optional" | "required" | "prohibited";

export type QueryWord = {
  /** Normalised word as typed (lower case, no accents). */
  word: string;
  /** Its index term (stemmed), or null for a stop word. */
  term: string | null;
  presence: Presence;
  field: SearchField | null;
  /** Typed with a trailing `*`. */
  isPrefix: boolean;
  /** The words of one quoted phrase (even of one word) share a number; null for a word typed on its own. */
  phrase: number | null;
  /** Its place in the phrase, counted in words as typed (stop words too), so "value for money" keeps its gap. */
  offset: number;
};

/** A sequence of words that must stand together (one word, or a phrase). */
type QueryForm = { words: QueryWord[]; isSynonym: boolean };

/** One thing the search asks for: a word or phrase as typed, and the other names it goes by. */
export type QueryClause = {
  presence: Presence;
  field: SearchField | null;
  forms: QueryForm[];
  /** For another name of several typed words ("KPI" for "key performance indicator"): those words' clauses. */
  standsFor?: number[];
};

export type ParsedQuery = {
  /** Every word typed (at most MAX_QUERY_WORDS), in order. */
  words: QueryWord[];
  clauses: QueryClause[];
  /** What we searched for, cleaned, for the search box and messages. */
  cleaned: string;
  /** Plain-English notes about what was ignored, shown to the reader. */
  notes: string[];
  /** Other names searched for too (acronyms and their expansions), to show the reader. */
  alsoSearchedFor: string[];
};

const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
// A chunk is an optional +/- operator, an optional field name, then a quoted phrase or a bare run.
const CHUNK = /([+-]?)(?:([a-z]+):)?(?:"([^"]*)"?|([^\s"]+))/giu;
const WORD_WITH_STAR = /[\p{L}\p{N}]+\*?/gu;

export function parseQuery(input: string): ParsedQuery {
  const notes: string[] = [];
  let text = input.replace(CONTROL_CHARACTERS, " ");
  if (text.length > MAX_QUERY_LENGTH) {
    text = text.slice(0, MAX_QUERY_LENGTH);
    notes.push(`Only the first ${MAX_QUERY_LENGTH} characters of your search were used.`);
  }
  text = text.replace(/\s+/g, " ").trim();

  const words: QueryWord[] = [];
  const clauses: QueryClause[] = [];
  let dropped = 0;
  let stopWords = 0;
  let phrases = 0;
  for (const chunk of text.matchAll(CHUNK)) {
    const [, operator = "", fieldName, quoted, bare] = chunk;
    const alias = fieldName ? FIELD_ALIASES[fieldName.toLowerCase()] : undefined;
    // An unknown "name:" prefix is just another word, not an error.
    const body = (fieldName && !alias ? `${fieldName} ` : "") + (quoted ?? bare ?? "");
    const presence: Presence =
      operator === "-" ? "prohibited" : operator === "+" || quoted !== undefined ? "required" : "optional";
    const field = alias ?? null;
    const chunkWords: QueryWord[] = [];
    let offset = 0;
    for (const match of body.matchAll(WORD_WITH_STAR)) {
      const raw = match[0];
      const isPrefix = raw.endsWith("*") && quoted === undefined;
      const word = normaliseWord(raw.replace(/\*$/, "")).slice(0, MAX_TERM_LENGTH);
      const term = termFor(word);
      offset += 1;
      if (term === null && !(isPrefix && word.length >= 2)) {
        stopWords += 1;
        continue;
      }
      if (words.length + chunkWords.length >= MAX_QUERY_WORDS) {
        dropped += 1;
        continue;
      }
      chunkWords.push({ word, term, presence, field, isPrefix, phrase: null, offset: offset - 1 });
    }
    if (quoted !== undefined && chunkWords.length > 0) {
      // A phrase: its words must stand together, in this order, exactly as typed (no typos forgiven).
      const phrase = phrases++;
      for (const word of chunkWords) word.phrase = phrase;
      words.push(...chunkWords);
      clauses.push({ presence, field, forms: [{ words: chunkWords, isSynonym: false }] });
      continue;
    }
    for (const word of chunkWords) {
      const isDuplicate = words.some(
        (existing) =>
          existing.phrase === null &&
          existing.word === word.word &&
          existing.field === word.field &&
          existing.presence === word.presence &&
          existing.isPrefix === word.isPrefix,
      );
      if (isDuplicate) continue;
      words.push({ ...word, offset: 0 });
      clauses.push({ presence, field, forms: [{ words: [{ ...word, offset: 0 }], isSynonym: false }] });
    }
  }
  if (dropped > 0) notes.push(`Only the first ${MAX_QUERY_WORDS} words of your search were used.`);
  if (stopWords > 0 && words.length === 0) {
    notes.push("Very common words such as “the” and “of” are ignored. Try a more specific word.");
  }
  const alsoSearchedFor = addSynonyms(clauses);
  return { words, clauses, cleaned: text, notes, alsoSearchedFor };
}

/** True when the search asks for at least one word to be present (not only exclusions). */
export function hasPositiveWords(query: ParsedQuery) {
  return query.clauses.some((clause) => clause.presence !== "prohibited");
}
