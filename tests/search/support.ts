import path from "node:path";

import { afterAll } from "vitest";

import { syncContent } from "~/models/content-sync.server";
import { getSearchService, stopSearchService } from "~/search/service.server";

/** Imports the seed library from content/ into this test file's database. */
export async function importSeedLibrary() {
  await syncContent({ root: path.resolve("content") });
}

/** Stops the search service's poller before the test database is closed. */
export function stopSearchAfterAll() {
  afterAll(async () => {
    await stopSearchService();
  });
}

/** Polls until `check` passes or `timeoutMs` runs out; returns how long it took. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 1_000) {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`Not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function readySearch() {
  const service = getSearchService();
  await service.ready;
  return service;
}
