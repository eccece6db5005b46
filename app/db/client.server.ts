import { mkdirSync } from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDatabase, sql } from "kysely";

import { getEnv } from "~/env.server";

import type { Database } from "./schema";

export type DB = Kysely<Database>;

type Connection = { sqlite: SQLite.Database; db: DB };

declare global {
  // Kept on globalThis so development rebuilds reuse the handle instead of leaking one.
  var __commonsConnection: Connection | undefined;
}

/** How long a single statement waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

function openSqlite(file: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return sqlite;
}

/** Distinct SQL texts kept prepared; queries with `in (...)` lists of varying length make new ones. */
const PREPARED_STATEMENTS_KEPT = 500;

/**
 * Kysely asks better-sqlite3 to prepare every query it runs, which took about a fifth of the
 * time of a reply; the same SQL text reuses one statement instead (least recently used go first).
 */
export function withStatementCache(sqlite: SQLite.Database, capacity = PREPARED_STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string) {
      const kept = statements.get(source);
      // A statement still being iterated cannot run again until it finishes.
      if (kept && !kept.busy) {
        statements.delete(source);
        statements.set(source, kept);
        return kept;
      }
      const statement = sqlite.prepare(source);
      if (kept) return statement;
      statements.set(source, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

function connect(): Connection {
  const sqlite = openSqlite(getEnv().DATABASE_PATH);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { sqlite, db };
}

function connection() {
  globalThis.__commonsConnection ??= connect();
  return globalThis.__commonsConnection;
}

/** The one Kysely instance over the app's SQLite file. */
export const db: DB = new Proxy({} as DB, {
  get(_target, property) {
    const instance = connection().db;
    const value: unknown = Reflect.get(instance, property, instance);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(instance) : value;
  },
});

export function rawSqlite() {
  return connection().sqlite;
}

export async function closeDb() {
  const current = globalThis.__commonsConnection;
  globalThis.__commonsConnection = undefined;
  if (current) await current.db.destroy();
}

const WRITE_LOCK_WAIT_MS = 5000;

function isBusy(error: unknown) {
  return error instanceof SQLite.SqliteError && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_BUSY_SNAPSHOT");
}

/**
 * BEGIN IMMEDIATE, waiting for another server process's write to finish without sleeping:
 * SQLite's own busy handler blocks the whole process for 1, 2, 5, 10... ms at a time, which put
 * every other request in this process behind it.
 */
async function takeWriteLock(conn: DB) {
  const sqlite = rawSqlite();
  const giveUpAt = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    sqlite.pragma("busy_timeout = 0");
    try {
      await sql`begin immediate`.execute(conn);
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() > giveUpAt) throw error;
    } finally {
      sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    await new Promise((resolve) => (attempt < 20 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
}

/**
 * Runs `work` in a transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE),
 * so a read-then-write can never fail half-way with SQLITE_BUSY when another process writes.
 */
export async function writeTransaction<T>(work: (trx: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await takeWriteLock(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
