import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { acknowledged, runScript } from "../support/scripts";

describe("two processes writing at once", () => {
  it("both finish every read-then-write transaction without SQLITE_BUSY", async () => {
    // Two writers saving and editing items (each save reads, then writes) and a content import,
    // all in separate processes on the same database file.
    const [first, second, imported] = await Promise.all([
      runScript("scripts/support/item-writer.ts", ["--prefix", "first", "--count", "120"]),
      runScript("scripts/support/item-writer.ts", ["--prefix", "second", "--count", "120"]),
      runScript("scripts/import-content.ts"),
    ]);

    for (const run of [first, second, imported]) {
      expect(run.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
      expect(run.code).toBe(0);
    }
    expect(imported.stdout).toMatch(/Content import: \d+ added/);

    const acks = new Map([...acknowledged(first.stdout), ...acknowledged(second.stdout)]);
    expect(acks.size).toBeGreaterThan(100);
    const rows = await db.selectFrom("items").select(["slug", "version"]).where("slug", "like", "%-item-%").execute();
    expect(new Map(rows.map((row) => [row.slug, row.version]))).toEqual(acks);
    const revisions = await db
      .selectFrom("item_revisions")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(revisions.count).toBeGreaterThanOrEqual(240);
  }, 60_000);
});
