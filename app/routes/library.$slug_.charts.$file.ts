import { createHash } from "node:crypto";

import type { LoaderFunctionArgs } from "@remix-run/node";

import { getChartCsv } from "~/models/dataset.server";

/** The numbers behind one chart on a published item, as CSV ("/library/<slug>/charts/2.csv"). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const match = /^([1-9]\d{0,3})\.csv$/.exec(params.file ?? "");
  const chart = match ? await getChartCsv({ slug: params.slug ?? "", position: Number(match[1]) }) : undefined;
  if (!chart) throw new Response("There is no chart with that number on this item.", { status: 404 });
  const etag = `"${createHash("sha256").update(chart.csv).digest("hex").slice(0, 32)}"`;
  const headers = {
    ETag: etag,
    "Cache-Control": "public, max-age=300, must-revalidate",
    "X-Content-Type-Options": "nosniff",
  };
  if (
    request.headers
      .get("If-None-Match")
      ?.split(/\s*,\s*/)
      .includes(etag)
  )
    return new Response(null, { status: 304, headers });
  return new Response(chart.csv, {
    headers: {
      ...headers,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${params.slug}-chart-${match![1]}.csv"`,
    },
  });
}
