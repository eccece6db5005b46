import { describe, expect, it } from "vitest";

import { checkRequestOrigin } from "./csrf";

const siteOrigin = "https://commons.example.gov.uk";

describe("checkRequestOrigin", () => {
  it.each(["GET", "HEAD", "get"])("lets %s through whatever its origin", (method) => {
    expect(
      checkRequestOrigin({ method, origin: "https://evil.example", secFetchSite: "cross-site", siteOrigin }),
    ).toEqual({ allowed: true });
  });

  it.each(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])("accepts a %s from the site's own origin", (method) => {
    expect(checkRequestOrigin({ method, origin: siteOrigin, secFetchSite: "cross-site", siteOrigin }).allowed).toBe(
      true,
    );
  });

  it.each([
    "https://evil.example",
    "http://commons.example.gov.uk",
    "https://commons.example.gov.uk:8443",
    "https://commons.example.gov.uk.evil.example",
    "null",
  ])("rejects a POST from %s", (origin) => {
    const verdict = checkRequestOrigin({ method: "POST", origin, secFetchSite: "same-origin", siteOrigin });
    expect(verdict).toEqual({ allowed: false, reason: `Origin ${origin} is not ${siteOrigin}` });
  });

  it.each(["same-origin", "none"])("accepts a POST without Origin when Sec-Fetch-Site is %s", (secFetchSite) => {
    expect(checkRequestOrigin({ method: "POST", origin: null, secFetchSite, siteOrigin }).allowed).toBe(true);
  });

  it.each(["cross-site", "same-site"])("rejects a POST without Origin when Sec-Fetch-Site is %s", (secFetchSite) => {
    expect(checkRequestOrigin({ method: "POST", origin: undefined, secFetchSite, siteOrigin }).allowed).toBe(false);
  });

  it("rejects a POST that carries neither header", () => {
    expect(checkRequestOrigin({ method: "POST", origin: null, secFetchSite: null, siteOrigin })).toEqual({
      allowed: false,
      reason: "neither Origin nor Sec-Fetch-Site was sent",
    });
  });
});
