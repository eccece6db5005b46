import { normaliseWord, termFor } from "./analysis";

// A short extract of stored text around the words that matched, as plain segments: the page
// renders matches in <mark> with React, so nothing from the text is ever treated as HTML.

export type SnippetSegment = { text: string; isMatch: boolean };

const WORD = /[\p{L}\p{N}]+/gu;
const BEFORE = 60;

function matchPositions(text: string, terms: ReadonlySet<string>) {
  const found: Array<{ start: number; end: number }> = [];
  for (const match of text.matchAll(WORD)) {
    const term = termFor(normaliseWord(match[0]));
    if (term !== null && terms.has(term)) found.push({ start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Splits `text` into segments with each matched word marked. */
export function highlight(text: string, terms: ReadonlySet<string>): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let cursor = 0;
  for (const { start, end } of matchPositions(text, terms)) {
    if (start > cursor) segments.push({ text: text.slice(cursor, start), isMatch: false });
    segments.push({ text: text.slice(start, end), isMatch: true });
    cursor = end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), isMatch: false });
  return segments;
}

/** About `length` characters of `text` around its densest cluster of matches, or null if nothing matched. */
export function snippetOf(text: string, terms: ReadonlySet<string>, length = 240): SnippetSegment[] | null {
  const positions = matchPositions(text, terms);
  if (positions.length === 0) return null;
  let bestStart = positions[0]!.start;
  let bestCount = 0;
  for (const [index, position] of positions.entries()) {
    let count = 0;
    for (
      let next = index;
      next < positions.length && positions[next]!.end <= position.start + length - BEFORE;
      next += 1
    ) {
      count += 1;
    }
    if (count > bestCount) {
      bestCount = count;
      bestStart = position.start;
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
  const segments = highlight(text.slice(start, end), terms);
  if (start > 0) segments.unshift({ text: "… ", isMatch: false });
  if (end < text.length) segments.push({ text: " …", isMatch: false });
  return segments;
}
