import type SQLite from "better-sqlite3";

/**
 * Reads the content epoch (db/migrations/202611252150_content-epoch.ts): a counter that triggers
 * raise on every write to what public pages show, whichever process makes it. One indexed
 * single-row read, a few microseconds, so the page cache can afford it on every request.
 * Returns a reader that answers null when the database has no epoch yet (not migrated).
 */
export function contentEpochReader(sqlite: SQLite.Database): () => number | null {
  let statement: SQLite.Statement | undefined;
  return () => {
    try {
      statement ??= sqlite.prepare("select epoch from content_epoch where id = 1").pluck();
      return (statement.get() as number | undefined) ?? null;
    } catch {
      return null;
    }
  };
}
