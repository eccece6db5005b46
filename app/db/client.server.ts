import { mkdirSync } from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql, type Transaction } from "kysely";

import { getEnv } from "~/env.server";

import type { Database } from "./schema";

export type DB = Kysely<Database>;
export type Executor = Kysely<Database> | Transaction<Database>;

type Connection = { sqlite: SQLite.Database; db: DB };

declare global {
  // Kept on globalThis so development rebuilds reuse the handle instead of leaking one.
  var __commonsConnection: Connection | undefined;
}

export function openSqlite(file: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

function connect(): Connection {
  const sqlite = openSqlite(getEnv().DATABASE_PATH);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
    const value = Reflect.get(instance, property, instance);
    return typeof value === "function" ? value.bind(instance) : value;
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

/**
 * Runs `work` in a transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE),
 * so a read-then-write can never fail half-way with SQLITE_BUSY when another process writes.
 */
export async function writeTransaction<T>(work: (trx: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
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
