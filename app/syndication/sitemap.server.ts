import { XMLBuilder } from "fast-xml-parser";

import { db } from "~/db/client.server";
import { getEnv } from "~/env.server";
import { THEME_SLUGS } from "~/models/vocabulary";
import { authorPath, communityPath, itemPath, tagPath, themePath, threadPath } from "~/utils/paths";

import { listOpenCommunities } from "./open-discussions.server";

type SitemapEntry = { path: string; lastModified: string | null };

const STATIC_PATHS = ["/", "/library", "/themes", "/tags", "/about", "/accessibility", "/api"];

// Thread pages are many and change often; a crawler gets the newest this many.
const MAX_THREADS = 5_000;

/** Every public page a crawler should know about, with when it last changed. */
async function listSitemapEntries(): Promise<SitemapEntry[]> {
  const [items, themes, tags, authors, communities, threads] = await Promise.all([
    db
      .selectFrom("items")
      .select(["slug", "updated_at"])
      .where("status", "=", "published")
      .orderBy("published_at", "desc")
      .execute(),
    db
      .selectFrom("item_themes")
      .innerJoin("items", "items.id", "item_themes.item_id")
      .where("items.status", "=", "published")
      .select(["item_themes.theme", (eb) => eb.fn.max("items.updated_at").as("latest")])
      .groupBy("item_themes.theme")
      .execute(),
    db
      .selectFrom("item_tags")
      .innerJoin("items", "items.id", "item_tags.item_id")
      .where("items.status", "=", "published")
      .select(["item_tags.tag", (eb) => eb.fn.max("items.updated_at").as("latest")])
      .groupBy("item_tags.tag")
      .orderBy("item_tags.tag")
      .execute(),
    db
      .selectFrom("authors")
      .innerJoin("item_authors", "item_authors.author_id", "authors.id")
      .innerJoin("items", "items.id", "item_authors.item_id")
      .where("items.status", "=", "published")
      .select(["authors.slug", (eb) => eb.fn.max("items.updated_at").as("latest")])
      .groupBy("authors.slug")
      .orderBy("authors.slug")
      .execute(),
    listOpenCommunities(),
    db
      .selectFrom("threads")
      .innerJoin("communities", "communities.id", "threads.community_id")
      .where("communities.visibility", "=", "open")
      .where("threads.is_hidden", "=", 0)
      .where("threads.kind", "in", ["discussion", "question"])
      .select(["threads.id", "threads.slug", "threads.last_activity_at", "communities.slug as community_slug"])
      .orderBy("threads.last_activity_at", "desc")
      .limit(MAX_THREADS)
      .execute(),
  ]);
  const newestItem = items.reduce<string | null>(
    (latest, item) => (latest && latest > item.updated_at ? latest : item.updated_at),
    null,
  );
  const themeLatest = new Map(themes.map((row) => [row.theme, row.latest]));
  return [
    ...STATIC_PATHS.map((path) => ({ path, lastModified: path === "/" || path === "/library" ? newestItem : null })),
    ...items.map((item) => ({ path: itemPath(item.slug), lastModified: item.updated_at })),
    ...THEME_SLUGS.map((theme) => ({ path: themePath(theme), lastModified: themeLatest.get(theme) ?? null })),
    ...tags.map((tag) => ({ path: tagPath(tag.tag), lastModified: tag.latest })),
    ...authors.map((author) => ({ path: authorPath(author.slug), lastModified: author.latest })),
    ...communities.map((community) => ({
      path: communityPath(community.slug),
      lastModified: community.lastActivityAt ?? community.createdAt,
    })),
    ...threads.map((thread) => ({
      path: threadPath({ communitySlug: thread.community_slug, id: thread.id, slug: thread.slug }),
      lastModified: thread.last_activity_at,
    })),
  ];
}

/** sitemaps.org XML for the entries, with absolute URLs on SITE_URL. */
export async function buildSitemap() {
  const siteUrl = getEnv().SITE_URL;
  const entries = await listSitemapEntries();
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, processEntities: true });
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    urlset: {
      "@_xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9",
      url: entries.map((entry) => ({
        loc: `${siteUrl}${entry.path}`,
        ...(entry.lastModified ? { lastmod: entry.lastModified } : {}),
      })),
    },
  });
}
