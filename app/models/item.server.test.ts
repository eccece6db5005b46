import { beforeAll, describe, expect, it } from "vitest";

import { createItem } from "../../tests/factories/items";
import { getPublishedItem, listLatestByType, listLibrary, listTags } from "./item.server";

beforeAll(async () => {
  await createItem({
    type: "case-study",
    slug: "alliance",
    themes: ["partnership", "downstream"],
    tags: ["kpis", "vcse"],
    published: "2026-03-01",
  });
  await createItem({
    type: "tip",
    slug: "uk9-tip",
    themes: ["downstream"],
    tags: ["kpis", "uk9"],
    published: "2026-02-01",
  });
  await createItem({
    type: "tip",
    slug: "uk2-tip",
    themes: ["upstream"],
    tags: ["market-engagement"],
    published: "2026-01-01",
  });
  await createItem({ type: "tip", slug: "draft-tip", status: "draft", themes: ["upstream"] });
  await createItem({
    type: "data-story",
    slug: "spend",
    themes: ["downstream"],
    authors: [{ name: "Aisha Rahman" }, { name: "Test Author" }],
    published: "2026-04-01",
  });
});

describe("listLibrary", () => {
  it("lists published items newest first, never drafts", async () => {
    const page = await listLibrary({ filters: {}, page: 1 });
    expect(page.items.map((item) => item.slug)).toEqual(["spend", "alliance", "uk9-tip", "uk2-tip"]);
    expect(page.total).toBe(4);
  });

  it("combines filters and counts each facet against the other filters", async () => {
    const page = await listLibrary({ filters: { type: "tip", tag: "kpis" }, page: 1 });
    expect(page.items.map((item) => item.slug)).toEqual(["uk9-tip"]);
    expect(page.facets.type).toEqual(
      expect.arrayContaining([
        { value: "tip", count: 1 },
        { value: "case-study", count: 1 },
      ]),
    );
    expect(page.facets.tag).toEqual(
      expect.arrayContaining([
        { value: "kpis", count: 1 },
        { value: "market-engagement", count: 1 },
      ]),
    );
    expect(page.facets.theme).toEqual([{ value: "downstream", count: 1 }]);
  });

  it("answers unknown filter values with an empty page, not an error", async () => {
    const page = await listLibrary({ filters: { type: "poem", theme: "sideways", tag: "<script>" }, page: 1 });
    expect(page).toMatchObject({ items: [], total: 0, pageCount: 1 });
  });

  it("paginates and returns nothing past the last page", async () => {
    const first = await listLibrary({ filters: {}, page: 1, perPage: 3 });
    const second = await listLibrary({ filters: {}, page: 2, perPage: 3 });
    const beyond = await listLibrary({ filters: {}, page: 9, perPage: 3 });
    expect(first.items).toHaveLength(3);
    expect(second.items.map((item) => item.slug)).toEqual(["uk2-tip"]);
    expect(first.pageCount).toBe(2);
    expect(beyond.items).toEqual([]);
  });

  it("filters by author, keeping authors in their written order", async () => {
    const page = await listLibrary({ filters: { authorSlug: "aisha-rahman" }, page: 1 });
    expect(page.items.map((item) => item.slug)).toEqual(["spend"]);
    expect(page.items[0]?.authors.map((author) => author.name)).toEqual(["Aisha Rahman", "Test Author"]);
  });
});

describe("listLatestByType", () => {
  it("groups the newest published items by type", async () => {
    const latest = await listLatestByType({ perType: 1 });
    expect(latest.tip.map((item) => item.slug)).toEqual(["uk9-tip"]);
    expect(latest["case-study"].map((item) => item.slug)).toEqual(["alliance"]);
    expect(latest["data-story"].map((item) => item.slug)).toEqual(["spend"]);
  });
});

describe("listTags", () => {
  it("counts published uses, most used first", async () => {
    expect((await listTags())[0]).toEqual({ tag: "kpis", count: 2 });
  });
});

describe("getPublishedItem", () => {
  it("finds a published item with its fields and themes in canonical order", async () => {
    const lookup = await getPublishedItem({ slug: "alliance" });
    expect(lookup.kind).toBe("found");
    if (lookup.kind !== "found") return;
    expect(lookup.item.themes).toEqual(["downstream", "partnership"]);
    expect(lookup.item.fields).toMatchObject({ type: "case-study", regime: "pa23" });
  });

  it("does not show drafts", async () => {
    expect(await getPublishedItem({ slug: "draft-tip" })).toEqual({ kind: "missing" });
  });
});
