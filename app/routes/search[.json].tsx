import type { LoaderFunctionArgs } from "@remix-run/node";

import { searchFromUrl } from "~/search/search.server";

/** The search page's results as JSON, for the same query string: /search.json?q=... */
export async function loader({ request }: LoaderFunctionArgs) {
  const page = await searchFromUrl(new URL(request.url).searchParams);
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
}
