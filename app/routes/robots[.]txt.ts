import type { LoaderFunctionArgs } from "@remix-run/node";

import { getEnv } from "~/env.server";
import { CACHE_DOCUMENT, cacheableResponse } from "~/utils/http.server";

// Everything public may be crawled; sign-in pages are no use in an index.
export async function loader({ request }: LoaderFunctionArgs) {
  const { SITE_URL } = getEnv();
  const body = [
    "User-agent: *",
    "Disallow: /sign-in",
    "Disallow: /sign-up",
    "Allow: /",
    "",
    `Sitemap: ${SITE_URL}/sitemap.xml`,
    "",
  ].join("\n");
  return cacheableResponse(request, body, { contentType: "text/plain; charset=utf-8", cacheControl: CACHE_DOCUMENT });
}
