import { checkDatabase } from "~/models/health.server";

export async function loader() {
  const database = await checkDatabase();
  const isHealthy = database.ok;
  return Response.json(
    { status: isHealthy ? "ok" : "unavailable", database },
    { status: isHealthy ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
