import lunr from "lunr";
import { z } from "zod";

import { parseStoredJson } from "~/utils/stored-json";

import { type AnalysedField, termName } from "./analysis";

// Full postings for a few thousand documents, in typed arrays. Lunr keeps postings as nested
// objects (term -> field -> ref -> metadata) and a lunr.Vector per document field: about 20 times
// the memory of the postings themselves, which at 100k items is several gigabytes. This keeps the
// same information (which documents use a term, how often, and where) compactly, and scores it
// with Lunr's BM25 exactly as Lunr's own index does: `query` answers Lunr's query interface, and
// compact-index.test.ts checks it returns what lunr.Index returns for the same documents.

/** Lunr's BM25 parameters (lunr.Builder's defaults). */
const K1 = 1.2;
const B = 0.75;

/** A term's positions in a posting are found by skipping from the start of its block of this many postings. */
const POSITION_BLOCK = 4;
/** A frequency byte of 255 means the true count (255 or more) is written before the positions. */
const LARGE_FREQUENCY = 255;
const FORMAT = "commons-compact-index-3";

export type FieldPostings = {
  /** Where each term's postings start (by term number), and one past the last. */
  offsets: Uint32Array;
  /** Document numbers within the index, ascending within each term. */
  documents: Uint16Array;
  /** How often the document uses the term in this field (LARGE_FREQUENCY: see the positions). */
  frequencies: Uint8Array;
  /** Word positions of each posting, as variable-length deltas. */
  positions: Uint8Array;
  /** Byte offset in `positions` of every POSITION_BLOCK-th posting. */
  positionBlocks: Uint32Array;
};

export type IndexedDocument = { fields: readonly AnalysedField[] };

// Lunr has these; its published types do not declare them.
type LunrClause = lunr.Query.Clause & { presence?: lunr.Query.presence };
type LunrQuery = lunr.Query & { isNegated(): boolean };

/** Lunr's idf: it counts a document once for every field that uses the term. */
export function lunrIdf(postings: number, documentCount: number) {
  const x = (documentCount - postings + 0.5) / (postings + 0.5);
  return Math.log(1 + Math.abs(x));
}

/** The length part of Lunr's BM25 for one field of one document. */
export function fieldNorm(length: number, averageLength: number) {
  return K1 * (1 - B + B * (length / averageLength));
}

/** One entry of a Lunr field vector: BM25 with the field's boost, rounded as Lunr rounds it. */
export function termWeight(idf: number, frequency: number, norm: number, fieldBoost: number) {
  let score = (idf * ((K1 + 1) * frequency)) / (norm + frequency);
  score *= fieldBoost;
  return Math.round(score * 1000) / 1000;
}

export class CompactIndex {
  private numbers: Map<string, number> | null = null;

  constructor(
    /** The index's terms, sorted (code-unit order); a term's number is its place here. */
    private termList: readonly string[] | null,
    readonly documentCount: number,
    /** Per field, per document: its number of terms (Lunr's field length). */
    readonly lengths: readonly Uint32Array[],
    readonly fields: readonly FieldPostings[],
  ) {}

  get termCount() {
    return this.fields[0]!.offsets.length - 1;
  }

  get terms(): readonly string[] {
    if (!this.termList) throw new Error("This index has let go of its terms; look them up by number");
    return this.termList;
  }

  /** Drops the term strings, when something else (the main vocabulary) finds terms by number. */
  forgetTerms() {
    this.termList = null;
    this.numbers = null;
  }

  /** The term's number in this index, or -1. */
  termNumber(term: string) {
    this.numbers ??= new Map(this.terms.map((entry, number) => [entry, number]));
    return this.numbers.get(term) ?? -1;
  }

  /** How many documents use the term in `field`. */
  postingCount(field: number, termNumber: number) {
    const offsets = this.fields[field]!.offsets;
    return offsets[termNumber + 1]! - offsets[termNumber]!;
  }

