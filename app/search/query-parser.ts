import { MAX_TERM_LENGTH, normaliseWord, termFor } from "./analysis";

// Turns whatever a person typed into a small, bounded description of a search. We never hand the
// raw string to Lunr's own query parser: its syntax errors, unbounded edit distances and leading
// wildcards are how a single request could run for seconds or exhaust memory.

export const MAX_QUERY_LENGTH = 400;
export const MAX_QUERY_WORDS = 12;

export const SEARCH_FIELDS = ["title", "about", "body"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

const FIELD_ALIASES: Record<string, SearchField> = {
  title: "title",
  summary: "about",
  body: "body",
  text: "body",
  tag: "about",
  tags: "about",
  theme: "about",
  author: "about",
  by: "about",
};

export type Presence = "optional" | "required" | "prohibited";

type QueryWord = {
  /** Normalised word as typed (lower case, no accents). */
  word: string;
  /** Its index term (stemmed), or null for a stop word. */
  term: string | null;
  presence: Presence;
  field: SearchField | null;
  /** Typed with a trailing `*`. */
  isPrefix: boolean;
};

export type ParsedQuery = {
  words: QueryWord[];
  /** What we searched for, cleaned, for the search box and messages. */
  cleaned: string;
  /** Plain-English notes about what was ignored, shown to the reader. */
  notes: string[];
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
  let dropped = 0;
  let stopWords = 0;
  for (const chunk of text.matchAll(CHUNK)) {
    const [, operator = "", fieldName, quoted, bare] = chunk;
    const alias = fieldName ? FIELD_ALIASES[fieldName.toLowerCase()] : undefined;
    // An unknown "name:" prefix is just another word, not an error.
    const body = (fieldName && !alias ? `${fieldName} ` : "") + (quoted ?? bare ?? "");
    const presence: Presence =
      operator === "+" || quoted !== undefined ? "required" : operator === "-" ? "prohibited" : "optional";
    for (const match of body.matchAll(WORD_WITH_STAR)) {
      const raw = match[0];
      const isPrefix = raw.endsWith("*") && quoted === undefined;
      const word = normaliseWord(raw.replace(/\*$/, "")).slice(0, MAX_TERM_LENGTH);
      const term = termFor(word);
      if (term === null && !(isPrefix && word.length >= 2)) {
        stopWords += 1;
        continue;
      }
      if (words.length >= MAX_QUERY_WORDS) {
        dropped += 1;
        continue;
      }
      const isDuplicate = words.some(
        (existing) => existing.word === word && existing.field === (alias ?? null) && existing.presence === presence,
      );
      if (!isDuplicate) words.push({ word, term, presence, field: alias ?? null, isPrefix });
    }
  }
  if (dropped > 0) notes.push(`Only the first ${MAX_QUERY_WORDS} words of your search were used.`);
  if (stopWords > 0 && words.length === 0) {
    notes.push("Very common words such as “the” and “of” are ignored. Try a more specific word.");
  }
  return { words, cleaned: text, notes };
}

/** True when the search asks for at least one word to be present (not only exclusions). */
export function hasPositiveWords(query: ParsedQuery) {
  return query.words.some((word) => word.presence !== "prohibited");
}
