import { beforeAll, describe, expect, it } from "vitest";

import { termFor, wordsOf } from "~/search/analysis";
import type { SearchDocument } from "~/search/documents";
import { SearchEngine } from "~/search/engine";
import { parseQuery } from "~/search/query-parser";
import { buildSnapshot, loadSnapshot } from "~/search/snapshot.server";

import { exactMatcher, oursQuery, planRecallQueries, type RecallQuery } from "../../scripts/lib/search-recall";
import { syntheticSearchDocuments } from "../factories/search-documents";

// Full recall (issue 15, item 1): the benchmark's queries, drawn from the corpus, against the
// same exact scan, on a library small enough for a unit test and split over several shards.
// `npm run bench:search` measures the same at 1k-100k items.

const SIZE = 1_000;
const documents = syntheticSearchDocuments(SIZE, 15);
const queries = planRecallQueries(documents, SIZE);
const matchers = documents.map((document) => ({ ref: document.ref, has: exactMatcher(document) }));
const engine = new SearchEngine();

beforeAll(async () => {
  engine.replaceMain(await loadSnapshot(buildSnapshot(documents, { shardSize: 150 })), 0);
});

function found(query: RecallQuery, limit = SIZE) {
  return engine.search({ query: parseQuery(oursQuery(query)), limit }).hits.map((hit) => hit.ref);
}

function expectedFor(query: RecallQuery) {
  return matchers.filter((matcher) => matcher.has(query)).map((matcher) => matcher.ref);
}

const analysedValues = new Map<string, Array<Array<string | null>>>();
const valuesOf = (document: SearchDocument) => {
  let values = analysedValues.get(document.ref);
  if (!values) {
    values = [document.title, document.summary, ...document.tags, ...document.details, document.body].map((value) =>
      wordsOf(value).map(termFor),
    );
    analysedValues.set(document.ref, values);
  }
  return values;
};

/** Whether the phrase's terms stand side by side in one of the document's values. */
function hasTermsTogether(document: SearchDocument, terms: string[]) {
  return valuesOf(document).some((value) =>
    value.some((_, start) => terms.every((term, offset) => value[start + offset] === term)),
  );
}

describe("recall against an exact scan", () => {
  it.each(["word", "and", "phrase"] as const)("finds every document that has the words (%s queries)", (kind) => {
    const ofKind = queries.filter((query) => query.kind === kind);
    expect(ofKind.length).toBeGreaterThanOrEqual(40);
    for (const query of ofKind) {
      const expected = expectedFor(query);
      expect(expected.length, oursQuery(query)).toBeGreaterThan(0);
      const results = new Set(found(query));
      expect(
        expected.filter((ref) => !results.has(ref)),
        oursQuery(query),
      ).toEqual([]);
    }
  });

  it("finds body words however rare or common they are", () => {
    const classes = new Set(queries.filter((query) => query.kind === "word").map((query) => query.className));
    expect([...classes]).toEqual(
      expect.arrayContaining(["body word in 1 document", "body word in 2-10", "body word in 101-1,000"]),
    );
  });

  it("returns for a phrase only documents where its words stand together", () => {
    const byRef = new Map(documents.map((document) => [document.ref, document]));
    for (const query of queries.filter((candidate) => candidate.kind === "phrase")) {
      const terms = query.words.map((word) => termFor(word)!);
      const reversed = [...terms].reverse();
      for (const ref of found(query))
        expect(hasTermsTogether(byRef.get(ref)!, terms), `${ref} ${oursQuery(query)}`).toBe(true);
      const backwards = engine.search({ query: parseQuery(`"${[...query.words].reverse().join(" ")}"`), limit: SIZE });
      for (const hit of backwards.hits) expect(hasTermsTogether(byRef.get(hit.ref)!, reversed)).toBe(true);
    }
  });

  it("puts the document with a rare word and a common one in the top 20 for both", () => {
    const orQueries = queries.filter((query) => query.kind === "or");
    expect(orQueries.length).toBeGreaterThanOrEqual(10);
    for (const query of orQueries) {
      const top = new Set(found(query, 20));
      expect(
        expectedFor(query).filter((ref) => !top.has(ref)),
        oursQuery(query),
      ).toEqual([]);
    }
  });
});
