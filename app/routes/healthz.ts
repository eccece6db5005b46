import type { LoaderFunctionArgs } from "@remix-run/node";

import { checkDatabase } from "~/models/health.server";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * `/healthz?live`: liveness, the process answers (no database work, so a slow disk does not get
 * it restarted). `/healthz`: readiness, the database answers a query on the migrated schema.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const uptimeSeconds = Math.round(process.uptime());
  if (new URL(request.url).searchParams.has("live")) {
    return Response.json({ status: "ok", uptimeSeconds }, { headers: NO_STORE });
  }
  const database = await checkDatabase();
  const isHealthy = database.ok;
  return Response.json(
    { status: isHealthy ? "ok" : "unavailable", database, uptimeSeconds },
    { status: isHealthy ? 200 : 503, headers: NO_STORE },
  );
}
