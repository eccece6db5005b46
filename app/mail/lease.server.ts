import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

import { db, writeTransaction } from "~/db/client.server";

// Exactly one process does the background work (sending mail, fanning out notifications,
// digests): whichever holds the lease row, renewing it while it lives. Any server process may
// take it over once it has expired, or at once when its holder is a process on this machine
// that no longer exists (a kill -9), so a restart does not wait out the lease.

export const BACKGROUND_LEASE = "background";

/** How long a lease lasts unrenewed; its holder renews it every few seconds. */
export const LEASE_TTL_MS = 15_000;

/** "host:pid:random": the random part tells a reused process id from the original holder. */
export function newHolderId() {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** True only when the holder was a process on this machine that has gone. Unsure means alive. */
export function isHolderGone(holder: string) {
  const [host, pid] = holder.split(":");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Takes or renews the lease; true while `holder` holds it. One write transaction, so two
 * processes asking at the same moment cannot both win.
 */
export async function holdLease({
  name = BACKGROUND_LEASE,
  holder,
  ttlMs = LEASE_TTL_MS,
  now = Date.now(),
}: {
  name?: string;
  holder: string;
  ttlMs?: number;
  now?: number;
}) {
  return writeTransaction(async (trx) => {
    const lease = await trx
      .selectFrom("worker_leases")
      .select(["holder", "expires_at"])
      .where("name", "=", name)
      .executeTakeFirst();
    const isFree = !lease || lease.holder === holder || lease.expires_at <= now || isHolderGone(lease.holder);
    if (!isFree) return false;
    await trx
      .insertInto("worker_leases")
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((conflict) => conflict.column("name").doUpdateSet({ holder, expires_at: now + ttlMs }))
      .execute();
    return true;
  });
}

/** Gives the lease up (on a clean shutdown), so another process need not wait for it to expire. */
export async function releaseLease({ name = BACKGROUND_LEASE, holder }: { name?: string; holder: string }) {
  await db.deleteFrom("worker_leases").where("name", "=", name).where("holder", "=", holder).execute();
}