  /** The true frequency of posting `index` (only differs from the stored byte for LARGE_FREQUENCY). */
  frequencyAt(field: number, index: number) {
    const postings = this.fields[field]!;
    const stored = postings.frequencies[index]!;
    if (stored !== LARGE_FREQUENCY) return stored;
    return readVarint(postings.positions, this.positionOffset(field, index)).value;
  }

  private positionOffset(field: number, index: number) {
    const { positions, positionBlocks, frequencies } = this.fields[field]!;
    const block = Math.floor(index / POSITION_BLOCK);
    let offset = positionBlocks[block]!;
    for (let posting = block * POSITION_BLOCK; posting < index; posting += 1) {
      let count = frequencies[posting]!;
      if (count === LARGE_FREQUENCY) {
        const large = readVarint(positions, offset);
        count = large.value;
        offset = large.next;
      }
      for (let skipped = 0; skipped < count; skipped += 1) {
        while (positions[offset]! >= 0x80) offset += 1;
        offset += 1;
      }
    }
    return offset;
  }

  /**
   * Writes the word positions of posting `index` into `into` and returns how many there are;
   * when `into` is too short, writes nothing and returns the count as a negative number.
   */
  positionsInto(field: number, index: number, into: Int32Array): number {
    const postings = this.fields[field]!;
    const bytes = postings.positions;
    let offset = this.positionOffset(field, index);
    let count = postings.frequencies[index]!;
    if (count === LARGE_FREQUENCY) {
      const large = readVarint(bytes, offset);
      count = large.value;
      offset = large.next;
    }
    if (into.length < count) return -count;
    let position = 0;
    for (let entry = 0; entry < count; entry += 1) {
      let delta = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = bytes[offset]!;
        offset += 1;
        delta += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      position += delta;
      into[entry] = position;
    }
    return count;
  }

  /**
   * Lunr's lunr.Index#query over this index alone (its own document count and field lengths):
   * the same clauses, presence rules and scores. The search engine scores several of these
   * together with corpus-wide statistics; this is the reference it is tested against.
   */
  query(
    refs: readonly string[],
    fieldNames: readonly string[],
    boosts: readonly number[],
    fn: lunr.Index.QueryBuilder,
  ) {
    const query = new lunr.Query(fieldNames as string[]) as LunrQuery;
    fn.call(query, query);
    const fieldCount = fieldNames.length;
    const averages = this.lengths.map(
      (lengths) => lengths.reduce((sum, length) => sum + length, 0) / this.documentCount,
    );
    const queryVectors = fieldNames.map(() => new Map<number, number>());
    const required: Array<Set<number> | null> = fieldNames.map(() => null);
    const prohibited = new Set<number>();
    const matchingFields = new Map<number, Set<number>>();
    for (const clause of query.clauses as LunrClause[]) {
      const number = this.termNumber(clause.term);
      const clauseFields = (clause.fields ?? fieldNames).map((name) => fieldNames.indexOf(name));
      if (number < 0) {
        if (clause.presence === lunr.Query.presence.REQUIRED)
          for (const field of clauseFields) required[field] = new Set();
        continue;
      }
      const clauseMatches = new Set<number>();
      for (const field of clauseFields) {
        const documents = this.documentsOf(field, number);
        if (clause.presence === lunr.Query.presence.PROHIBITED) {
          for (const document of documents) prohibited.add(document);
          continue;
        }
        if (clause.presence === lunr.Query.presence.REQUIRED)
          for (const document of documents) clauseMatches.add(document);
        const vector = queryVectors[field]!;
        vector.set(number, (vector.get(number) ?? 0) + (clause.boost ?? 1));
        let fields = matchingFields.get(field);
        if (!fields) matchingFields.set(field, (fields = new Set()));
        for (const document of documents) fields.add(document);
      }
      if (clause.presence === lunr.Query.presence.REQUIRED) {
        for (const field of clauseFields) {
          const current = required[field];
          required[field] = current
            ? new Set([...current].filter((document) => clauseMatches.has(document)))
            : clauseMatches;
        }
      }
    }
    const isRequiredMatch = (document: number) => required.every((set) => set === null || set.has(document));
    const scores = new Map<number, number>();
    if (query.isNegated()) {
      // Lunr answers a query of exclusions alone with every other document, unscored.
      for (let document = 0; document < this.documentCount; document += 1) {
        if (!prohibited.has(document)) scores.set(document, 0);
      }
    }
    for (let field = 0; field < fieldCount; field += 1) {
      const vector = queryVectors[field]!;
      const magnitude = Math.sqrt([...vector.values()].reduce((sum, boost) => sum + boost * boost, 0));
      for (const document of matchingFields.get(field) ?? []) {
        if (!isRequiredMatch(document) || prohibited.has(document)) continue;
        let dot = 0;
        for (const [number, boost] of vector) {
          const index = this.postingIndex(field, number, document);
          if (index < 0) continue;
          const idf = lunrIdf(this.lunrPostings(number), this.documentCount);
          const norm = fieldNorm(this.lengths[field]![document]!, averages[field]!);
          dot += boost * termWeight(idf, this.frequencyAt(field, index), norm, boosts[field]!);
        }
        scores.set(document, (scores.get(document) ?? 0) + (dot / magnitude || 0));
      }
    }
    return [...scores].map(([document, score]) => ({ ref: refs[document]!, score })).sort((a, b) => b.score - a.score);
  }

