// Cross-site request forgery: a state-changing request must come from a page of this site.
// Browsers send Origin on every cross-site POST; Sec-Fetch-Site covers the few that omit it.

const SAFE_METHODS = new Set(["GET", "HEAD"]);

export type CsrfVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkRequestOrigin({
  method,
  origin,
  secFetchSite,
  siteOrigin,
}: {
  method: string;
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
  siteOrigin: string;
}): CsrfVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { allowed: true };
  if (origin) {
    return origin === siteOrigin
      ? { allowed: true }
      : { allowed: false, reason: `Origin ${origin.slice(0, 200)} is not ${siteOrigin}` };
  }
  if (secFetchSite === "same-origin" || secFetchSite === "none") return { allowed: true };
  return {
    allowed: false,
    reason: secFetchSite
      ? `Sec-Fetch-Site is ${secFetchSite.slice(0, 40)}`
      : "neither Origin nor Sec-Fetch-Site was sent",
  };
}
