import lunr from "lunr";

// Lunr keeps a finite-state token set of every term so that a query can expand wildcards and
// edit distances. We expand prefixes and typos ourselves (bounded, see vocabulary.ts) and only
// ever ask Lunr for exact terms, so the token set is pure cost: building and minimising it was
// most of the time spent loading an index and a large share of its memory. This stands in for
// it, answering Lunr's one question ("which of these terms do you have?") from the postings.

type Postings = Record<string, unknown>;

class ExactTermSet {
  constructor(private readonly invertedIndex: Postings) {}

  intersect(clause: lunr.TokenSet) {
    const terms = clause.toArray().filter((term) => Object.hasOwn(this.invertedIndex, term));
    return { toArray: () => terms };
  }
}

type SerialisedIndex = {
  fields: string[];
  fieldVectors: Array<[string, number[]]>;
  invertedIndex: Array<[string, object]>;
  pipeline: string[];
};

function indexOf(attributes: {
  invertedIndex: Postings;
  fieldVectors: Record<string, lunr.Vector>;
  fields: string[];
}): lunr.Index {
  return new lunr.Index({
    ...attributes,
    tokenSet: new ExactTermSet(attributes.invertedIndex) as unknown as lunr.TokenSet,
    pipeline: new lunr.Pipeline(),
  } as unknown as ConstructorParameters<typeof lunr.Index>[0]);
}

/** Builds the index from a configured builder, without a token set. */
export function finishBuilder(builder: lunr.Builder): lunr.Index {
  const internals = builder as unknown as {
    calculateAverageFieldLengths(): void;
    createFieldVectors(): void;
    invertedIndex: Postings;
    fieldVectors: Record<string, lunr.Vector>;
    _fields: Record<string, unknown>;
  };
  internals.calculateAverageFieldLengths();
  internals.createFieldVectors();
  return indexOf({
    invertedIndex: internals.invertedIndex,
    fieldVectors: internals.fieldVectors,
    fields: Object.keys(internals._fields),
  });
}

/** Loads an index serialised by Lunr's own toJSON, without a token set. */
export function loadIndex(serialised: object): lunr.Index {
  const { fields, fieldVectors, invertedIndex } = serialised as SerialisedIndex;
  const vectors = Object.create(null) as Record<string, lunr.Vector>;
  for (const [ref, elements] of fieldVectors) vectors[ref] = new lunr.Vector(elements);
  const postings = Object.create(null) as Postings;
  for (const [term, posting] of invertedIndex) postings[term] = posting;
  return indexOf({ invertedIndex: postings, fieldVectors: vectors, fields });
}
