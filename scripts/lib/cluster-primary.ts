import cluster, { type Worker } from "node:cluster";

import { log } from "./log";

// More restarts than this within a minute means something is wrong with every start (a port in
// use, a broken build): stop rather than fork forever.
const RESTARTS_PER_MINUTE_PER_WORKER = 3;

// V8's young generation: at the default semi-space of 16 MB a page render's short-lived objects
// sent the scavenger round so often that 64 MB measured 7% more signed-in page renders and 13% more
// replies a second (scripts/load-test.ts). The space is only committed as garbage fills it.
const SEMI_SPACE_MB = 64;

/**
 * The primary of a node:cluster: it holds the port, hands connections to `workers` copies of
 * scripts/lib/http-server.ts, replaces a worker that dies, and on SIGTERM or SIGINT asks every
 * worker to finish its requests, exiting when the last one has (1 if any failed to stop cleanly).
 * It never opens the database.
 */
export function superviseWorkers({
  workers,
  shutdownTimeoutSeconds,
}: {
  workers: number;
  shutdownTimeoutSeconds: number;
}) {
  const running = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  let exitCode = 0;

  cluster.setupPrimary({ execArgv: [...process.execArgv, `--max-semi-space-size=${SEMI_SPACE_MB}`] });
  const fork = () => running.add(cluster.fork());
  for (let index = 0; index < workers; index += 1) fork();
  log({ level: "info", msg: `primary ${process.pid} started ${workers} server processes`, workers });

  cluster.on("exit", (worker, code, signal) => {
    running.delete(worker);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (running.size === 0) {
        log({ level: "info", msg: "every server process has stopped" });
        process.exit(exitCode);
      }
      return;
    }
    log({ level: "error", msg: "server process died: starting another", pid: worker.process.pid, code, signal });
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > RESTARTS_PER_MINUTE_PER_WORKER * workers) {
      log({ level: "error", msg: `server processes died ${restarts.length} times in a minute: giving up` });
      exitCode = 1;
      shutdown("restart limit");
      if (running.size === 0) process.exit(1);
      return;
    }
    fork();
  });

  function shutdown(reason: string) {
    if (stopping) return;
    stopping = true;
    log({ level: "info", msg: `${reason}: asking ${running.size} server processes to finish` });
    for (const worker of running) worker.process.kill("SIGTERM");
    // Each worker has its own timeout; this one catches a worker that is stuck altogether.
    setTimeout(
      () => {
        log({ level: "error", msg: "server processes still running: killing them" });
        for (const worker of running) worker.process.kill("SIGKILL");
        process.exit(1);
      },
      (shutdownTimeoutSeconds + 5) * 1000,
    ).unref();
  }
  process.on("SIGTERM", () => shutdown("SIGTERM received"));
  process.on("SIGINT", () => shutdown("SIGINT received"));
}
