import { describe, expect, it } from "vitest";

import { pageMeta, withPageNumber } from "./meta";
import { itemJsonLd, threadJsonLd } from "./structured-data";

const SITE = "https://commons.example.gov.uk";
const context = (pathname: string, search = "") => ({
  location: { pathname, search },
  matches: [{ id: "root", data: { siteUrl: SITE, user: null } }],
});

describe("pageMeta", () => {
  it("gives the title and description alone when it has no request context", () => {
    expect(pageMeta({ title: "Tips", description: "All the tips." })).toEqual([
      { title: "Tips | Procurement Commons" },
      { name: "description", content: "All the tips." },
    ]);
  });

  it("adds a canonical URL, Open Graph and a Twitter card from SITE_URL", () => {
    const meta = pageMeta({
      title: "Themes",
      description: "Three themes.",
      context: context("/themes", "?utm_source=x"),
    });
    expect(meta).toEqual(
      expect.arrayContaining([
        { tagName: "link", rel: "canonical", href: `${SITE}/themes` },
        { property: "og:url", content: `${SITE}/themes` },
        { property: "og:type", content: "website" },
        { property: "og:title", content: "Themes" },
        { property: "og:description", content: "Three themes." },
        { property: "og:site_name", content: "Procurement Commons" },
        { name: "twitter:card", content: "summary" },
      ]),
    );
  });

  it("marks articles, links feeds and embeds JSON-LD", () => {
    const jsonLd = { "@type": "Article" };
    const meta = pageMeta({
      title: "A case study",
      description: "What we did.",
      context: context("/library/a-case-study"),
      article: { publishedTime: "2026-01-01T00:00:00.000Z", authors: ["Priya Shah"], tags: ["kpis"] },
      feeds: [{ title: "Upstream theme", scope: { kind: "theme", theme: "upstream" } }],
      jsonLd,
    });
    expect(meta).toEqual(
      expect.arrayContaining([
        { property: "og:type", content: "article" },
        { property: "article:published_time", content: "2026-01-01T00:00:00.000Z" },
        { property: "article:author", content: "Priya Shah" },
        { property: "article:tag", content: "kpis" },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: "Upstream theme (Atom)",
          href: `${SITE}/feeds/themes/upstream.atom`,
        },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/rss+xml",
          title: "Upstream theme (RSS)",
          href: `${SITE}/feeds/themes/upstream.rss`,
        },
        { "script:ld+json": jsonLd },
      ]),
    );
  });

  it.each([
    ["", "/tags"],
    ["?page=1", "/tags"],
    ["?page=3&x=1", "/tags?page=3"],
    ["?page=-2", "/tags"],
    ["?page=abc", "/tags"],
  ])("canonicalises the query %j to %s", (search, expected) => {
    expect(withPageNumber("/tags", search)).toBe(expected);
  });
});

describe("schema.org JSON-LD", () => {
  it("describes an item as an Article with its authors and licence", () => {
    const article = itemJsonLd(
      {
        slug: "uk9",
        title: "UK9 ratings",
        summary: "How we rated.",
        publishedAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-02-01T00:00:00.000Z",
        wordCount: 900,
        themes: ["downstream"],
        tags: ["kpis"],
        authors: [{ name: "Priya Shah", slug: "priya-shah", organisation: "Brindleford Borough Council" }],
        licence: "CC-BY-4.0",
        licenceUrl: "https://creativecommons.org/licenses/by/4.0/",
      },
      SITE,
    );
    expect(article).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Article",
      url: `${SITE}/library/uk9`,
      headline: "UK9 ratings",
      datePublished: "2026-01-01T00:00:00.000Z",
      dateModified: "2026-02-01T00:00:00.000Z",
      license: "https://creativecommons.org/licenses/by/4.0/",
      author: [
        {
          "@type": "Person",
          name: "Priya Shah",
          url: `${SITE}/authors/priya-shah`,
          affiliation: { "@type": "Organization", name: "Brindleford Borough Council" },
        },
      ],
    });
  });

  it("describes a thread as a DiscussionForumPosting", () => {
    const posting = threadJsonLd(
      {
        id: 7,
        slug: "has-anyone-published-a-uk9",
        communitySlug: "north-west",
        title: "Has anyone published a UK9?",
        authorName: null,
        createdAt: "2026-03-01T09:00:00.000Z",
        lastActivityAt: "2026-03-02T09:00:00.000Z",
        replyCount: 4,
        openingPostText: "We are about to.",
      },
      SITE,
    );
    expect(posting).toMatchObject({
      "@type": "DiscussionForumPosting",
      url: `${SITE}/communities/north-west/threads/7-has-anyone-published-a-uk9`,
      headline: "Has anyone published a UK9?",
      text: "We are about to.",
      author: { "@type": "Person", name: "A former member" },
      interactionStatistic: { userInteractionCount: 4 },
    });
  });
});
