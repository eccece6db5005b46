import { describe, expect, it } from "vitest";

import { countOf } from "./counts";

describe("countOf", () => {
  it("uses the singular for one only, and groups thousands", () => {
    expect(countOf(0, "item")).toBe("0 items");
    expect(countOf(1, "item")).toBe("1 item");
    expect(countOf(2, "item")).toBe("2 items");
    expect(countOf(1204, "reply", "replies")).toBe("1,204 replies");
  });
});
