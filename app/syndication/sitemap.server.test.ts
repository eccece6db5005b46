import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";

import { createCommunity, createThread } from "../../tests/factories/discussions";
import { createItem } from "../../tests/factories/items";
import { buildSitemap } from "./sitemap.server";

const SITE = "http://localhost:3000";

type UrlEntry = { loc: string; lastmod?: string };

async function sitemapEntries() {
  const xml = await buildSitemap();
  expect(XMLValidator.validate(xml)).toBe(true);
  const document = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "url" }).parse(xml) as {
    urlset: { "@_xmlns": string; url: UrlEntry[] };
  };
  expect(document.urlset["@_xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
  return new Map(document.urlset.url.map((entry) => [entry.loc, entry.lastmod]));
}

beforeAll(async () => {
  await createItem({
    slug: "uk9-ratings",
    themes: ["downstream"],
    tags: ["uk9", "kpis"],
    authors: [{ name: "Priya Shah" }],
    published: "2026-02-01",
    updated: "2026-02-10",
  });
  await createItem({
    slug: "alliance",
    themes: ["partnership"],
    tags: ["kpis"],
    authors: [{ name: "Tom Okafor" }],
    published: "2026-03-01",
    updated: "2026-03-01",
  });
  await createItem({
    slug: "hidden-draft",
    status: "draft",
    tags: ["draft-only-tag"],
    authors: [{ name: "Draft Only Author" }],
  });
  const open = await createCommunity({ slug: "open-data-practice" });
  const closed = await createCommunity({ slug: "heads-only", visibility: "members" });
  await createThread({ communityId: open.id, title: "Publishing UK9s", lastActivityAt: "2026-03-05T12:00:00.000Z" });
  await createThread({ communityId: open.id, title: "Moderated away", isHidden: true });
  await createThread({ communityId: closed.id, title: "Members only budget" });
});

describe("sitemap.xml", () => {
  it("lists published items, themes, tags, authors, open communities and their threads with last-modified dates", async () => {
    const entries = await sitemapEntries();
    expect(entries.get(`${SITE}/library/uk9-ratings`)).toBe("2026-02-10T00:00:00.000Z");
    expect(entries.get(`${SITE}/library/alliance`)).toBe("2026-03-01T00:00:00.000Z");
    expect(entries.get(`${SITE}/themes/downstream`)).toBe("2026-02-10T00:00:00.000Z");
    expect(entries.get(`${SITE}/tags/kpis`)).toBe("2026-03-01T00:00:00.000Z");
    expect(entries.get(`${SITE}/authors/priya-shah`)).toBe("2026-02-10T00:00:00.000Z");
    expect(entries.get(`${SITE}/communities/open-data-practice`)).toBe("2026-03-05T12:00:00.000Z");
    expect(entries.get(`${SITE}/library`)).toBe("2026-03-01T00:00:00.000Z");
    expect(entries.has(`${SITE}/`)).toBe(true);
    expect(entries.has(`${SITE}/api`)).toBe(true);
    expect([...entries.keys()].filter((loc) => loc.includes("/threads/"))).toEqual([
      expect.stringMatching(/\/communities\/open-data-practice\/threads\/\d+-publishing-uk9s$/),
    ]);
  });

  it("leaves out drafts, their tags and authors, hidden threads and members-only communities", async () => {
    const xml = await buildSitemap();
    for (const secret of [
      "hidden-draft",
      "draft-only-tag",
      "draft-only-author",
      "heads-only",
      "members-only-budget",
      "moderated-away",
    ]) {
      expect(xml).not.toContain(secret);
    }
  });

  it("escapes what it writes", async () => {
    await createItem({ slug: "escaping-check", tags: ["a-b"], published: "2026-01-01" });
    expect(XMLValidator.validate(await buildSitemap())).toBe(true);
  });
});
