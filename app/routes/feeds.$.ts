import type { LoaderFunctionArgs } from "@remix-run/node";

import { buildFeed, FEED_CONTENT_TYPES } from "~/syndication/feed.server";
import { CACHE_FEED, cacheableResponse } from "~/utils/http.server";
import { parseFeedPath } from "~/utils/paths";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseFeedPath(params["*"] ?? "");
  const feed = parsed ? await buildFeed(parsed) : null;
  if (!parsed || feed === null) {
    return new Response("There is no feed at this address. Feeds are listed at /api.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return cacheableResponse(request, feed, { contentType: FEED_CONTENT_TYPES[parsed.format], cacheControl: CACHE_FEED });
}
