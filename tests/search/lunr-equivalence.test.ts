import lunr from "lunr";
import { describe, expect, it } from "vitest";

import { TOKEN_SEPARATOR, termName, termsOf } from "~/search/analysis";
import { buildCompactIndex, loadCompactIndex, serialiseCompactIndex } from "~/search/compact-index";
import { analyseDocument, FIELD_BOOSTS, type SearchDocument } from "~/search/documents";
import { SearchEngine } from "~/search/engine";
import { parseQuery, SEARCH_FIELDS } from "~/search/query-parser";
import { buildSnapshot, loadSnapshot } from "~/search/snapshot.server";

import { syntheticItems } from "../../scripts/lib/synthetic-corpus";
import { syntheticSearchDocuments } from "../factories/search-documents";

// Lunr stays the engine: its analysis, its query model and its BM25. These pin that the compact
// index (and the engine built on it, across shards) gives what a lunr.Index over the same
// documents gives.

const documentsOf = (count: number) => syntheticSearchDocuments(count);

function lunrIndexOf(documents: SearchDocument[]) {
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.ref("ref");
  for (const field of SEARCH_FIELDS) builder.field(field, { boost: FIELD_BOOSTS[field] });
  for (const document of documents) {
    const analysed = analyseDocument(document);
    builder.add({
      ref: document.ref,
      ...Object.fromEntries(
        SEARCH_FIELDS.map((field, number) => [field, analysed.fields[number]!.terms.map(termName)]),
      ),
    });
  }
  return builder.build();
}

const QUERIES: Array<[string, lunr.Index.QueryBuilder]> = [
  ["one word", (q) => q.term("contract", { usePipeline: false })],
  ["two words", (q) => q.term(["supplier", "evalu"], { usePipeline: false })],
  ["in the title", (q) => q.term("council", { fields: ["title"], usePipeline: false })],
  ["boosted", (q) => q.term("social", { boost: 3, usePipeline: false }).term("valu", { usePipeline: false })],
  [
    "required and prohibited",
    (q) =>
      q
        .term("market", { presence: lunr.Query.presence.REQUIRED, usePipeline: false })
        .term("engag", { usePipeline: false })
        .term("fleet", { presence: lunr.Query.presence.PROHIBITED, usePipeline: false }),
  ],
  ["a word nobody uses", (q) => q.term("zzzzqx", { usePipeline: false }).term("tender", { usePipeline: false })],
];

function expectSameScores(
  actual: Array<{ ref: string; score: number }>,
  expected: Array<{ ref: string; score: number }>,
) {
  expect(actual.length).toBe(expected.length);
  const scores = new Map(expected.map((result) => [result.ref, result.score]));
  for (const result of actual) expect(result.score).toBeCloseTo(scores.get(result.ref)!, 9);
}

describe("analysis", () => {
  it("is Lunr's tokeniser (split on anything but letters and digits), stop-word filter and stemmer", () => {
    const separator = lunr.tokenizer.separator;
    lunr.tokenizer.separator = TOKEN_SEPARATOR;
    try {
      const pipeline = new lunr.Pipeline();
      pipeline.add(lunr.stopWordFilter, lunr.stemmer);
      for (const item of syntheticItems(20, 5)) {
        const text = `${item.title} ${item.summary} ${item.body} value/money net-zero UK6's £2.5m`;
        const expected = pipeline.run(lunr.tokenizer(text)).map((token) => token.toString());
        expect(termsOf(text)).toEqual(expected);
      }
    } finally {
      lunr.tokenizer.separator = separator;
    }
  });
});

describe("the compact index", () => {
  const documents = documentsOf(60);
  const refs = documents.map((document) => document.ref);
  const lunrIndex = lunrIndexOf(documents);
  const compact = loadCompactIndex(
    serialiseCompactIndex(buildCompactIndex(documents.map(analyseDocument), SEARCH_FIELDS.length)),
  ).index;

  it.each(QUERIES)("answers Lunr's query (%s) with Lunr's documents and scores", (_, query) => {
    const expected = lunrIndex.query(query);
    const actual = compact.query(
      refs,
      SEARCH_FIELDS,
      SEARCH_FIELDS.map((field) => FIELD_BOOSTS[field]),
      query,
    );
    expect(expected.length).toBeGreaterThan(0);
    expectSameScores(actual, expected);
  });
});

describe("the engine", () => {
  it("scores documents across shards as one Lunr index over the whole corpus does, times the share of words matched", async () => {
    const documents = documentsOf(60);
    const lunrIndex = lunrIndexOf(documents);
    const engine = new SearchEngine();
    // Seven shards: idf and field lengths must be the corpus's, not each shard's.
    engine.replaceMain(await loadSnapshot(buildSnapshot(documents, { shardSize: 9 })), 0);
    for (const text of ["contract supplier", "title:council", "social value evaluation"]) {
      const outcome = engine.search({ query: parseQuery(text), limit: 100 });
      const expected = lunrIndex.query((q) => {
        for (const clause of parseQuery(text).clauses) {
          const word = clause.forms[0]!.words[0]!;
          q.term(word.term!, { usePipeline: false, ...(clause.field ? { fields: [clause.field] } : {}) });
        }
      });
      expect(outcome.total).toBe(expected.length);
      const words = parseQuery(text).clauses.length;
      expectSameScores(
        outcome.hits,
        expected.map((result) => ({
          ref: result.ref,
          score: (result.score * Object.keys(result.matchData.metadata).length) / words,
        })),
      );
    }
  });
});
