import { describe, expect, it } from "vitest";

import { isOneEdit, Vocabulary } from "~/search/vocabulary";

import { rareWord } from "../../scripts/lib/synthetic-corpus";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Every string one deletion, swap, replacement or insertion from `word`: the slow way. */
function* everyOneEdit(word: string): Generator<string> {
  for (let i = 0; i < word.length; i += 1) {
    yield word.slice(0, i) + word.slice(i + 1);
    if (i + 1 < word.length) yield word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    for (const letter of ALPHABET) yield word.slice(0, i) + letter + word.slice(i + 1);
  }
  for (let i = 0; i <= word.length; i += 1)
    for (const letter of ALPHABET) yield word.slice(0, i) + letter + word.slice(i);
}

describe("terms one edit away", () => {
  const terms = [
    ...new Set([
      ...Array.from({ length: 3_000 }, (_, index) => rareWord(index)),
      "procur",
      "procurement",
      "standstil",
      "standstill",
      "contract",
      "contracts",
      "kpi",
      "uk9",
      "uk6",
    ]),
  ];
  const counts = new Map(terms.map((term) => [term, { documents: 1, publicDocuments: 1, postings: 1 }]));
  const vocabulary = Vocabulary.fromCounts(counts);
  const known = new Set(terms);

  it("finds exactly the terms that trying every spelling would", () => {
    const words = ["procurment", "standstlil", "contarct", "contract", "uk7", "kpis", "xyzzyq", ...terms.slice(0, 300)];
    for (const word of words) {
      const expected = new Set([...everyOneEdit(word)].filter((spelling) => spelling !== word && known.has(spelling)));
      expect(new Set(vocabulary.oneEditFrom(word)), word).toEqual(expected);
    }
  });

  it("knows one edit from two", () => {
    expect(isOneEdit("standstill", "standstlil")).toBe(true);
    expect(isOneEdit("contract", "contarct")).toBe(true);
    expect(isOneEdit("contract", "cnotarct")).toBe(false);
    expect(isOneEdit("contract", "contracts")).toBe(true);
    expect(isOneEdit("contract", "kontract")).toBe(true);
    expect(isOneEdit("contract", "contract")).toBe(false);
    expect(isOneEdit("ab", "ba")).toBe(true);
    expect(isOneEdit("abc", "cba")).toBe(false);
  });
});
