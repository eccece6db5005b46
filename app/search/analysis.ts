import lunr from "lunr";

// Text analysis shared by indexing, querying and highlighting, so a word is reduced to the same
// term everywhere. We run Lunr's own stop-word filter and Porter stemmer, but once per distinct
// word (cached) instead of once per token: stemming dominated build time in the naive design.

export const MAX_TERM_LENGTH = 40;
const NON_WORD = /[^\p{L}\p{N}]+/u;
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

/** The index terms of a text, in order, stop words removed. */
export function termsOf(text: string, into: string[] = []): string[] {
  for (const word of normaliseWord(text).split(NON_WORD)) {
    if (word.length === 0) continue;
    const term = termFor(word);
    if (term !== null) into.push(term);
  }
  return into;
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
