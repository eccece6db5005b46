import { describe, expect, it } from "vitest";

import { loader } from "~/routes/healthz";

import { createItem } from "../factories/items";
import { callLoader } from "../support/remix";

describe("/healthz", () => {
  it("is ready when the database answers on the migrated schema", async () => {
    await createItem();
    const response = await callLoader(loader, "/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    await expect(response.json()).resolves.toMatchObject({ status: "ok", database: { ok: true, items: 1 } });
  });

  it("answers liveness without touching the database", async () => {
    const response = await callLoader(loader, "/healthz?live");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
  });
});
