import type { MetaDescriptor } from "@remix-run/node";

import { type FeedScope, feedPath } from "./paths";

export const SITE_NAME = "Procurement Commons";

/** What pageMeta needs from Remix's meta arguments to make absolute, canonical addresses. */
export type MetaContext = {
  location: { pathname: string; search: string };
  matches: ReadonlyArray<{ id: string; data: unknown } | undefined>;
};

type ArticleMeta = {
  publishedTime?: string | null;
  modifiedTime?: string | null;
  authors?: string[];
  tags?: string[];
};

export type PageMetaOptions = {
  title?: string;
  description: string;
  /** Remix's meta arguments; with them come canonical, Open Graph and Twitter card tags. */
  context?: MetaContext;
  /** Defaults to the page's path, keeping only a page number after the first. */
  canonicalPath?: string;
  article?: ArticleMeta;
  feeds?: Array<{ title: string; scope: FeedScope }>;
  jsonLd?: Record<string, unknown>;
};

/** A path plus ?page=N when the query string asks for a page after the first. */
export function withPageNumber(pathname: string, search: string) {
  const page = new URLSearchParams(search).get("page") ?? "";
  return /^\d{1,6}$/.test(page) && Number(page) > 1 ? `${pathname}?page=${Number(page)}` : pathname;
}

/** The public origin, as the root loader passes it down. */
export function siteUrlFrom(context: MetaContext) {
  const root = context.matches.find((match) => match?.id === "root")?.data as { siteUrl?: string } | undefined;
  return root?.siteUrl ?? null;
}

/** Title and description for a page, and how it looks when shared; every route's meta goes through here. */
export function pageMeta({
  title,
  description,
  context,
  canonicalPath,
  article,
  feeds = [],
  jsonLd,
}: PageMetaOptions): MetaDescriptor[] {
  const fullTitle = title ? `${title} | ${SITE_NAME}` : SITE_NAME;
  const descriptors: MetaDescriptor[] = [{ title: fullTitle }, { name: "description", content: description }];
  const siteUrl = context ? siteUrlFrom(context) : null;
  if (!context || !siteUrl) return descriptors;

  const canonical = `${siteUrl}${canonicalPath ?? withPageNumber(context.location.pathname, context.location.search)}`;
  descriptors.push(
    { tagName: "link", rel: "canonical", href: canonical },
    { property: "og:site_name", content: SITE_NAME },
    { property: "og:locale", content: "en_GB" },
    { property: "og:type", content: article ? "article" : "website" },
    { property: "og:title", content: title ?? SITE_NAME },
    { property: "og:description", content: description },
    { property: "og:url", content: canonical },
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: title ?? SITE_NAME },
    { name: "twitter:description", content: description },
  );
  if (article) {
    if (article.publishedTime) descriptors.push({ property: "article:published_time", content: article.publishedTime });
    if (article.modifiedTime) descriptors.push({ property: "article:modified_time", content: article.modifiedTime });
    for (const author of article.authors ?? []) descriptors.push({ property: "article:author", content: author });
    for (const tag of article.tags ?? []) descriptors.push({ property: "article:tag", content: tag });
  }
  for (const feed of feeds) {
    descriptors.push(
      {
        tagName: "link",
        rel: "alternate",
        type: "application/atom+xml",
        title: `${feed.title} (Atom)`,
        href: `${siteUrl}${feedPath(feed.scope, "atom")}`,
      },
      {
        tagName: "link",
        rel: "alternate",
        type: "application/rss+xml",
        title: `${feed.title} (RSS)`,
        href: `${siteUrl}${feedPath(feed.scope, "rss")}`,
      },
    );
  }
  if (jsonLd) descriptors.push({ "script:ld+json": jsonLd });
  return descriptors;
}
