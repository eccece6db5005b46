import { Feed, type Item as FeedEntry } from "feed";

import { getEnv } from "~/env.server";
import { listTags } from "~/models/item.server";
import {
  isOneOf,
  ITEM_TYPE_PLURALS,
  ITEM_TYPES,
  LICENCE_URLS,
  LICENCES,
  labelFor,
  THEME_DESCRIPTIONS,
  THEMES,
} from "~/models/vocabulary";
import { escapeHtml } from "~/utils/html";
import { SITE_NAME } from "~/utils/meta";
import {
  authorPath,
  communityPath,
  type FeedFormat,
  feedPath,
  type FeedScope,
  itemPath,
  tagPath,
  themePath,
  threadPath,
} from "~/utils/paths";

import { getOpenCommunity, listOpenThreads, type OpenThread } from "./open-discussions.server";
import { listPublishedItems, type PublishedItemFilters, type SyndicatedItem } from "./published-items.server";

const FEED_SIZE = 30;

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
};

type FeedDescription = { title: string; description: string; pagePath: string };

/** Relative links in stored HTML point at this site; a feed reader needs them absolute. */
export function absolutiseLinks(html: string, siteUrl: string, pageUrl: string) {
  return html.replace(/\b(href|src)="\/(?!\/)/g, `$1="${siteUrl}/`).replace(/\bhref="#/g, `href="${pageUrl}#`);
}

function licenceStatement(licence: string) {
  const url = (LICENCE_URLS as Record<string, string>)[licence];
  const name = escapeHtml(labelFor(LICENCES, licence));
  return url
    ? `<p>Shared under the <a href="${url}" rel="license">${name}</a> licence.</p>`
    : `<p>Licence: ${name}.</p>`;
}

function categoriesFor(siteUrl: string, themes: string[], tags: string[]) {
  return [
    ...themes.map((theme) => ({
      name: labelFor(THEMES, theme),
      term: theme,
      scheme: `${siteUrl}/themes/`,
      domain: `${siteUrl}/themes/`,
    })),
    ...tags.map((tag) => ({ name: tag, term: tag, scheme: `${siteUrl}/tags/`, domain: `${siteUrl}/tags/` })),
  ];
}

// Entries leave id to default to the link: Atom's id and RSS's permalink guid are then the item's address.
// Titles and summaries are plain text, but both formats carry them where readers expect HTML.
function itemEntry(item: SyndicatedItem, siteUrl: string, format: FeedFormat): FeedEntry {
  const url = `${siteUrl}${itemPath(item.slug)}`;
  const licenceUrl = (LICENCE_URLS as Record<string, string>)[item.licence];
  const rights = `${labelFor(LICENCES, item.licence)}${licenceUrl ? ` (${licenceUrl})` : ""}`;
  const authorNames = item.authors.map((author) => author.name).join(", ");
  return {
    title: escapeHtml(item.title),
    link: url,
    date: new Date(item.updatedAt),
    published: new Date(item.publishedAt ?? item.updatedAt),
    description: escapeHtml(item.summary),
    content: absolutiseLinks(item.bodyHtml, siteUrl, url) + licenceStatement(item.licence),
    category: categoriesFor(siteUrl, item.themes, item.tags),
    ...(format === "atom"
      ? {
          author: item.authors.map((author) => ({ name: author.name, link: `${siteUrl}${authorPath(author.slug)}` })),
          copyright: rights,
        }
      : {
          // RSS 2.0's <author> must be an email address; Dublin Core names people without one.
          extensions: [
            ...(authorNames ? [{ name: "dc:creator", objects: { _text: authorNames } }] : []),
            { name: "dc:rights", objects: { _text: rights } },
          ],
        }),
  };
}

function threadEntry(thread: OpenThread, siteUrl: string, format: FeedFormat): FeedEntry {
  const url = `${siteUrl}${threadPath({ communitySlug: thread.communitySlug, id: thread.id, slug: thread.slug })}`;
  const authorName = thread.authorName ?? "A former member";
  const kind = thread.kind === "question" ? "Question" : "Discussion";
  return {
    title: escapeHtml(thread.title),
    link: url,
    date: new Date(thread.lastActivityAt),
    published: new Date(thread.createdAt),
    description: escapeHtml(
      `${kind} in ${thread.communityName}, ${thread.replyCount} ${thread.replyCount === 1 ? "reply" : "replies"}${thread.isAnswered ? ", answered" : ""}.`,
    ),
    content: absolutiseLinks(thread.openingPostHtml, siteUrl, url),
    category: categoriesFor(siteUrl, thread.themes, thread.tags),
    ...(format === "atom"
      ? { author: [{ name: authorName }] }
      : { extensions: [{ name: "dc:creator", objects: { _text: authorName } }] }),
  };
}

async function describeItemScope(
  scope: Exclude<FeedScope, { kind: "community" }>,
): Promise<(FeedDescription & { filters: PublishedItemFilters }) | null> {
  switch (scope.kind) {
    case "everything":
      return {
        title: `${SITE_NAME}: new in the library`,
        description: "New and updated case studies, tips and data stories from UK public procurement practitioners.",
        pagePath: "/library",
        filters: {},
      };
    case "type":
      if (!isOneOf(ITEM_TYPES, scope.type)) return null;
      return {
        title: `${SITE_NAME}: ${ITEM_TYPE_PLURALS[scope.type].toLowerCase()}`,
        description: `New and updated ${ITEM_TYPE_PLURALS[scope.type].toLowerCase()} in the ${SITE_NAME} library.`,
        pagePath: `/library?type=${scope.type}`,
        filters: { type: scope.type },
      };
    case "theme":
      if (!isOneOf(THEMES, scope.theme)) return null;
      return {
        title: `${SITE_NAME}: ${THEMES[scope.theme]} theme`,
        description: THEME_DESCRIPTIONS[scope.theme],
        pagePath: themePath(scope.theme),
        filters: { theme: scope.theme },
      };
    case "tag": {
      const tags = await listTags();
      if (!tags.some((entry) => entry.tag === scope.tag)) return null;
      return {
        title: `${SITE_NAME}: tagged ${scope.tag}`,
        description: `New and updated items tagged ${scope.tag}.`,
        pagePath: tagPath(scope.tag),
        filters: { tag: scope.tag },
      };
    }
  }
}

/** The feed document for a scope and format, or null when there is no such public feed. */
export async function buildFeed({ scope, format }: { scope: FeedScope; format: FeedFormat }) {
  const siteUrl = getEnv().SITE_URL;
  let description: FeedDescription;
  let entries: FeedEntry[];
  let updated: string | null;

  if (scope.kind === "community") {
    const community = await getOpenCommunity({ slug: scope.slug });
    if (!community) return null;
    const { threads } = await listOpenThreads({ communitySlug: community.slug, orderBy: "created", limit: FEED_SIZE });
    description = {
      title: `${SITE_NAME}: ${community.name}`,
      description: community.description,
      pagePath: communityPath(community.slug),
    };
    entries = threads.map((thread) => threadEntry(thread, siteUrl, format));
    updated =
      threads.reduce<string | null>(
        (latest, t) => (latest && latest > t.lastActivityAt ? latest : t.lastActivityAt),
        null,
      ) ?? community.createdAt;
  } else {
    const described = await describeItemScope(scope);
    if (!described) return null;
    description = described;
    const { items } = await listPublishedItems({ filters: described.filters, limit: FEED_SIZE, withBody: true });
    entries = items.map((item) => itemEntry(item, siteUrl, format));
    updated = items.reduce<string | null>(
      (latest, item) => (latest && latest > item.updatedAt ? latest : item.updatedAt),
      null,
    );
  }

  const feed = new Feed({
    id: `${siteUrl}${feedPath(scope, "atom")}`,
    title: description.title,
    description: description.description,
    link: `${siteUrl}${description.pagePath}`,
    language: "en-GB",
    // A fixed date for an empty feed keeps its ETag stable.
    updated: new Date(updated ?? "2026-01-01T00:00:00.000Z"),
    generator: false,
    feedLinks: { atom: `${siteUrl}${feedPath(scope, "atom")}`, rss: `${siteUrl}${feedPath(scope, "rss")}` },
    copyright: "Each entry states its own licence.",
  });
  for (const entry of entries) feed.addItem(entry);
  return format === "atom" ? feed.atom1() : feed.rss2();
}
