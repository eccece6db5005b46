import { Worker } from "node:worker_threads";

// Watches SQLite's write lock from a thread of its own with its own connection, as another
// server process would: it tries BEGIN IMMEDIATE every few milliseconds and notes the longest
// stretch in which the lock was held by someone else. A thread, so that it keeps watching while
// the thread under test is busy.
const PROBE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const connection = new Database(workerData.path);
connection.pragma("busy_timeout = 0");
let heldSince = null;
let longestMs = 0;
let refusals = 0;
let isStopping = false;
parentPort.on("message", () => (isStopping = true));
const probe = () => {
  const now = performance.now();
  try {
    connection.exec("BEGIN IMMEDIATE");
    connection.exec("ROLLBACK");
    if (heldSince !== null) longestMs = Math.max(longestMs, now - heldSince);
    heldSince = null;
  } catch (error) {
    if (error.code !== "SQLITE_BUSY") throw error;
    refusals += 1;
    heldSince ??= now;
  }
  if (isStopping && heldSince === null) {
    connection.close();
    parentPort.postMessage({ longestMs, refusals });
  } else setTimeout(probe, 2);
};
probe();
`;

export type WriteLockReport = { longestMs: number; refusals: number };

/** Starts watching the database at `path`; `stop` resolves with the longest hold it saw. */
export async function watchWriteLock(path: string) {
  const worker = new Worker(PROBE, { eval: true, workerData: { path } });
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    stop: () =>
      new Promise<WriteLockReport>((resolve, reject) => {
        worker.once("message", (report: WriteLockReport) => void worker.terminate().then(() => resolve(report)));
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}
