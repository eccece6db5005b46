// Queries for measuring recall, drawn from the corpus itself, and the exact scan they are
// checked against: plain word matching over every document's text, knowing nothing of either
// engine (a document "has" a word if the word appears in it, a phrase if its words appear side
// by side). Both engines analyse documents and queries alike, so each must find every such
// document; what they find beyond it (other forms of a word) is not counted against them.
import { termFor, wordsOf } from "~/search/analysis";
import type { SearchDocument } from "~/search/documents";

type RecallKind = "word" | "and" | "phrase" | "or";
export type RecallQuery = { className: string; kind: RecallKind; words: string[] };

const SOURCES = 50;
const PER_BUCKET = 20;

/** The query as typed into our search box. */
export function oursQuery(query: RecallQuery) {
  switch (query.kind) {
    case "word":
      return query.words[0]!;
    case "and":
      return query.words.map((word) => `+${word}`).join(" ");
    case "phrase":
      return `"${query.words.join(" ")}"`;
    case "or":
      return query.words.join(" ");
  }
}

/** The same query in FTS5's syntax. */
export function ftsQuery(query: RecallQuery) {
  const quoted = query.words.map((word) => `"${word}"`);
  switch (query.kind) {
    case "word":
      return quoted[0]!;
    case "and":
      return quoted.join(" AND ");
    case "phrase":
      return `"${query.words.join(" ")}"`;
    case "or":
      return quoted.join(" OR ");
  }
}

/** The values of a document as separate word sequences (a phrase never spans two). */
function valuesOf(document: SearchDocument) {
  return [
    document.title,
    document.summary,
    ...document.themes,
    ...document.tags,
    ...document.authors,
    ...document.details,
    document.body,
    ...document.notes,
  ].map(wordsOf);
}

const isContentWord = (word: string) => /^[a-z]{3,}$/.test(word) && termFor(word) !== null;

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Picks recall queries from `documents` (read once): body words by document frequency, AND, phrases, rare + common. */
export function planRecallQueries(documents: Iterable<SearchDocument>, total: number): RecallQuery[] {
  const frequency = new Map<string, number>();
  const sources: string[][] = [];
  const every = Math.max(1, Math.floor(total / SOURCES));
  let position = 0;
  for (const document of documents) {
    const values = valuesOf(document);
    for (const word of new Set(values.flat())) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    if (position % every === 0 && sources.length < SOURCES) sources.push(wordsOf(document.body));
    position += 1;
  }
  const next = seeded(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const queries: RecallQuery[] = [];

  const buckets: Array<[string, number, number]> = [
    ["body word in 1 document", 1, 1],
    ["body word in 2-10", 2, 10],
    ["body word in 11-100", 11, 100],
    ["body word in 101-1,000", 101, 1_000],
    ["body word in 1,001-10,000", 1_001, 10_000],
    ["body word in over 10,000", 10_001, Number.POSITIVE_INFINITY],
  ];
  const bodyWords = [...new Set(sources.flat())].filter(isContentWord).sort();
  for (const [className, low, high] of buckets) {
    const inBucket = bodyWords.filter((word) => {
      const count = frequency.get(word) ?? 0;
      return count >= low && count <= high;
    });
    for (let taken = 0; taken < PER_BUCKET && inBucket.length > 0; taken += 1) {
      const [word] = inBucket.splice(Math.floor(next() * inBucket.length), 1);
      queries.push({ className, kind: "word", words: [word!] });
    }
  }

  for (const body of sources) {
    const content = [...new Set(body.filter(isContentWord))];
    if (content.length < 3) continue;
    const distinct = (count: number) => {
      const chosen = new Set<string>();
      while (chosen.size < count) chosen.add(pick(content));
      return [...chosen];
    };
    queries.push({ className: "2 body words, AND", kind: "and", words: distinct(2) });
    queries.push({ className: "3 body words, AND", kind: "and", words: distinct(3) });
    for (const length of [2, 3]) {
      const starts = body
        .map((_, start) => start)
        .filter(
          (start) =>
            body.slice(start, start + length).length === length &&
            body.slice(start, start + length).every(isContentWord),
        );
      if (starts.length > 0) {
        const start = pick(starts);
        queries.push({ className: `${length}-word phrase`, kind: "phrase", words: body.slice(start, start + length) });
      }
    }
    const byFrequency = content.sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0));
    const rare = byFrequency[0]!;
    const common = byFrequency.filter((word) => (frequency.get(word) ?? 0) >= total / 10);
    if ((frequency.get(rare) ?? 0) <= 3 && common.length > 0) {
      queries.push({ className: "rare + common word, OR", kind: "or", words: [rare, pick(common)] });
    }
  }
  return queries;
}

/**
 * Whether a document has what the query asks for: for AND and phrases all of it, for OR all of
 * it too (the documents that should come first, which is what recall@20 checks).
 */
export function exactMatcher(document: SearchDocument) {
  const values = valuesOf(document);
  const words = new Set(values.flat());
  let joined: string[] | null = null;
  return (query: RecallQuery) => {
    if (!query.words.every((word) => words.has(word))) return false;
    if (query.kind !== "phrase") return true;
    joined ??= values.map((value) => ` ${value.join(" ")} `);
    return joined.some((value) => value.includes(` ${query.words.join(" ")} `));
  };
}
