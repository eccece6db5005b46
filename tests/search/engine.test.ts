import { describe, expect, it } from "vitest";

import type { SearchDocument } from "~/search/documents";
import { SearchEngine, type SearchFilters, type SearchSort } from "~/search/engine";
import { parseQuery } from "~/search/query-parser";
import { buildSnapshot, loadSnapshot } from "~/search/snapshot.server";

// The engine on its own, on a handful of documents: no database, no service, no poller.

function document(id: number, overrides: Partial<SearchDocument> = {}): SearchDocument {
  return {
    ref: `item:${id}`,
    kind: "item",
    type: "tip",
    date: `2026-01-${String(id).padStart(2, "0")}T09:00:00.000Z`,
    themes: ["upstream"],
    tags: [],
    organisationType: null,
    procedure: null,
    valueBand: null,
    title: `Item ${id}`,
    summary: "",
    body: "",
    authors: [],
    fieldsText: "",
    ...overrides,
  };
}

/** An engine whose main index holds `documents`, two to a shard so that hits come from several shards. */
async function engineWith(documents: SearchDocument[]) {
  const engine = new SearchEngine();
  const built = buildSnapshot(documents, { shardSize: 2, expectedCount: documents.length });
  engine.replaceMain(await loadSnapshot(built), 0);
  return engine;
}

function search(
  engine: SearchEngine,
  query: string,
  options: { filters?: SearchFilters; sort?: SearchSort; offset?: number; limit?: number } = {},
) {
  return engine.search({ query: parseQuery(query), ...options });
}

describe("the search engine", () => {
  it("keeps the best hits across shards, in order, and pages through them without losing or repeating one", async () => {
    // Item n mentions "tender" n times, so a higher n scores higher.
    const documents = Array.from({ length: 9 }, (_, index) =>
      document(index + 1, { body: `${"tender ".repeat(index + 1)}notes on lot ${index + 1}` }),
    );
    const engine = await engineWith(documents);

    const all = search(engine, "tender", { limit: 20 });
    expect(all.total).toBe(9);
    expect(all.hits.map((hit) => hit.ref)).toEqual(documents.map((item) => item.ref).reverse());
    const scores = all.hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const pages = [0, 2, 4, 6, 8].flatMap((offset) => search(engine, "tender", { offset, limit: 2 }).hits);
    expect(pages.map((hit) => hit.ref)).toEqual(all.hits.map((hit) => hit.ref));

    const newest = search(engine, "tender", { sort: "newest", limit: 3 });
    expect(newest.hits.map((hit) => hit.date)).toEqual([documents[8]!.date, documents[7]!.date, documents[6]!.date]);
  });

  it("counts each facet's values under every other filter, so a reader sees what choosing one would give", async () => {
    const engine = await engineWith([
      document(1, { body: "tender", type: "tip", themes: ["upstream"] }),
      document(2, { body: "tender", type: "tip", themes: ["downstream"] }),
      document(3, { body: "tender", type: "case-study", themes: ["upstream"] }),
      document(4, { body: "tender", type: "case-study", themes: ["upstream", "partnership"] }),
      document(5, { body: "tender", type: "case-study", themes: ["downstream"] }),
      document(6, { body: "tender", type: "data-story", themes: ["partnership"] }),
      document(7, { body: "grant", type: "case-study", themes: ["upstream"] }),
    ]);

    const outcome = search(engine, "tender", { filters: { type: "case-study", theme: "upstream" } });
    expect(outcome.hits.map((hit) => hit.ref).sort()).toEqual(["item:3", "item:4"]);
    expect(outcome.total).toBe(2);
    // Types among the upstream matches; themes among the case-study matches; item 7 never matched.
    expect(outcome.facets.type).toEqual([
      { value: "case-study", count: 2 },
      { value: "tip", count: 1 },
    ]);
    expect(outcome.facets.theme).toEqual([
      { value: "upstream", count: 2 },
      { value: "downstream", count: 1 },
      { value: "partnership", count: 1 },
    ]);
  });

  it("answers from the delta for changed documents, hiding their old versions in the main index", async () => {
    const engine = await engineWith([
      document(1, { title: "Tender evaluation", type: "tip" }),
      document(2, { title: "Tender timetable" }),
      document(3, { title: "Supplier days" }),
    ]);
    expect(search(engine, "tender").total).toBe(2);

    engine.applyChanges({
      upserts: [
        document(1, { title: "Grant evaluation", type: "case-study" }),
        document(4, { title: "Tender clarifications" }),
      ],
      removals: ["item:2"],
      sequence: 5,
    });
    expect(search(engine, "tender").hits.map((hit) => hit.ref)).toEqual(["item:4"]);
    const evaluation = search(engine, "evaluation");
    expect(evaluation.hits.map((hit) => hit.ref)).toEqual(["item:1"]);
    expect(evaluation.facets.type).toEqual([{ value: "case-study", count: 1 }]);
    // Filters alone list every live document, once, and never a removed one.
    expect(search(engine, "", { filters: { kind: "item" } }).total).toBe(3);
    expect(engine.documentCount).toBe(3);
    expect(engine.deltaSize).toBe(3);

    // A rebuilt main index that includes the changes up to sequence 5 takes them over from the delta.
    const rebuilt = buildSnapshot(
      [
        document(1, { title: "Grant evaluation", type: "case-study" }),
        document(3, { title: "Supplier days" }),
        document(4, { title: "Tender clarifications" }),
      ],
      { shardSize: 2, expectedCount: 3 },
    );
    engine.applyChanges({ upserts: [], removals: ["item:3"], sequence: 6 });
    engine.replaceMain(await loadSnapshot(rebuilt), 5);
    expect(engine.deltaSize).toBe(1);
    expect(search(engine, "supplier").total).toBe(0);
    expect(search(engine, "tender").hits.map((hit) => hit.ref)).toEqual(["item:4"]);
    expect(engine.documentCount).toBe(2);
  });
});
