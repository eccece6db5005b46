import { normaliseWord, termFor } from "./analysis";
import type { Highlighting } from "./engine";

// A short extract of stored text around what matched, as plain segments: the page renders
// matches in <mark> with React, so nothing from the text is ever treated as HTML. A phrase is
// marked only where its words stand together, as the engine matched it.

export type SnippetSegment = { text: string; isMatch: boolean };

const BEFORE = 60;

type Span = { start: number; end: number; key: string };

const IS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) ||
  (code >= 65 && code <= 90) ||
  (code >= 48 && code <= 57) ||
  (code > 127 && IS_WORD_CHARACTER.test(String.fromCharCode(code)));
const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Which words could stem to one of the terms: a Porter stem keeps all but its last letter of
 * the word, so a word is only stemmed (the costly part) if it starts as some term does.
 */
function startsOf(terms: Iterable<string>) {
  const pairs = new Set<number>();
  const singles = new Set<number>();
  for (const term of terms) {
    if (term.length >= 3) pairs.add(term.charCodeAt(0) * 65_536 + term.charCodeAt(1));
    else singles.add(term.charCodeAt(0));
  }
  return { pairs, singles };
}

function matchedSpans(text: string, highlighting: Highlighting): Span[] {
  const { pairs, singles } = startsOf([
    ...highlighting.terms,
    ...highlighting.phrases.flatMap((phrase) => phrase.terms),
  ]);
  // The words that might match, with their place among all words (for phrases).
  const tokens: Array<{ start: number; end: number; term: string | null; ordinal: number }> = [];
  let ordinal = 0;
  for (let at = 0; at < text.length;) {
    if (!isWordCode(text.charCodeAt(at))) {
      at += 1;
      continue;
    }
    const start = at;
    let isAscii = true;
    while (at < text.length && isWordCode(text.charCodeAt(at))) {
      if (text.charCodeAt(at) > 127) isAscii = false;
      at += 1;
    }
    const first = lowerCode(text.charCodeAt(start));
    const isCandidate =
      !isAscii ||
      singles.has(first) ||
      (at - start >= 2 && pairs.has(first * 65_536 + lowerCode(text.charCodeAt(start + 1))));
    if (isCandidate) {
      const term = termFor(normaliseWord(text.slice(start, at)));
      if (term !== null) tokens.push({ start, end: at, term, ordinal });
    }
    ordinal += 1;
  }
  const byOrdinal = new Map(tokens.map((token) => [token.ordinal, token]));
  const singleTerms = new Set(highlighting.terms);
  const spans: Span[] = [];
  for (const token of tokens) {
    if (singleTerms.has(token.term!)) spans.push({ start: token.start, end: token.end, key: token.term! });
    for (const phrase of highlighting.phrases) {
      if (token.term !== phrase.terms[0]) continue;
      const isTogether = phrase.terms.every(
        (term, slot) => byOrdinal.get(token.ordinal + phrase.offsets[slot]!)?.term === term,
      );
      if (!isTogether) continue;
      const last = byOrdinal.get(token.ordinal + phrase.offsets.at(-1)!)!;
      spans.push({ start: token.start, end: last.end, key: phrase.terms.join(" ") });
    }
  }
  // Overlapping marks (a phrase and one of its words) become one, and so do words marked side by side.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const previous = merged.at(-1);
    if (previous && (span.start <= previous.end || /^ +$/.test(text.slice(previous.end, span.start)))) {
      if (span.end > previous.end) previous.end = span.end;
      if (span.key.length > previous.key.length) previous.key = span.key;
    } else merged.push({ ...span });
  }
  return merged;
}

/** A text with what matched in it, found once for both choosing a passage and cutting it. */
export type TextMatches = { text: string; spans: Span[]; strength: number };

export function matchesIn(text: string, highlighting: Highlighting): TextMatches {
  const spans = matchedSpans(text, highlighting);
  let strength = 0;
  // Distinct things matched, a phrase counting double.
  for (const key of new Set(spans.map((span) => span.key))) strength += key.includes(" ") ? 2 : 1;
  return { text, spans, strength };
}

export function matchStrength(text: string, highlighting: Highlighting) {
  return matchesIn(text, highlighting).strength;
}

/** Splits `text` into segments with each match marked. */
export function highlight(text: string, highlighting: Highlighting): SnippetSegment[] {
  return segmentsOf(text, matchedSpans(text, highlighting));
}

function segmentsOf(text: string, spans: readonly Span[], offset = 0, end = text.length): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let cursor = offset;
  for (const span of spans) {
    if (span.end <= offset || span.start >= end) continue;
    const start = Math.max(offset, span.start);
    const stop = Math.min(end, span.end);
    if (start > cursor) segments.push({ text: text.slice(cursor, start), isMatch: false });
    segments.push({ text: text.slice(start, stop), isMatch: true });
    cursor = stop;
  }
  if (cursor < end) segments.push({ text: text.slice(cursor, end), isMatch: false });
  return segments;
}

/** About `length` characters of `text` around its densest cluster of matches, or null if nothing matched. */
function snippetOf(text: string, highlighting: Highlighting, length = 240): SnippetSegment[] | null {
  return snippetFrom(matchesIn(text, highlighting), length);
}

export function snippetFrom({ text, spans }: TextMatches, length = 240): SnippetSegment[] | null {
  if (spans.length === 0) return null;
  let bestStart = spans[0]!.start;
  let bestScore = 0;
  for (const [index, span] of spans.entries()) {
    const keys = new Set<string>();
    let count = 0;
    for (let next = index; next < spans.length && spans[next]!.end <= span.start + length - BEFORE; next += 1) {
      keys.add(spans[next]!.key);
      count += 1;
    }
    // Different things matched beat one thing repeated.
    const score = keys.size * 1000 + count;
    if (score > bestScore) {
      bestScore = score;
      bestStart = span.start;
    }
  }
  let start = Math.max(0, bestStart - BEFORE);
  let end = Math.min(text.length, start + length);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space !== -1 && space < bestStart) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const segments = segmentsOf(text, spans, start, end);
  if (start > 0) segments.unshift({ text: "… ", isMatch: false });
  if (end < text.length) segments.push({ text: " …", isMatch: false });
  return segments;
}

export type DetailLine = { label: string; value: string };

/** The structured details that matched, each as "Label: value" with the value's matches marked. */
export function detailsSnippet(lines: readonly DetailLine[], highlighting: Highlighting, length = 240) {
  const segments: SnippetSegment[] = [];
  let used = 0;
  for (const line of lines) {
    if (used >= length) break;
    if (matchStrength(line.value, highlighting) === 0) continue;
    const value = line.value.length > length - used ? snippetOf(line.value, highlighting, length - used) : null;
    if (segments.length > 0) segments.push({ text: " · ", isMatch: false });
    segments.push({ text: `${line.label}: `, isMatch: false }, ...(value ?? highlight(line.value, highlighting)));
    used += line.label.length + Math.min(line.value.length, length);
  }
  return segments.length > 0 ? segments : null;
}
