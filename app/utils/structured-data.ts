import { SITE_NAME } from "./meta";
import { authorPath, itemPath, threadPath } from "./paths";

// schema.org JSON-LD, so search engines understand what a page is. Safe in the browser.

type Licensed = { licence: string; licenceUrl: string | null };

export function itemJsonLd(
  item: {
    slug: string;
    title: string;
    summary: string;
    publishedAt: string | null;
    updatedAt: string;
    wordCount: number;
    themes: string[];
    tags: string[];
    authors: Array<{ name: string; slug: string; organisation: string | null }>;
  } & Licensed,
  siteUrl: string,
) {
  const url = `${siteUrl}${itemPath(item.slug)}`;
  return {
    "@context": "https://schema.org",
    "@type": "Article",
    "@id": url,
    url,
    mainEntityOfPage: url,
    headline: item.title,
    description: item.summary,
    ...(item.publishedAt ? { datePublished: item.publishedAt } : {}),
    dateModified: item.updatedAt,
    wordCount: item.wordCount,
    inLanguage: "en-GB",
    keywords: [...item.themes, ...item.tags].join(", "),
    license: item.licenceUrl ?? item.licence,
    author: item.authors.map((author) => ({
      "@type": "Person",
      name: author.name,
      url: `${siteUrl}${authorPath(author.slug)}`,
      ...(author.organisation ? { affiliation: { "@type": "Organization", name: author.organisation } } : {}),
    })),
    publisher: { "@type": "Organization", name: SITE_NAME, url: siteUrl },
  };
}

/** What a thread's forum-posting description needs. */
export type ThreadPosting = {
  id: number;
  slug: string;
  communitySlug: string;
  title: string;
  authorName: string | null;
  createdAt: string;
  lastActivityAt: string;
  replyCount: number;
  openingPostText: string;
};

/** For thread pages: a forum posting, with its replies counted as comments. */
export function threadJsonLd(thread: ThreadPosting, siteUrl: string) {
  const url = `${siteUrl}${threadPath({ communitySlug: thread.communitySlug, id: thread.id, slug: thread.slug })}`;
  return {
    "@context": "https://schema.org",
    "@type": "DiscussionForumPosting",
    "@id": url,
    url,
    mainEntityOfPage: url,
    headline: thread.title,
    text: thread.openingPostText,
    datePublished: thread.createdAt,
    dateModified: thread.lastActivityAt,
    author: { "@type": "Person", name: thread.authorName ?? "A former member" },
    interactionStatistic: {
      "@type": "InteractionCounter",
      interactionType: "https://schema.org/CommentAction",
      userInteractionCount: thread.replyCount,
    },
    isPartOf: { "@type": "WebSite", name: SITE_NAME, url: siteUrl },
  };
}
