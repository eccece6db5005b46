/**
 * The path Remix will route a request target to, for decisions made before Remix runs (which
 * requests skip the origin check, which may send a large body). Built as Remix builds its URL
 * (the raw target appended to an origin, dot segments resolved), with single fetch's ".data"
 * suffix removed and each segment decoded and lower-cased, as the router matches. A raw
 * "/api/../notifications" is "/notifications" here, as it is to the router.
 */
export function routedPath(rawTarget: string): string | null {
  let pathname: string;
  try {
    pathname = new URL(`http://routed.invalid${rawTarget}`).pathname;
  } catch {
    return null;
  }
  if (pathname === "/_root.data") pathname = "/";
  else if (pathname.endsWith(".data")) pathname = pathname.slice(0, -".data".length);
  const decoded = pathname
    .split("/")
    .map((segment) => {
      try {
        // An encoded slash stays inside its segment, as the router keeps it.
        return decodeURIComponent(segment).replace(/\//g, "%2F");
      } catch {
        return segment;
      }
    })
    .join("/")
    .toLowerCase();
  return decoded.length > 1 ? decoded.replace(/\/+$/, "") || "/" : decoded;
}