  /** Postings of the term in every field: what Lunr's idf counts. */
  lunrPostings(termNumber: number) {
    let count = 0;
    for (let field = 0; field < this.fields.length; field += 1) count += this.postingCount(field, termNumber);
    return count;
  }

  private documentsOf(field: number, termNumber: number) {
    const { offsets, documents } = this.fields[field]!;
    return documents.subarray(offsets[termNumber], offsets[termNumber + 1]);
  }

  private postingIndex(field: number, termNumber: number, document: number) {
    const { offsets, documents } = this.fields[field]!;
    let low = offsets[termNumber]!;
    let high = offsets[termNumber + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (documents[middle]! < document) low = middle + 1;
      else high = middle;
    }
    return low < offsets[termNumber + 1]! && documents[low] === document ? low : -1;
  }
}

/** Reads one unsigned LEB128 number. */
function readVarint(bytes: Uint8Array, offset: number) {
  let value = 0;
  let shift = 0;
  let next = offset;
  for (;;) {
    const byte = bytes[next]!;
    next += 1;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next };
    shift += 7;
  }
}

/** A growable array of unsigned integers. */
class Growable<T extends Uint8Array | Uint32Array> {
  length = 0;

  constructor(
    private data: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number) {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  at(index: number) {
    return this.data[index]!;
  }

  /** Makes room for `count` more entries, to be filled with `set`. */
  reserve(count: number) {
    if (this.length + count > this.data.length) {
      const bigger = this.make(Math.max(this.data.length * 2, this.length + count));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.length += count;
  }

  set(index: number, value: number) {
    this.data[index] = value;
  }

  pushVarint(value: number) {
    let rest = value;
    while (rest >= 0x80) {
      this.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.push(rest);
  }

  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const growU32 = () => new Growable(new Uint32Array(1024), (size) => new Uint32Array(size));
const growU8 = () => new Growable(new Uint8Array(1024), (size) => new Uint8Array(size));

export const MAX_INDEX_DOCUMENTS = 0xffff;

/** Builds the postings of up to 65,535 documents, each with the same number of analysed fields. */
export function buildCompactIndex(documents: readonly IndexedDocument[], fieldCount: number): CompactIndex {
  if (documents.length > MAX_INDEX_DOCUMENTS) throw new Error(`At most ${MAX_INDEX_DOCUMENTS} documents per index`);
  // Analysis numbers terms across the process; this index numbers its own, densely.
  let local = new Int32Array(1024).fill(-1);
  const globals: number[] = [];
  const lengths = Array.from({ length: fieldCount }, () => new Uint32Array(documents.length));
  // Postings in document order first, then sorted by term into place.
  const raw = Array.from({ length: fieldCount }, () => ({
    terms: growU32(),
    documents: growU32(),
    frequencies: growU32(),
    starts: growU32(),
    positions: growU32(),
  }));
  // Per document field: each token's term, then each term's count and where its positions go,
  // in two passes (sorting the tokens instead cost most of the build).
  let ids = new Uint32Array(256);
  let seen = new Int32Array(1024).fill(-1);
  let frequency = new Uint32Array(1024);
  let slot = new Uint32Array(1024);
  let touched = new Uint32Array(256);
  let stamp = 0;
  const grow = <T extends Int32Array | Uint32Array>(array: T, size: number, make: (size: number) => T) => {
    const bigger = make(Math.max(size, array.length * 2));
    bigger.set(array);
    return bigger;
  };
  documents.forEach((document, documentNumber) => {
    for (let field = 0; field < fieldCount; field += 1) {
      const { terms, positions } = document.fields[field]!;
      const count = terms.length;
      lengths[field]![documentNumber] = count;
      if (count === 0) continue;
      if (ids.length < count) {
        ids = new Uint32Array(count * 2);
        touched = new Uint32Array(count * 2);
      }
      stamp += 1;
      let distinct = 0;
      for (let index = 0; index < count; index += 1) {
        const global = terms[index]!;
        if (global >= local.length) local = grow(local, global + 1, (size) => new Int32Array(size).fill(-1));
        let number = local[global]!;
        if (number < 0) {
          number = globals.length;
          local[global] = number;
          globals.push(global);
          if (number >= seen.length) {
            seen = grow(seen, number + 1, (size) => new Int32Array(size).fill(-1));
            frequency = grow(frequency, number + 1, (size) => new Uint32Array(size));
            slot = grow(slot, number + 1, (size) => new Uint32Array(size));
          }
        }
        ids[index] = number;
        if (seen[number] !== stamp) {
          seen[number] = stamp;
          frequency[number] = 0;
          touched[distinct++] = number;
        }
        frequency[number]! += 1;
      }
      const target = raw[field]!;
      let start = target.positions.length;
      for (let entry = 0; entry < distinct; entry += 1) {
        const term = touched[entry]!;
        target.terms.push(term);
        target.documents.push(documentNumber);
        target.frequencies.push(frequency[term]!);
        target.starts.push(start);
        slot[term] = start;
        start += frequency[term]!;
      }
      target.positions.reserve(count);
      // Tokens come in position order, so each term's positions land in ascending order.
      for (let index = 0; index < count; index += 1) target.positions.set(slot[ids[index]!]!++, positions[index]!);
    }
  });

  const names = globals.map(termName);
  const numbers = new Map(names.map((name, number) => [name, number]));
  const sortedNames = [...names].sort();
  const rank = new Uint32Array(names.length);
  sortedNames.forEach((name, position) => (rank[numbers.get(name)!] = position));
  const fields = raw.map((postings) => {
    const total = postings.terms.length;
    const offsets = new Uint32Array(sortedNames.length + 1);
    for (let index = 0; index < total; index += 1) offsets[rank[postings.terms.at(index)]! + 1]! += 1;
    for (let term = 0; term < sortedNames.length; term += 1) offsets[term + 1]! += offsets[term]!;
    const cursor = offsets.slice(0, sortedNames.length);
    const placed = new Uint32Array(total);
    const documentNumbers = new Uint16Array(total);
    const frequencies = new Uint8Array(total);
    for (let index = 0; index < total; index += 1) {
      const at = cursor[rank[postings.terms.at(index)]!]!++;
      placed[at] = index;
      documentNumbers[at] = postings.documents.at(index);
      frequencies[at] = Math.min(LARGE_FREQUENCY, postings.frequencies.at(index));
    }
    const positions = growU8();
    const positionBlocks = new Uint32Array(Math.ceil(total / POSITION_BLOCK));
    for (let at = 0; at < total; at += 1) {
      if (at % POSITION_BLOCK === 0) positionBlocks[at / POSITION_BLOCK] = positions.length;
      const index = placed[at]!;
      const count = postings.frequencies.at(index);
      if (count >= LARGE_FREQUENCY) positions.pushVarint(count);
      const start = postings.starts.at(index);
      let previous = 0;
      for (let entry = 0; entry < count; entry += 1) {
        const position = postings.positions.at(start + entry);
        positions.pushVarint(position - previous);
        previous = position;
      }
    }
    return { offsets, documents: documentNumbers, frequencies, positions: positions.done(), positionBlocks };
  });
  return new CompactIndex(sortedNames, documents.length, lengths, fields);
}

const HeaderSchema = z.object({
  format: z.literal(FORMAT),
  documentCount: z.number().int().nonnegative(),
  /** The terms, or (when the index is part of a bigger vocabulary) only how many: see `numbers`. */
  terms: z.array(z.string()),
  termCount: z.number().int().nonnegative(),
  /** Whether the terms are stored as the vocabulary's numbers for them, after the field lengths. */
  isNumbered: z.boolean(),
  fields: z.array(
    z.object({
      postings: z.number().int().nonnegative(),
      positionBytes: z.number().int().nonnegative(),
      blocks: z.number().int().nonnegative(),
    }),
  ),
});

type Header = z.infer<typeof HeaderSchema>;

const align = (value: number) => Math.ceil(value / 8) * 8;

/**
 * One buffer holding the index: a JSON header, then its arrays. With `vocabularyNumbers` (a
 * bigger vocabulary's number for each term, ascending like the terms), those replace the strings,
 * which spares parsing and looking up every term of every shard when the index is loaded.
 */
export function serialiseCompactIndex(index: CompactIndex, vocabularyNumbers?: Uint32Array): Uint8Array {
  const header: Header = {
    format: FORMAT,
    documentCount: index.documentCount,
    terms: vocabularyNumbers ? [] : [...index.terms],
    termCount: index.termCount,
    isNumbered: vocabularyNumbers !== undefined,
    fields: index.fields.map((field) => ({
      postings: field.documents.length,
      positionBytes: field.positions.length,
      blocks: field.positionBlocks.length,
    })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const arrays: ArrayBufferView[] = [...index.lengths, ...(vocabularyNumbers ? [vocabularyNumbers] : [])];
  for (const field of index.fields) {
    arrays.push(field.offsets, field.positionBlocks, field.documents, field.frequencies, field.positions);
  }
  let size = align(4 + headerBytes.length);
  for (const array of arrays) size += align(array.byteLength);
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, headerBytes.length, true);
  bytes.set(headerBytes, 4);
  let offset = align(4 + headerBytes.length);
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += align(array.byteLength);
  }
  return bytes;
}

/** Reads a serialised index; its arrays are views on `bytes`, not copies. */
export function loadCompactIndex(input: Uint8Array): { index: CompactIndex; vocabularyNumbers: Uint32Array | null } {
  // Typed-array views need aligned offsets; a buffer from a pool may not start on one.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = parseStoredJson(
    HeaderSchema,
    new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)),
    `A search index header (this version reads ${FORMAT})`,
  );
  let offset = bytes.byteOffset + align(4 + headerLength);
  const take = <T>(
    make: (buffer: ArrayBufferLike, offset: number, length: number) => T,
    length: number,
    width: number,
  ) => {
    const array = make(bytes.buffer, offset, length);
    offset += align(length * width);
    return array;
  };
  const u32 = (length: number) => take((buffer, at, count) => new Uint32Array(buffer, at, count), length, 4);
  const u16 = (length: number) => take((buffer, at, count) => new Uint16Array(buffer, at, count), length, 2);
  const u8 = (length: number) => take((buffer, at, count) => new Uint8Array(buffer, at, count), length, 1);
  const lengths = header.fields.map(() => u32(header.documentCount));
  const vocabularyNumbers = header.isNumbered ? u32(header.termCount) : null;
  const fields = header.fields.map((field) => ({
    offsets: u32(header.termCount + 1),
    positionBlocks: u32(field.blocks),
    documents: u16(field.postings),
    frequencies: u8(field.postings),
    positions: u8(field.positionBytes),
  }));
  return {
    index: new CompactIndex(header.isNumbered ? null : header.terms, header.documentCount, lengths, fields),
    vocabularyNumbers,
  };
}
