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

/**
 * A token that changes whenever anything is committed to the database: PRAGMA data_version moves
 * on commits by other connections (other processes), total_changes() on this connection's own.
 */
export function writeVersionReader(sqlite: SQLite.Database): () => string | null {
  let dataVersion: SQLite.Statement | undefined;
  let ownChanges: SQLite.Statement | undefined;
  return () => {
    try {
      dataVersion ??= sqlite.prepare("pragma data_version").pluck();
      ownChanges ??= sqlite.prepare("select total_changes()").pluck();
      return `${dataVersion.get() as number}.${ownChanges.get() as number}`;
    } catch {
      return null;
    }
  };
}

/**
 * Whether a session may be served a cached page: it exists, has not expired, is inside its
 * absolute lifetime and is not yet due for Lucia's sliding refresh (which needs the app).
 */
export function sessionServableReader(
  sqlite: SQLite.Database,
  { idleTimeoutSeconds, absoluteLifetimeSeconds }: { idleTimeoutSeconds: number; absoluteLifetimeSeconds: number },
) {
  let statement: SQLite.Statement | undefined;
  return (sessionId: string) => {
    try {
      statement ??= sqlite.prepare("select expires_at, created_at from sessions where id = ?");
      const row = statement.get(sessionId) as { expires_at: number; created_at: number } | undefined;
      const now = Date.now() / 1000;
      return !!row && row.expires_at - now > idleTimeoutSeconds / 2 && now - row.created_at < absoluteLifetimeSeconds;
    } catch {
      return false;
    }
  };
}
