import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll } from "vitest";

// Each test file gets its own freshly migrated SQLite file.
const directory = mkdtempSync(path.join(tmpdir(), "commons-test-"));
process.env.NODE_ENV = "test";
process.env.DATABASE_PATH = path.join(directory, "test.sqlite");

const { closeDb, db } = await import("~/db/client.server");
const { migrateToLatest } = await import("~/db/migrator.server");

const unexpectedErrors: unknown[][] = [];
const originalConsoleError = console.error;

beforeAll(async () => {
  await migrateToLatest(db);
  console.error = (...args: unknown[]) => {
    unexpectedErrors.push(args);
    originalConsoleError(...args);
  };
});

afterEach(() => {
  // An unexpected console.error fails the test that caused it.
  if (unexpectedErrors.length > 0) {
    const first = unexpectedErrors.splice(0).map((args) => args.map(String).join(" "));
    throw new Error(`Unexpected console.error:\n${first.join("\n")}`);
  }
});

afterAll(async () => {
  console.error = originalConsoleError;
  await closeDb();
  rmSync(directory, { recursive: true, force: true });
});
