import { syntheticItems, benchmarkQueries } from "./lib/synthetic-corpus";
import { buildSnapshot, loadSnapshot } from "../app/search/snapshot.server";
import { SearchEngine } from "../app/search/engine";
import { parseQuery } from "../app/search/query-parser";
const n = 10000;
function* docs(): any { for (const it of syntheticItems(n)) yield { ref: `item:${it.id}`, kind: "item", type: it.type, date: it.publishedAt, themes: it.themes, tags: it.tags, organisationType: it.organisationType, procedure: it.procedure, valueBand: it.valueBand, title: it.title, summary: it.summary, body: it.body, authors: [it.author], fieldsText: "" }; }
const engine = new SearchEngine(); engine.replaceMain(await loadSnapshot(buildSnapshot(docs(), { expectedCount: n })), 0);
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
const t=performance.now();
for (let r=0;r<5;r++) for (const q of benchmarkQueries().common) engine.search({ query: parseQuery(q) });
console.log("avg", (performance.now()-t)/200);
const { profile } = await session.post("Profiler.stop") as any;
const self = new Map<string, number>();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n: any)=>[n.id,n]));
profile.samples.forEach((id: number, i: number) => { const n: any = byId.get(id); const k = `${n.callFrame.functionName}:${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`; self.set(k,(self.get(k)??0)+(dt[i]??0)); });
console.log([...self].sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${(v/1000).toFixed(0)}ms ${k}`).join("\n"));
