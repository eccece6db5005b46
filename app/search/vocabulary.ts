// Every index term of the main index with how many documents use it. We expand prefixes and
// typos against this list ourselves, with hard limits, instead of asking Lunr to walk a token set
// with a wildcard or an edit distance (which is what made one-typo queries take a third of a
// second), and it holds the corpus-wide counts that BM25's idf needs.

const PREFIX_SCAN_LIMIT = 4_000;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export type TermCounts = {
  /** Documents using the term in any field. */
  documents: number;
  /** Of those, documents everyone may find (not in a members-only community). */
  publicDocuments: number;
  /** Postings in all fields together: a document counts once per field using it, as Lunr's idf counts. */
  postings: number;
};

export type SerialisedVocabulary = {
  terms: string[];
  documents: number[];
  publicDocuments: number[];
  postings: number[];
};

export class Vocabulary {
  private readonly numbers = new Map<string, number>();

  /** `terms` must be sorted (code-unit order), the counts aligned with it. */
  constructor(
    readonly terms: readonly string[],
    private readonly documents: Uint32Array,
    private readonly publicDocuments: Uint32Array,
    private readonly postings: Uint32Array,
  ) {
    terms.forEach((term, number) => this.numbers.set(term, number));
  }

  static fromCounts(counts: Map<string, TermCounts>) {
    const terms = [...counts.keys()].sort();
    const column = (name: keyof TermCounts) => Uint32Array.from(terms, (term) => counts.get(term)![name]);
    return new Vocabulary(terms, column("documents"), column("publicDocuments"), column("postings"));
  }

  static load(serialised: SerialisedVocabulary) {
    return new Vocabulary(
      serialised.terms,
      Uint32Array.from(serialised.documents),
      Uint32Array.from(serialised.publicDocuments),
      Uint32Array.from(serialised.postings),
    );
  }

  toJSON(): SerialisedVocabulary {
    return {
      terms: [...this.terms],
      documents: Array.from(this.documents),
      publicDocuments: Array.from(this.publicDocuments),
      postings: Array.from(this.postings),
    };
  }

  get size() {
    return this.terms.length;
  }

  /** The term's number (its place in `terms`), or -1. */
  numberOf(term: string) {
    return this.numbers.get(term) ?? -1;
  }

  countsOf(number: number): TermCounts {
    if (number < 0) return { documents: 0, publicDocuments: 0, postings: 0 };
    return {
      documents: this.documents[number]!,
      publicDocuments: this.publicDocuments[number]!,
      postings: this.postings[number]!,
    };
  }

  /** Terms starting with `prefix`, at most PREFIX_SCAN_LIMIT of them, in order. */
  withPrefix(prefix: string): string[] {
    let low = 0;
    let high = this.terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.terms[middle] ?? "") < prefix) low = middle + 1;
      else high = middle;
    }
    const found: string[] = [];
    for (let position = low; position < this.terms.length && found.length < PREFIX_SCAN_LIMIT; position += 1) {
      const term = this.terms[position]!;
      if (!term.startsWith(prefix)) break;
      found.push(term);
    }
    return found;
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
