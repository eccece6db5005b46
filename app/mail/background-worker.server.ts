import { holdLease, LEASE_TTL_MS, newHolderId, releaseLease } from "./lease.server";
import type { MailTransport } from "./transport.server";

// Runs in every server process; only the one holding the lease does the work, so there is one
// sender however many processes there are (docs/decisions/0012-mail-outbox-and-one-sender.md).

export type Log = (fields: Record<string, unknown>) => void;

export type BackgroundContext = {
  holder: string;
  transport: MailTransport;
  log: Log;
  now: Date;
};

/** One kind of background work; `everyMs` spaces out the ones that need not run on every tick. */
export type BackgroundStep = { name: string; everyMs?: number; run: (context: BackgroundContext) => Promise<unknown> };

export type BackgroundWorker = {
  holder: string;
  isHolder: () => boolean;
  /** Runs a tick soon (after a write this process made), rather than at the next poll. */
  nudge: () => void;
  /** Stops after the tick in progress, gives up the lease and closes the transport. */
  stop: () => Promise<void>;
};

export function startBackgroundWorker({
  transport,
  steps,
  log,
  pollIntervalMs = 500,
  leaseCheckMs = LEASE_TTL_MS / 3,
}: {
  transport: MailTransport;
  steps: BackgroundStep[];
  log: Log;
  pollIntervalMs?: number;
  leaseCheckMs?: number;
}): BackgroundWorker {
  const holder = newHolderId();
  let isHolder = false;
  let leaseCheckedAt = 0;
  let isStopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const lastRun = new Map<string, number>();

  async function tick() {
    const now = Date.now();
    if (now - leaseCheckedAt >= leaseCheckMs) {
      leaseCheckedAt = now;
      const wasHolder = isHolder;
      isHolder = await holdLease({ holder, now });
      if (isHolder !== wasHolder)
        log({
          level: "info",
          msg: isHolder ? "background work: this process now sends mail" : "background work: lease lost",
          holder,
        });
    }
    if (!isHolder) return;
    for (const step of steps) {
      if (isStopped) return;
      if (step.everyMs && now - (lastRun.get(step.name) ?? 0) < step.everyMs) continue;
      lastRun.set(step.name, now);
      try {
        await step.run({ holder, transport, log, now: new Date() });
      } catch (error) {
        log({
          level: "error",
          msg: `background work: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          stack: error instanceof Error ? error.stack : undefined,
        });
      }
    }
  }

  function schedule(delay: number) {
    if (isStopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (running) return schedule(pollIntervalMs);
      running = tick().finally(() => {
        running = null;
        schedule(pollIntervalMs);
      });
    }, delay);
    timer.unref();
  }
  schedule(0);

  return {
    holder,
    isHolder: () => isHolder,
    nudge: () => schedule(0),
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (isHolder) await releaseLease({ holder }).catch(() => {});
      transport.close();
    },
  };
}
