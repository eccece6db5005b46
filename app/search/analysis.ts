import lunr from "lunr";

// Text analysis shared by indexing, querying and highlighting, so a word is reduced to the same
// term everywhere. It is Lunr's pipeline: its tokeniser with the separator set to anything that is
// not a letter or digit (Lunr's default splits only on spaces and hyphens, leaving "value/money" as
// one token), then its stop-word filter and Porter stemmer. We run the filter and stemmer once per
// distinct word (cached) instead of once per token: stemming dominated build time otherwise.
// On top of Lunr, accents are folded ("café" is "cafe"). analysis.test.ts pins the equivalence.

export const MAX_TERM_LENGTH = 40;
/** What separates tokens: the value we would give `lunr.tokenizer.separator`. */
export const TOKEN_SEPARATOR = /[^\p{L}\p{N}]+/u;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const STEM_CACHE_LIMIT = 400_000;

const stemCache = new Map<string, string | null>();

/** Lowercases and strips accents, so "Café" and "cafe" are one word. */
export function normaliseWord(word: string) {
  const lower = word.toLowerCase();
  return /[^\p{ASCII}]/u.test(lower) ? lower.normalize("NFKD").replace(COMBINING_MARKS, "") : lower;
}

/** The index term for one normalised word, or null for a stop word. */
export function termFor(word: string): string | null {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let term: string | null = null;
  const token = new lunr.Token(word.slice(0, MAX_TERM_LENGTH), {});
  if (lunr.stopWordFilter(token)) {
    term = lunr.stemmer(token).toString();
  }
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, term);
  return term;
}

/** The normalised words of a text, in order (stop words included). */
export function wordsOf(text: string): string[] {
  return normaliseWord(text)
    .split(TOKEN_SEPARATOR)
    .filter((word) => word.length > 0);
}

/** The index terms of a text, in order, stop words removed. */
export function termsOf(text: string, into: string[] = []): string[] {
  for (const word of wordsOf(text)) {
    const term = termFor(word);
    if (term !== null) into.push(term);
  }
  return into;
}

// Indexing numbers terms as it meets them, so that building an index works on numbers rather
// than strings. Only indexed text adds terms (never a query), so this grows with the library.
const termNumbers = new Map<string, number>();
const termNames: string[] = [];
const wordTerms = new Map<string, number>();
const STOP_WORD = -1;

/** The term a number from `analyseInto` stands for. */
export function termName(number: number) {
  return termNames[number]!;
}

function termNumberOf(word: string) {
  const term = termFor(word);
  if (term === null) return STOP_WORD;
  let number = termNumbers.get(term);
  if (number === undefined) {
    number = termNames.length;
    termNumbers.set(term, number);
    termNames.push(term);
  }
  if (wordTerms.size >= STEM_CACHE_LIMIT) wordTerms.clear();
  wordTerms.set(word, number);
  return number;
}

/** A field's terms (as numbers, see termName) with the position of each, counted in words (stop words take a position too). */
export type AnalysedField = { terms: number[]; positions: number[] };

/**
 * Appends the terms of `text` to `field`, numbering its words from `start`, and returns the
 * position after its last word. Phrases are matched on these positions: "net zero" is a term
 * "net" directly followed by "zero", and "net of zero" is not.
 */
export function analyseInto(text: string, field: AnalysedField, start = 0): number {
  const { terms, positions } = field;
  const words = normaliseWord(text).split(TOKEN_SEPARATOR);
  let position = start;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (word.length === 0) continue;
    const known = wordTerms.get(word);
    const number = known === undefined ? termNumberOf(word) : known;
    if (number !== STOP_WORD) {
      terms.push(number);
      positions.push(position);
    }
    position += 1;
  }
  return position;
}

/** Markdown reduced to readable plain text for indexing and snippets. */
export function plainTextOf(markdown: string) {
  return markdown
    .replace(/```[a-z]*\n/gi, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]{0,200}>/g, " ")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/[*_`~|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
