import { describe, expect, it } from "vitest";

import { routedPath } from "./routed-path";

describe("routedPath", () => {
  it.each([
    ["/api/../notifications", "/notifications"],
    ["/api/%2e%2e/notifications", "/notifications"],
    ["/api/v1/../../account?x=1", "/account"],
    ["/API/v1/items", "/api/v1/items"],
    ["/api/v1/items/", "/api/v1/items"],
    ["/wr%69te/tip", "/write/tip"],
    ["/write/tip.data", "/write/tip"],
    ["/_root.data", "/"],
    ["/library/a%2Fb/edit", "/library/a%2fb/edit"],
    ["/%E0%A4%A", "/%e0%a4%a"],
    ["//evil.example/x", "//evil.example/x"],
    ["/", "/"],
  ])("routes %s as %s", (raw, routed) => {
    expect(routedPath(raw)).toBe(routed);
  });
});
