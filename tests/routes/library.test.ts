import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { loader as itemLoader } from "~/routes/library.$slug";
import { loader as libraryLoader } from "~/routes/library._index";
import { loader as tagLoader } from "~/routes/tags.$tag";
import { loader as themeLoader } from "~/routes/themes.$theme";

import { createItem } from "../factories/items";
import { callLoader, thrownResponse } from "../support/remix";

beforeAll(async () => {
  await createItem({
    type: "tip",
    slug: "count-working-days",
    title: "Count working days",
    themes: ["partnership"],
    tags: ["standstill"],
  });
  await createItem({ type: "case-study", slug: "home-care-alliance", themes: ["downstream"], tags: ["kpis"] });
});

describe("library loader", () => {
  it("filters by the query string", async () => {
    const data = await callLoader(libraryLoader, "/library?type=tip&theme=partnership");
    expect(data.items.map((item) => item.slug)).toEqual(["count-working-days"]);
    expect(data.filters).toEqual({ type: "tip", theme: "partnership", tag: undefined });
  });

  it.each([
    "/library?page=abc",
    "/library?page=-3",
    "/library?page=99999999999999",
    "/library?type=%00%01&theme=" + "x".repeat(10_000),
    "/library?tag=%F0%9F%92%A9&page=2",
  ])("answers %s without an error", async (url) => {
    const data = await callLoader(libraryLoader, url);
    expect(data.page).toBeGreaterThanOrEqual(1);
  });
});

describe("item loader", () => {
  it("returns the item", async () => {
    const data = await callLoader(itemLoader, "/library/count-working-days", { slug: "count-working-days" });
    expect(data.item.title).toBe("Count working days");
  });

  it("throws a 404 for an unknown slug", async () => {
    const response = await thrownResponse(() => callLoader(itemLoader, "/library/nope", { slug: "nope" }));
    expect(response.status).toBe(404);
  });

  it("redirects an old slug to the item's current address", async () => {
    const { id } = await db
      .selectFrom("items")
      .select("id")
      .where("slug", "=", "home-care-alliance")
      .executeTakeFirstOrThrow();
    await db.insertInto("item_slug_redirects").values({ slug: "old-home-care", item_id: id }).execute();
    const response = await thrownResponse(() =>
      callLoader(itemLoader, "/library/old-home-care", { slug: "old-home-care" }),
    );
    expect(response.status).toBe(301);
    expect(response.headers.get("Location")).toBe("/library/home-care-alliance");
  });
});

describe("theme and tag loaders", () => {
  it("404s for a theme that does not exist", async () => {
    const response = await thrownResponse(() => callLoader(themeLoader, "/themes/sideways", { theme: "sideways" }));
    expect(response.status).toBe(404);
  });

  it("lists a tag's items and 404s for an unused tag", async () => {
    const data = await callLoader(tagLoader, "/tags/kpis", { tag: "kpis" });
    expect(data.items.map((item) => item.slug)).toEqual(["home-care-alliance"]);
    const response = await thrownResponse(() => callLoader(tagLoader, "/tags/unused", { tag: "unused" }));
    expect(response.status).toBe(404);
  });
});
