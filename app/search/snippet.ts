import { normaliseWord, termFor } from "./analysis";
import type { Highlighting } from "./engine";

// A short extract of stored text around what matched, as plain segments: the page renders
// matches in <mark> with React, so nothing from the text is ever treated as HTML. A phrase is
// marked only where its words stand together, as the engine matched it.

export type SnippetSegment = { text: string; isMatch: boolean };

const WORD = /[\p{L}\p{N}]+/gu;
const BEFORE = 60;

type Span = { start: number; end: number; key: string };

function matchedSpans(text: string, highlighting: Highlighting): Span[] {
  const tokens: Array<{ start: number; end: number; term: string | null }> = [];
  for (const match of text.matchAll(WORD)) {
    tokens.push({ start: match.index, end: match.index + match[0].length, term: termFor(normaliseWord(match[0])) });
  }
  const singles = new Set(highlighting.terms);
  const spans: Span[] = [];
  tokens.forEach((token, position) => {
    if (token.term !== null && singles.has(token.term))
      spans.push({ start: token.start, end: token.end, key: token.term });
    for (const phrase of highlighting.phrases) {
      if (token.term !== phrase.terms[0]) continue;
      const isTogether = phrase.terms.every((term, slot) => tokens[position + phrase.offsets[slot]!]?.term === term);
      if (!isTogether) continue;
      const last = tokens[position + phrase.offsets.at(-1)!]!;
      spans.push({ start: token.start, end: last.end, key: phrase.terms.join(" ") });
    }
  });
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

/** How well a text matches: distinct things matched, a phrase counting double. */
export function matchStrength(text: string, highlighting: Highlighting) {
  const keys = new Set(matchedSpans(text, highlighting).map((span) => span.key));
  let strength = 0;
  for (const key of keys) strength += key.includes(" ") ? 2 : 1;
  return strength;
}

/** Splits `text` into segments with each match marked. */
export function highlight(text: string, highlighting: Highlighting): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let cursor = 0;
  for (const { start, end } of matchedSpans(text, highlighting)) {
    if (start > cursor) segments.push({ text: text.slice(cursor, start), isMatch: false });
    segments.push({ text: text.slice(start, end), isMatch: true });
    cursor = end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), isMatch: false });
  return segments;
}

/** About `length` characters of `text` around its densest cluster of matches, or null if nothing matched. */
export function snippetOf(text: string, highlighting: Highlighting, length = 240): SnippetSegment[] | null {
  const spans = matchedSpans(text, highlighting);
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
  const segments = highlight(text.slice(start, end), highlighting);
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
