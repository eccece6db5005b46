import type { ChartDataset } from "~/charts/render-chart.server";

import { RenderPool } from "./render-pool.server";

// Every render of untrusted text or data runs here, in a worker thread with a time budget, never
// on the thread that answers requests and never while the write lock is held
// (docs/decisions/0014-rendering-in-workers-with-a-budget.md).

/** How long one render may take before it is stopped. Generous: the largest stories take about 2 s. */
const RENDER_BUDGET_MS = { itemBody: 10_000, dataset: 10_000, reply: 3_000 } as const;

declare global {
  // Kept on globalThis so development rebuilds reuse the workers instead of starting more.
  var __commonsRenderPool: RenderPool | undefined;
}

export function renderPool() {
  globalThis.__commonsRenderPool ??= new RenderPool();
  return globalThis.__commonsRenderPool;
}

/** An item's body drawn with its datasets: HTML, contents, word count, chart numbers and problems. */
export function renderItemBody(
  body: string,
  { slug, datasets = [] }: { slug?: string; datasets?: ChartDataset[] } = {},
) {
  return renderPool().run("itemBody", { body, slug, datasets }, { budgetMs: RENDER_BUDGET_MS.itemBody });
}

/** A reply's HTML (mentions not yet linked) and the usernames it may mention. */
export function renderReplyBody(markdown: string) {
  return renderPool().run("reply", { markdown }, { budgetMs: RENDER_BUDGET_MS.reply });
}

/** Checks an uploaded or imported dataset and prepares it for storing (see prepareDataset). */
export async function prepareDatasetOffThread({ fileName, bytes }: { fileName: string; bytes: Uint8Array }) {
  const prepared = await renderPool().run("dataset", { fileName, bytes }, { budgetMs: RENDER_BUDGET_MS.dataset });
  // Bytes come back from the worker as a plain Uint8Array.
  return {
    ...prepared,
    content: Buffer.from(prepared.content.buffer, prepared.content.byteOffset, prepared.content.byteLength),
  };
}
