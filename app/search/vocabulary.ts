// Every index term with roughly how many documents use it. We expand prefixes and typos against
// this list ourselves, with hard limits, instead of asking Lunr to walk its token set with a
// wildcard or an edit distance (which is what made one-typo queries take a third of a second).

const PREFIX_SCAN_LIMIT = 4_000;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export type SerialisedVocabulary = { terms: string[]; frequencies: number[] };

export class Vocabulary {
  private readonly positions = new Map<string, number>();

  /** `terms` must be sorted (code-unit order), `frequencies` aligned with it. */
  constructor(
    readonly terms: string[],
    readonly frequencies: ArrayLike<number>,
  ) {
    terms.forEach((term, position) => this.positions.set(term, position));
  }

  static fromCounts(counts: Map<string, number>) {
    const terms = [...counts.keys()].sort();
    return new Vocabulary(
      terms,
      terms.map((term) => counts.get(term) ?? 0),
    );
  }

  static load(serialised: SerialisedVocabulary) {
    return new Vocabulary(serialised.terms, serialised.frequencies);
  }

  toJSON(): SerialisedVocabulary {
    return { terms: this.terms, frequencies: Array.from(this.frequencies) };
  }

  get size() {
    return this.terms.length;
  }

  frequency(term: string) {
    const position = this.positions.get(term);
    return position === undefined ? 0 : (this.frequencies[position] ?? 0);
  }

  /** Terms starting with `prefix`, at most `limit`, most used first. */
  withPrefix(prefix: string, limit: number): string[] {
    let low = 0;
    let high = this.terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.terms[middle] ?? "") < prefix) low = middle + 1;
      else high = middle;
    }
    const found: Array<{ term: string; frequency: number }> = [];
    for (let position = low; position < this.terms.length && found.length < PREFIX_SCAN_LIMIT; position += 1) {
      const term = this.terms[position]!;
      if (!term.startsWith(prefix)) break;
      found.push({ term, frequency: this.frequencies[position] ?? 0 });
    }
    return found
      .sort((a, b) => b.frequency - a.frequency)
      .slice(0, limit)
      .map((entry) => entry.term);
  }
}

/** Every string one edit (delete, swap, replace, insert) away from `word`. Bounded by word length. */
export function* oneEditAway(word: string): Generator<string> {
  for (let i = 0; i < word.length; i += 1) {
    yield word.slice(0, i) + word.slice(i + 1);
    if (i + 1 < word.length) yield word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    for (const letter of ALPHABET) {
      if (letter !== word[i]) yield word.slice(0, i) + letter + word.slice(i + 1);
    }
  }
  for (let i = 0; i <= word.length; i += 1) {
    for (const letter of ALPHABET) yield word.slice(0, i) + letter + word.slice(i);
  }
}
