import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

import SQLite from "better-sqlite3";

export type BackupProgress = { bytesWritten: number; estimatedBytes: number };

export type BackupResult = { file: string; checksumFile: string; sha256: string; bytes: number; durationMs: number };

const require = createRequire(import.meta.url);

// VACUUM INTO copies the database as one read transaction: a consistent snapshot however much
// the app writes meanwhile, where the online backup API starts again after every write by
// another process. It blocks its thread, so it runs in a worker while this thread reports progress.
const VACUUM_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const SQLite = require(workerData.driver);
const source = new SQLite(workerData.source, { readonly: true, fileMustExist: true });
source.pragma("busy_timeout = 10000");
try {
  source.prepare("vacuum into ?").run(workerData.target);
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error.message });
} finally {
  source.close();
}
`;

/** SHA-256 of a file, as sha256sum prints it. */
export async function sha256File(file: string) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function fsyncPath(target: string) {
  const fd = openSync(target, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function estimatedSize(source: string) {
  const sqlite = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const pageSize = sqlite.pragma("page_size", { simple: true }) as number;
    const pages = (sqlite.pragma("page_count", { simple: true }) as number) - (sqlite.pragma("freelist_count", { simple: true }) as number);
    return pageSize * pages;
  } finally {
    sqlite.close();
  }
}

/** The result of PRAGMA integrity_check: "ok" or the problems found. */
export function integrityCheck(file: string) {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite.pragma("integrity_check") as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join("\n");
  } finally {
    sqlite.close();
  }
}

/**
 * Writes a consistent copy of the live database to `target` (never half-written: it appears under
 * its name only once complete and checked) and a `target.sha256` beside it.
 */
export async function backupDatabase({ source, target, onProgress }: { source: string; target: string; onProgress?: (progress: BackupProgress) => void }): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`There is no database at ${source} to back up.`);
  if (existsSync(target)) throw new Error(`${target} already exists: choose another name.`);
  const started = performance.now();
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const estimatedBytes = estimatedSize(source);

  const worker = new Worker(VACUUM_WORKER, { eval: true, workerData: { driver: require.resolve("better-sqlite3"), source, target: partial } });
  const report = () => onProgress?.({ bytesWritten: existsSync(partial) ? statSync(partial).size : 0, estimatedBytes });
  const timer = setInterval(report, 200);
  try {
    const outcome = await new Promise<{ ok: boolean; message?: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (!outcome.ok) throw new Error(`The backup failed: ${outcome.message}`);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    clearInterval(timer);
    await worker.terminate();
  }
  report();

  const integrity = integrityCheck(partial);
  if (integrity !== "ok") {
    rmSync(partial, { force: true });
    throw new Error(`The backup copy failed its integrity check, so it was removed:\n${integrity}`);
  }
  fsyncPath(partial);
  renameSync(partial, target);
  fsyncPath(path.dirname(target));
  const sha256 = await sha256File(target);
  const checksumFile = `${target}.sha256`;
  writeFileSync(checksumFile, `${sha256}  ${path.basename(target)}\n`);
  return { file: target, checksumFile, sha256, bytes: statSync(target).size, durationMs: Math.round(performance.now() - started) };
}

/** Whether any process has the database open: an exclusive lock is refused while one does. */
export function isDatabaseInUse(file: string) {
  if (!existsSync(file)) return false;
  const probe = new SQLite(file, { timeout: 0, fileMustExist: true });
  try {
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("begin exclusive");
    probe.exec("commit");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) return true;
    throw error;
  } finally {
    probe.close();
  }
}

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

/** Checks a backup before it may replace anything: its checksum, its integrity and that it is ours. */
export async function verifyBackup(file: string, { requireChecksum = true } = {}) {
  if (!existsSync(file)) throw new RestoreRefused(`There is no backup at ${file}.`);
  const checksumFile = `${file}.sha256`;
  if (existsSync(checksumFile)) {
    const expected = readFileSync(checksumFile, "utf8").trim().split(/\s+/)[0];
    const actual = await sha256File(file);
    if (expected !== actual) throw new RestoreRefused(`${file} does not match its checksum (${checksumFile}): expected ${expected}, found ${actual}. It may be damaged or changed.`);
  } else if (requireChecksum) {
    throw new RestoreRefused(`${checksumFile} is missing, so ${file} cannot be verified. Use --skip-checksum only if you trust the file.`);
  }
  let integrity: string;
  try {
    integrity = integrityCheck(file);
  } catch (error) {
    throw new RestoreRefused(`${file} is not a readable SQLite database: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (integrity !== "ok") throw new RestoreRefused(`${file} failed PRAGMA integrity_check:\n${integrity}`);
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const migrations = sqlite.prepare("select name from kysely_migration order by name").pluck().all() as string[];
    const items = sqlite.prepare("select count(*) from items").pluck().get() as number;
    return { migrations, items };
  } catch {
    throw new RestoreRefused(`${file} is a SQLite database but not a Procurement Commons one (no migrations or items table).`);
  } finally {
    sqlite.close();
  }
}

/**
 * Replaces the live database with a verified backup. Refuses while any process has the database
 * open (stop the app first). The replaced database, with its WAL, is kept beside it.
 */
export async function restoreDatabase({ backup, target, requireChecksum = true, now = new Date() }: { backup: string; target: string; requireChecksum?: boolean; now?: Date }) {
  const verified = await verifyBackup(backup, { requireChecksum });
  if (isDatabaseInUse(target)) {
    throw new RestoreRefused(`${target} is in use by another process. Stop the app (and any import or script using the database), then run the restore again.`);
  }
  const incoming = `${target}.restoring`;
  copyFileSync(backup, incoming);
  fsyncPath(incoming);
  let keptAs: string | null = null;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(target + suffix)) renameSync(target + suffix, keptAs + suffix);
    }
    renameSync(target, keptAs);
  }
  renameSync(incoming, target);
  fsyncPath(path.dirname(target));
  return { ...verified, keptAs };
}
