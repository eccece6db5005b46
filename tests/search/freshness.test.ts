import { beforeAll, describe, expect, it } from "vitest";

import { db, writeTransaction } from "~/db/client.server";
import { getEnv } from "~/env.server";
import { saveItem } from "~/models/item.server";
import { searchFromUrl } from "~/search/search.server";
import { SearchService } from "~/search/service.server";
import { readManifest, snapshotDirectory } from "~/search/snapshot.server";

import { buildItemMeta, createItem } from "../factories/items";
import { eventually, readySearch, stopSearchAfterAll } from "./support";

stopSearchAfterAll();

async function totalFor(q: string) {
  const page = await searchFromUrl(new URLSearchParams({ q }));
  return page.state === "results" ? page.total : -1;
}

async function titlesFor(q: string) {
  const page = await searchFromUrl(new URLSearchParams({ q }));
  return page.state === "results" ? page.results.map((result) => result.title.map((part) => part.text).join("")) : [];
}

beforeAll(async () => {
  for (let i = 0; i < 30; i += 1) await createItem({ body: `Background item number ${i} about contract management.` });
  await readySearch();
});

describe("freshness", () => {
  it("shows a published item within a second, and its edits, unpublishing and deletion", async () => {
    const item = await createItem({ title: "Narwhalish market engagement", body: "Early talks with suppliers." });
    expect(await eventually(async () => (await totalFor("narwhalish")) === 1)).toBeLessThan(1_000);

    const meta = buildItemMeta({ title: "Ocelotine market engagement" });
    await writeTransaction((trx) => saveItem(trx, { slug: item.slug, meta, body: "Early talks with suppliers." }));
    await eventually(async () => (await totalFor("ocelotine")) === 1 && (await totalFor("narwhalish")) === 0);

    await writeTransaction((trx) =>
      saveItem(trx, { slug: item.slug, meta: { ...meta, status: "archived" }, body: "x" }),
    );
    await eventually(async () => (await totalFor("ocelotine")) === 0);

    const other = await createItem({ title: "Pangolinish exit plan" });
    await eventually(async () => (await totalFor("pangolinish")) === 1);
    await db.deleteFrom("items").where("id", "=", other.id).execute();
    await eventually(async () => (await totalFor("pangolinish")) === 0);
  });

  it("rebuilds the main index in a worker thread, keeping later changes, and persists it for the next start", async () => {
    const service = await readySearch();
    await createItem({ title: "Quetzalish category plan" });
    await eventually(async () => (await totalFor("quetzalish")) === 1);

    await service.rebuild({ inWorker: true });
    expect(service.engine.deltaSize).toBe(0);
    expect(await titlesFor("quetzalish")).toEqual(["Quetzalish category plan"]);
    expect(await totalFor("contract management")).toBeGreaterThanOrEqual(30);

    const manifest = readManifest(snapshotDirectory(getEnv().DATABASE_PATH));
    expect(manifest?.documentCount).toBe(31);

    // A second service on the same database starts from the persisted index.
    const restarted = new SearchService({ databasePath: getEnv().DATABASE_PATH });
    await restarted.ready;
    expect(restarted.engine.documentCount).toBe(service.engine.documentCount);
    await restarted.stop();
  }, 30_000);
});
