import { describe, expect, it } from "vitest";

import { closeDb, db, writeTransaction } from "~/db/client.server";

import { clearRateLimit, countEvent, countInWindow, describeWait, takeRateLimit } from "./rate-limit.server";

const rule = { limit: 3, windowSeconds: 600 };

describe("countEvent and countInWindow", () => {
  it("count events in a window, starting again once it has passed", async () => {
    const start = 1_800_000_000;
    for (let event = 1; event <= 3; event += 1) {
      expect(await writeTransaction((trx) => countEvent(trx, "test:events", 600, start + event))).toBe(event);
    }
    expect(await countInWindow("test:events", 600, start + 10)).toBe(3);
    expect(await countInWindow("test:events", 600, start + 601)).toBe(0);
    expect(await writeTransaction((trx) => countEvent(trx, "test:events", 600, start + 601))).toBe(1);
    expect(await countInWindow("test:events", 600, start + 602)).toBe(1);
    expect(await countInWindow("test:never", 600, start)).toBe(0);
  });
});

describe("takeRateLimit", () => {
  it("allows up to the limit, then says how long to wait", async () => {
    const start = 1_800_000_000;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await takeRateLimit([{ key: "test:a", rule }], start + attempt)).toEqual({ allowed: true });
    }
    expect(await takeRateLimit([{ key: "test:a", rule }], start + 60)).toEqual({
      allowed: false,
      retryAfterSeconds: 540,
    });
    expect(await takeRateLimit([{ key: "test:a", rule }], start + 600)).toEqual({ allowed: true });
  });

  it("counts nothing when any key is at its limit", async () => {
    const now = 1_800_100_000;
    for (let attempt = 0; attempt < 3; attempt += 1) await takeRateLimit([{ key: "test:busy", rule }], now);
    expect(
      (
        await takeRateLimit(
          [
            { key: "test:quiet", rule },
            { key: "test:busy", rule },
          ],
          now,
        )
      ).allowed,
    ).toBe(false);
    const quiet = await db.selectFrom("rate_limits").select("count").where("key", "=", "test:quiet").executeTakeFirst();
    expect(quiet).toBeUndefined();
  });

  it("keeps its counts in the database, so a restart does not reset them", async () => {
    const now = 1_800_200_000;
    for (let attempt = 0; attempt < 3; attempt += 1) await takeRateLimit([{ key: "test:restart", rule }], now);
    await closeDb();
    expect((await takeRateLimit([{ key: "test:restart", rule }], now + 1)).allowed).toBe(false);
  });

  it("forgets a cleared key", async () => {
    const now = 1_800_300_000;
    for (let attempt = 0; attempt < 3; attempt += 1) await takeRateLimit([{ key: "test:clear", rule }], now);
    await clearRateLimit("test:clear");
    expect((await takeRateLimit([{ key: "test:clear", rule }], now)).allowed).toBe(true);
  });
});

describe("describeWait", () => {
  it.each([
    [1, "Try again in 1 minute."],
    [60, "Try again in 1 minute."],
    [61, "Try again in 2 minutes."],
    [230, "Try again in 4 minutes."],
  ])("%i seconds: %s", (seconds, text) => {
    expect(describeWait(seconds)).toBe(text);
  });
});
