import { syntheticItems, benchmarkQueries } from "../scripts/lib/synthetic-corpus";
import { buildSnapshot, loadSnapshot } from "../app/search/snapshot.server";
import { SearchEngine } from "../app/search/engine";
import { parseQuery } from "../app/search/query-parser";
import type { SearchDocument } from "../app/search/documents";
const n = Number(process.argv[2] ?? 10000);
function* docs(): Generator<SearchDocument> {
  for (const it of syntheticItems(n)) yield { ref: `item:${it.id}`, kind: "item", type: it.type, date: it.publishedAt, themes: it.themes, tags: it.tags, organisationType: it.organisationType, procedure: it.procedure, valueBand: it.valueBand, title: it.title, summary: it.summary, body: it.body, authors: [it.author], fieldsText: `${it.organisationType} ${it.procedure}` };
}
let t = performance.now();
const built = buildSnapshot(docs(), { expectedCount: n });
console.log("build", (performance.now()-t).toFixed(0), "ms", "size", (built.shards.reduce((a,s)=>a+s.length,0)/1e6).toFixed(1),"MB", "vocab", built.vocabulary.terms.length);
t = performance.now();
const snap = await loadSnapshot(built);
console.log("load", (performance.now()-t).toFixed(0));
(global as any).gc?.();
console.log("heap", (process.memoryUsage().heapUsed/1e6).toFixed(0), "rss", (process.memoryUsage().rss/1e6).toFixed(0));
const engine = new SearchEngine(); engine.replaceMain(snap, 0);
const qs = benchmarkQueries();
for (const [cls, list] of Object.entries(qs)) {
  const times: number[] = []; let total = 0;
  for (const q of list) { const s = performance.now(); const r = engine.search({ query: parseQuery(q) }); times.push(performance.now()-s); total += r.total; }
  times.sort((a,b)=>a-b);
  console.log(cls.padEnd(12), "p50", times[20]!.toFixed(2), "p95", times[38]!.toFixed(2), "avg total", (total/list.length).toFixed(0));
}
