import type { LoaderFunctionArgs } from "@remix-run/node";

import { getUser } from "~/auth/session.server";
import { searchFromUrl } from "~/search/search.server";

/** The search page's results as JSON, for the same query string and viewer: /search.json?q=... */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getUser(request, context);
  const page = await searchFromUrl(new URL(request.url).searchParams, { viewer });
  const headers = new Headers({ "Cache-Control": viewer ? "private, no-store" : "no-store" });
  // A resource route sends its own session refresh, if reading the session made one.
  for (const cookie of context.setCookies.splice(0)) headers.append("Set-Cookie", cookie);
  return Response.json(page, { headers });
}
