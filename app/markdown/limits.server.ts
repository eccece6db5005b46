import { type MarkedExtension, Tokenizer } from "marked";

// marked's block lexer recurses once per level of quote or list, and its inline lexer looks for
// the closer of every emphasis delimiter (and every "<" and "[") from where it stands: a
// 199,000-deep quote overflowed the stack and a paragraph of 20,000 characters of `*a_` took
// seconds. These limits keep every render roughly linear in the length of the text. Each is far
// beyond what people write, and what is over a limit still reads as the same characters.

/** Quotes and lists nested deeper than this read as plain text (markdown-it's default is 100, its strict preset 20). */
export const MAX_NESTING = 16;

/** Live emphasis delimiter runs (`*`, `_`, `~`) in one paragraph, heading or table cell; later ones are literal characters. */
export const MAX_DELIMITER_RUNS_PER_BLOCK = 64;

/** Live emphasis delimiter runs in a whole body. */
const MAX_DELIMITER_RUNS = 2_000;

/** Characters of one delimiter run that can open or close emphasis (`***` is bold italic; `*****` a row of stars). */
const MAX_DELIMITER_RUN_LENGTH = 3;

/** Live `<` and `[` (each) in one paragraph, heading or table cell, and in a whole body. */
const MAX_BRACKETS_PER_BLOCK = 64;
const MAX_BRACKETS = 2_000;

type Budget = { delimiterRuns: number; angles: number; squares: number };

/** What is left of a body's limits as its paragraphs are read, in order. */
export function bodyBudget(): Budget {
  return { delimiterRuns: MAX_DELIMITER_RUNS, angles: MAX_BRACKETS, squares: MAX_BRACKETS };
}

/**
 * marked tokenizer overrides that stop quotes and lists nesting deeper than MAX_NESTING: the line
 * is read as a paragraph instead, so its markers show as text.
 */
export function nestingLimit(): MarkedExtension["tokenizer"] {
  let depth = 0;
  const within = <T>(read: () => T) => {
    depth += 1;
    try {
      return read();
    } finally {
      depth -= 1;
    }
  };
  return {
    blockquote(src) {
      if (depth >= MAX_NESTING) return undefined;
      return within(() => Tokenizer.prototype.blockquote.call(this, src));
    },
    list(src) {
      if (depth >= MAX_NESTING) return undefined;
      return within(() => Tokenizer.prototype.list.call(this, src));
    },
  };
}

const URL_START = /^(?:https?:\/\/|www\.)/i;
const isWordCharacter = (character: string | undefined) => character !== undefined && /[\p{L}\p{N}]/u.test(character);

/** Where each run of backticks starts, by run length, so a code span's closer is found without scanning again. */
function backtickRuns(text: string) {
  const runs = new Map<number, number[]>();
  for (let index = text.indexOf("`"); index >= 0;) {
    let end = index;
    while (text[end] === "`") end += 1;
    const length = end - index;
    let starts = runs.get(length);
    if (!starts) runs.set(length, (starts = []));
    starts.push(index);
    index = text.indexOf("`", end);
  }
  return runs;
}

/**
 * Escapes the emphasis delimiters, `<` and `[` of one inline run (a paragraph, heading or table
 * cell) beyond the limits, so marked reads them as the characters they are. Code spans and bare
 * web addresses are left as written. One pass: linear in the length of the text. Escaped as
 * character references rather than backslashes: marked reads a run of them as one piece of text,
 * where it makes a token of every backslash escape.
 */
export function boundInline(text: string, budget: Budget): string {
  const runs = text.includes("`") ? backtickRuns(text) : null;
  const nextRun = new Map<number, number>();
  let delimiterRuns = MAX_DELIMITER_RUNS_PER_BLOCK;
  let angles = MAX_BRACKETS_PER_BLOCK;
  let squares = MAX_BRACKETS_PER_BLOCK;
  let out = "";
  let copiedTo = 0;
  let index = 0;
  const escape = (from: number, to: number) => {
    out += text.slice(copiedTo, from);
    for (let i = from; i < to; i += 1) out += `&#${text.charCodeAt(i)};`;
    copiedTo = to;
  };

  while (index < text.length) {
    const character = text[index]!;
    if (character === "\\") {
      index += 2;
      continue;
    }
    if (character === "`" && runs) {
      let end = index;
      while (text[end] === "`") end += 1;
      const length = end - index;
      const starts = runs.get(length)!;
      let next = nextRun.get(length) ?? 0;
      while (next < starts.length && starts[next]! <= index) next += 1;
      nextRun.set(length, next + 1);
      // A code span runs to the next run of exactly as many backticks; its text is left alone.
      index = next < starts.length ? starts[next]! + length : end;
      continue;
    }
    if (
      (character === "h" || character === "H" || character === "w" || character === "W") &&
      !isWordCharacter(text[index - 1])
    ) {
      if (URL_START.test(text.slice(index, index + 8))) {
        while (index < text.length && !/[\s<]/.test(text[index]!)) index += 1;
        continue;
      }
    }
    if (character === "*" || character === "_" || character === "~") {
      let end = index;
      while (text[end] === character) end += 1;
      if (delimiterRuns > 0 && budget.delimiterRuns > 0) {
        delimiterRuns -= 1;
        budget.delimiterRuns -= 1;
        if (end - index > MAX_DELIMITER_RUN_LENGTH) escape(index + MAX_DELIMITER_RUN_LENGTH, end);
      } else {
        escape(index, end);
      }
      index = end;
      continue;
    }
    if (character === "<" || character === "[") {
      const isAngle = character === "<";
      if (isAngle ? angles > 0 && budget.angles > 0 : squares > 0 && budget.squares > 0) {
        if (isAngle) {
          angles -= 1;
          budget.angles -= 1;
        } else {
          squares -= 1;
          budget.squares -= 1;
        }
      } else {
        escape(index, index + 1);
      }
    }
    index += 1;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/**
 * Decodes numeric character references (`&#95;`, `&#x5F;`) where marked passes them through
 * undecoded but CommonMark reads them as the characters they stand for: link and image
 * addresses, titles and alternative text, and the plain text of headings. boundInline writes
 * them for delimiters over the limit, which may fall inside a link's address.
 */
export function decodeCharacterReferences(text: string) {
  if (!text.includes("&#")) return text;
  return text.replace(/&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));/g, (_, decimal?: string, hex?: string) => {
    const code = decimal === undefined ? Number.parseInt(hex!, 16) : Number(decimal);
    // As HTML does: NUL, surrogates and numbers beyond Unicode read as the replacement character.
    const isCharacter = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return String.fromCodePoint(isCharacter ? code : 0xfffd);
  });
}
