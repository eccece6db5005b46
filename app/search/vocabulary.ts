// Every index term of the main index with how many documents use it. We expand prefixes and
// typos against this list ourselves, with hard limits, instead of asking Lunr to walk a token set
// with a wildcard or an edit distance (which is what made one-typo queries take a third of a
// second), and it holds the corpus-wide counts that BM25's idf needs.

const PREFIX_SCAN_LIMIT = 4_000;
/** Terms are packed with their deletions' hashes as hash * 2^21 + term number, exact in a double. */
const TERM_NUMBER_SPACE = 2 ** 21;
const MIN_TYPO_TERM_LENGTH = 3;
const MAX_TYPO_TERM_LENGTH = 30;

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
  private deletions: Float64Array | null = null;

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

  /**
   * Terms one edit (a letter deleted, inserted, replaced, or two swapped) from `word`. Found
   * through each term's deletions (the "symmetric delete" method): two strings are one edit
   * apart only if one is the other with a letter deleted, or both share a deletion. So a lookup
   * costs a few dozen binary searches, not a thousand guesses at spellings.
   */
  oneEditFrom(word: string): string[] {
    const deletions = (this.deletions ??= this.buildDeletions());
    const found = new Set<string>();
    const consider = (term: string | undefined) => {
      if (term !== undefined && term !== word && isOneEdit(word, term)) found.add(term);
    };
    const byHash = (text: string) => {
      const hash = hashOf(text);
      let low = 0;
      let high = deletions.length;
      const first = hash * TERM_NUMBER_SPACE;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (deletions[middle]! < first) low = middle + 1;
        else high = middle;
      }
      for (let at = low; at < deletions.length && deletions[at]! < first + TERM_NUMBER_SPACE; at += 1) {
        consider(this.terms[deletions[at]! - first]);
      }
    };
    byHash(word);
    for (const deleted of deletionsOf(word)) {
      if (this.numbers.has(deleted)) consider(deleted);
      byHash(deleted);
    }
    return [...found];
  }

  private buildDeletions() {
    const packed: number[] = [];
    this.terms.forEach((term, number) => {
      if (number >= TERM_NUMBER_SPACE || term.length < MIN_TYPO_TERM_LENGTH || term.length > MAX_TYPO_TERM_LENGTH) {
        return;
      }
      for (const deleted of deletionsOf(term)) packed.push(hashOf(deleted) * TERM_NUMBER_SPACE + number);
    });
    return Float64Array.from(packed).sort();
  }
}

function deletionsOf(word: string) {
  const deletions = new Set<string>();
  for (let at = 0; at < word.length; at += 1) deletions.add(word.slice(0, at) + word.slice(at + 1));
  return deletions;
}

/** FNV-1a, 32 bits. */
function hashOf(text: string) {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at += 1) {
    hash ^= text.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** True when `a` and `b` are one deletion, insertion, replacement or swap of neighbours apart. */
export function isOneEdit(a: string, b: string) {
  if (a === b) return false;
  if (a.length === b.length) {
    let first = -1;
    for (let at = 0; at < a.length; at += 1) {
      if (a[at] === b[at]) continue;
      if (first >= 0) {
        // A second difference: only a swap of the two neighbours will do.
        return at === first + 1 && a[first] === b[at] && a[at] === b[first] && a.slice(at + 1) === b.slice(at + 1);
      }
      first = at;
    }
    return true;
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  if (longer.length - shorter.length !== 1) return false;
  let at = 0;
  while (at < shorter.length && shorter[at] === longer[at]) at += 1;
  return shorter.slice(at) === longer.slice(at + 1);
}
