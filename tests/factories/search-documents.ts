import type { SearchDocument } from "~/search/documents";

import { syntheticItems } from "../../scripts/lib/synthetic-corpus";

/** Search documents for `count` synthetic library items (the benchmark's corpus), without a database. */
export function syntheticSearchDocuments(count: number, seed = 99): SearchDocument[] {
  return [...syntheticItems(count, seed)].map((item) => ({
    ref: `item:${item.id}`,
    kind: "item",
    type: item.type,
    date: item.publishedAt,
    themes: item.themes,
    tags: item.tags,
    organisationType: item.organisationType,
    procedure: item.procedure,
    valueBand: item.valueBand,
    membersOnlyCommunity: null,
    title: item.title,
    summary: item.summary,
    body: item.body,
    authors: [item.author],
    details: [item.organisationType, item.procedure],
    notes: [],
    version: null,
  }));
}
