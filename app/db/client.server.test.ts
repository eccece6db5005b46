import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";

import { withStatementCache } from "./client.server";

function memoryDatabase() {
  const sqlite = new SQLite(":memory:");
  sqlite.exec("create table numbers (n integer)");
  sqlite.exec("insert into numbers values (1), (2), (3)");
  return sqlite;
}

describe("withStatementCache", () => {
  it("prepares the same SQL text once and reuses the statement", () => {
    const database = withStatementCache(memoryDatabase());
    const first = database.prepare("select n from numbers where n > ?");
    expect(database.prepare("select n from numbers where n > ?")).toBe(first);
    expect(first.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(database.prepare("select n from numbers where n > ?").all([2])).toEqual([{ n: 3 }]);
  });

  it("keeps at most its capacity, forgetting the least recently used first", () => {
    const database = withStatementCache(memoryDatabase(), 2);
    const one = database.prepare("select 1");
    const two = database.prepare("select 2");
    expect(database.prepare("select 1")).toBe(one);
    database.prepare("select 3");
    expect(database.prepare("select 1")).toBe(one);
    expect(database.prepare("select 2")).not.toBe(two);
  });

  it("gives a fresh statement while the kept one is still being iterated", () => {
    const database = withStatementCache(memoryDatabase());
    const kept = database.prepare("select n from numbers order by n") as unknown as SQLite.Statement;
    const rows = kept.iterate();
    rows.next();
    const other = database.prepare("select n from numbers order by n");
    expect(other).not.toBe(kept);
    expect(other.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    rows.return?.();
    expect(database.prepare("select n from numbers order by n")).toBe(kept);
  });
});
