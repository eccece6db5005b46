import { sql } from "kysely";

import { db } from "~/db/client.server";

/** Readiness: the database answers a query and the schema is migrated. */
export async function checkDatabase() {
  const started = performance.now();
  try {
    const { rows } = await sql<{ count: number }>`select count(*) as count from items`.execute(db);
    return {
      ok: true as const,
      items: rows[0]?.count ?? 0,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    };
  } catch (error) {
    return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  }
}
