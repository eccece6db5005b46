import type { LoaderFunctionArgs } from "@remix-run/node";

import { buildSitemap } from "~/syndication/sitemap.server";
import { CACHE_DOCUMENT, cacheableResponse } from "~/utils/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return cacheableResponse(request, await buildSitemap(), {
    contentType: "application/xml; charset=utf-8",
    cacheControl: CACHE_DOCUMENT,
  });
}
