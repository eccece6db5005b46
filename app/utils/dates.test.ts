import { expect, it } from "vitest";

import { formatDateTime } from "~/utils/dates";

it("formats UK times", () => {
  expect(formatDateTime("2026-11-24T21:35:21.881Z")).toBe("24 Nov 2026, 21:35");
  expect(formatDateTime("2026-07-01T23:30:00Z")).toBe("2 Jul 2026, 00:30");
  expect(formatDateTime("2026-03-29T00:59:00Z")).toBe("29 Mar 2026, 00:59");
  expect(formatDateTime("2026-03-29T01:00:00Z")).toBe("29 Mar 2026, 02:00");
});
