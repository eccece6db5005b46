import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { createCommunity, createThread } from "../factories/discussions";
import { createUser, sessionCookieFor } from "../factories/users";
import { expectAccessible, useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";

const baseUrl = inject("baseUrl");
const { openPage } = useBrowser();

async function fetchOk(path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, baseUrl), { redirect: "manual", ...init });
  expect(response.status, `${init.method ?? "GET"} ${path}`).toBe(200);
  return response;
}

async function headOf(path: string) {
  const document = parseDocument(await (await fetchOk(path)).text());
  const links = DomUtils.getElementsByTagName("link", document).map((element) => element.attribs);
  const metas = DomUtils.getElementsByTagName("meta", document).map((element) => element.attribs);
  const jsonLd = DomUtils.getElementsByTagName("script", document)
    .filter((element) => element.attribs.type === "application/ld+json")
    .map((element) => JSON.parse(DomUtils.textContent(element)) as Record<string, unknown>);
  return {
    alternates: links.filter((link) => link.rel === "alternate"),
    canonical: links.find((link) => link.rel === "canonical")?.href,
    property: (name: string) => metas.find((meta) => meta.property === name || meta.name === name)?.content,
    jsonLd,
  };
}

async function firstItemPath() {
  const { data } = (await (await fetchOk("/api/v1/items?type=case-study&limit=1")).json()) as {
    data: Array<{ url: string }>;
  };
  return new URL(data[0]!.url).pathname;
}

let membersOnlySlug: string;
let openSlug: string;
let memberCookie: string;
let moderatorCookie: string;
let memberUsername: string;
let openThreadId: number;
let moderatedThreadId: number;
let hiddenThreadId: number;
let secretThreadId: number;

beforeAll(async () => {
  const member = await createUser({ displayName: "Feed Test Member" });
  memberCookie = await sessionCookieFor(member.id);
  const open = await createCommunity({ name: "E2E open practice", slug: "e2e-open-practice" });
  const closed = await createCommunity({ name: "E2E secret circle", slug: "e2e-secret-circle", visibility: "members" });
  openSlug = open.slug;
  membersOnlySlug = closed.slug;
  memberUsername = member.username;
  const moderator = await createUser({ role: "moderator" });
  moderatorCookie = await sessionCookieFor(moderator.id);
  openThreadId = (
    await createThread({
      communityId: open.id,
      author: { id: member.id, role: "member" },
      title: "Sharing KPI wording",
      body: "Here is **ours**.",
    })
  ).threadId;
  secretThreadId = (
    await createThread({
      communityId: closed.id,
      author: { id: member.id, role: "member" },
      title: "Secret savings plan",
      body: "Do not share",
    })
  ).threadId;
  moderatedThreadId = (
    await createThread({
      communityId: open.id,
      author: { id: member.id, role: "member" },
      title: "Moderated opening",
      body: "Libellous quokka claim",
      isOpeningPostHidden: true,
    })
  ).threadId;
  hiddenThreadId = (
    await createThread({
      communityId: open.id,
      author: { id: member.id, role: "member" },
      title: "Hidden wombat thread",
      body: "Wombat",
      isHidden: true,
    })
  ).threadId;
});

describe("feeds over HTTP", () => {
  it("are announced on the home, library, theme and tag pages, and each parses with its entries", async () => {
    const pages = ["/", "/library", "/library?type=tip", "/themes/upstream", "/tags/social-value"];
    const seen = new Set<string>();
    for (const page of pages) {
      const { alternates } = await headOf(page);
      expect(
        alternates.map((link) => link.type),
        page,
      ).toEqual(expect.arrayContaining(["application/atom+xml", "application/rss+xml"]));
      for (const link of alternates) seen.add(link.href!);
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    for (const href of seen) {
      expect(href.startsWith(`${baseUrl}/feeds/`)).toBe(true);
      const response = await fetchOk(href);
      const isAtom = href.endsWith(".atom");
      expect(response.headers.get("Content-Type")).toBe(
        isAtom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8",
      );
      expect(response.headers.get("Cache-Control")).toBe("public, max-age=900");
      const feed = parseFeed(await response.text());
      expect(feed.meta.type).toBe(isAtom ? "atom" : "rss");
      expect(feed.items.length, href).toBeGreaterThan(0);
      for (const entry of feed.items) {
        expect(entry.url?.startsWith(`${baseUrl}/library/`)).toBe(true);
        expect(entry.title).toBeTruthy();
        expect(entry.description).toBeTruthy();
        expect(entry.content).toContain("Shared under the");
        expect(entry.authors.length).toBeGreaterThan(0);
        expect(entry.categories.length).toBeGreaterThan(0);
        expect(entry.published).toBeTruthy();
      }
    }
  });

  it("serves an open community's threads and nothing of a members-only one, signed in or not", async () => {
    const feed = parseFeed(await (await fetchOk(`/feeds/communities/${openSlug}.atom`)).text());
    expect(feed.items.map((item) => item.title).sort()).toEqual(["Moderated opening", "Sharing KPI wording"]);
    expect(JSON.stringify(feed.items)).not.toMatch(/quokka|Hidden wombat/i);
    for (const headers of [{}, { Cookie: memberCookie }] as Array<Record<string, string>>) {
      for (const format of ["atom", "rss"]) {
        const response = await fetch(`${baseUrl}/feeds/communities/${membersOnlySlug}.${format}`, { headers });
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain("Secret");
      }
    }
    const everything = await (await fetchOk("/feeds/everything.atom")).text();
    expect(everything).not.toContain("Secret savings plan");
  });

  it("answers a repeat request with 304 and unknown feeds with 404, never a 500", async () => {
    const first = await fetchOk("/feeds/themes/downstream.rss");
    const second = await fetch(`${baseUrl}/feeds/themes/downstream.rss`, {
      headers: { "If-None-Match": first.headers.get("ETag")! },
    });
    expect(second.status).toBe(304);
    for (const path of [
      "/feeds/themes/sideways.atom",
      "/feeds/everything.json",
      "/feeds/types/tip.atom/extra",
      "/feeds/",
    ]) {
      expect((await fetch(`${baseUrl}${path}`)).status, path).toBe(404);
    }
    // A malformed escape never reaches the feed code: the server refuses the address itself.
    // A malformed address is refused as a client error (which one depends on the layer that reads it first).
    const malformed = (await fetch(`${baseUrl}/feeds/tags/%ZZ.atom`)).status;
    expect(malformed).toBeGreaterThanOrEqual(400);
    expect(malformed).toBeLessThan(500);
  });
});

describe("findable by crawlers", () => {
  it("robots.txt points at the sitemap", async () => {
    const text = await (await fetchOk("/robots.txt")).text();
    expect(text).toContain(`Sitemap: ${baseUrl}/sitemap.xml`);
    expect(text).toMatch(/^User-agent: \*$/m);
  });

  it("sitemap.xml is valid and every address in it answers 200", async () => {
    const xml = await (await fetchOk("/sitemap.xml")).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const { urlset } = new XMLParser({ isArray: (name) => name === "url" }).parse(xml) as {
      urlset: { url: Array<{ loc: string; lastmod?: string }> };
    };
    const locations = urlset.url.map((entry) => entry.loc);
    expect(locations).toEqual(
      expect.arrayContaining([`${baseUrl}/`, `${baseUrl}/library`, `${baseUrl}/themes/upstream`]),
    );
    expect(locations.some((loc) => loc.startsWith(`${baseUrl}/library/`))).toBe(true);
    expect(locations.some((loc) => loc.startsWith(`${baseUrl}/authors/`))).toBe(true);
    expect(locations.some((loc) => loc.startsWith(`${baseUrl}/tags/`))).toBe(true);
    expect(locations).toContain(`${baseUrl}/communities/${openSlug}`);
    expect(locations).toContain(`${baseUrl}/communities/${openSlug}/threads/${openThreadId}-sharing-kpi-wording`);
    expect(locations).toContain(`${baseUrl}/communities/${openSlug}/threads/${moderatedThreadId}-moderated-opening`);
    expect(xml).not.toContain(membersOnlySlug);
    expect(xml).not.toMatch(/secret-savings-plan|hidden-wombat-thread/);
    expect(locations.filter((loc) => new RegExp(`/threads/(${secretThreadId}|${hiddenThreadId})-`).test(loc))).toEqual(
      [],
    );
    for (const entry of urlset.url.filter((e) => e.loc.includes("/library/") || e.loc.includes("/communities/"))) {
      expect(entry.lastmod, entry.loc).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    // Every address, community and thread pages included, answers 200 to an anonymous crawler.
    for (const loc of locations) {
      expect((await fetch(loc, { redirect: "manual" })).status, loc).toBe(200);
    }
  });

  it("open community pages have a canonical URL and announce their feeds", async () => {
    const head = await headOf(`/communities/${openSlug}?view=unanswered`);
    expect(head.canonical).toBe(`${baseUrl}/communities/${openSlug}`);
    expect(head.property("og:url")).toBe(`${baseUrl}/communities/${openSlug}`);
    expect(head.property("og:title")).toBe("E2E open practice");
    expect(head.alternates.map((link) => [link.type, link.href])).toEqual([
      ["application/atom+xml", `${baseUrl}/feeds/communities/${openSlug}.atom`],
      ["application/rss+xml", `${baseUrl}/feeds/communities/${openSlug}.rss`],
    ]);
    for (const link of head.alternates) {
      const feed = parseFeed(await (await fetchOk(link.href!)).text());
      expect(feed.items.map((item) => item.title)).toContain("Sharing KPI wording");
    }
  });

  it("open thread pages carry a canonical URL, Open Graph and DiscussionForumPosting JSON-LD", async () => {
    const path = `/communities/${openSlug}/threads/${openThreadId}-sharing-kpi-wording`;
    const head = await headOf(path);
    expect(head.canonical).toBe(`${baseUrl}${path}`);
    expect(head.property("og:url")).toBe(`${baseUrl}${path}`);
    expect(head.property("og:title")).toBe("Sharing KPI wording");
    expect(head.property("description")).toBe("Here is ours.");
    expect(head.alternates.map((link) => link.href)).toContain(`${baseUrl}/feeds/communities/${openSlug}.atom`);
    expect(head.jsonLd).toEqual([
      expect.objectContaining({
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        url: `${baseUrl}${path}`,
        headline: "Sharing KPI wording",
        text: "Here is ours.",
        author: { "@type": "Person", name: "Feed Test Member" },
      }),
    ]);
  });

  it("never puts a removed opening post, a hidden thread or a members-only thread in meta or JSON-LD", async () => {
    // A moderator still sees the hidden opening post on the page, but not in what crawlers would read.
    for (const headers of [{}, { Cookie: moderatorCookie }] as Array<Record<string, string>>) {
      const page = await (
        await fetchOk(`/communities/${openSlug}/threads/${moderatedThreadId}-moderated-opening`, { headers })
      ).text();
      const head = page.slice(0, page.indexOf("</head>"));
      expect(head).toContain("DiscussionForumPosting");
      expect(head).not.toContain("quokka");
    }
    const hidden = await (
      await fetchOk(`/communities/${openSlug}/threads/${hiddenThreadId}-hidden-wombat-thread`, {
        headers: { Cookie: moderatorCookie },
      })
    ).text();
    const secret = await (
      await fetchOk(`/communities/${membersOnlySlug}/threads/${secretThreadId}-secret-savings-plan`, {
        headers: { Cookie: memberCookie },
      })
    ).text();
    const secretCommunity = await (
      await fetchOk(`/communities/${membersOnlySlug}`, { headers: { Cookie: memberCookie } })
    ).text();
    for (const [name, page] of [
      ["hidden thread", hidden],
      ["members-only thread", secret],
      ["members-only community", secretCommunity],
    ] as const) {
      const head = page.slice(0, page.indexOf("</head>"));
      expect(head, name).not.toContain("application/ld+json");
      expect(head, name).not.toMatch(/rel="canonical"|og:|twitter:|rel="alternate"/);
      expect(head, name).not.toMatch(/Do not share|Wombat</);
    }
    for (const path of [
      `/communities/${membersOnlySlug}`,
      `/communities/${membersOnlySlug}/threads/${secretThreadId}-secret-savings-plan`,
    ]) {
      const response = await fetch(`${baseUrl}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toMatch(/Secret savings plan|Do not share|E2E secret circle/);
    }
  });

  it("members' profile pages have a canonical URL and a card", async () => {
    const head = await headOf(`/members/${memberUsername}`);
    expect(head.canonical).toBe(`${baseUrl}/members/${memberUsername}`);
    expect(head.property("og:title")).toBe("Feed Test Member");
    expect(head.property("og:url")).toBe(`${baseUrl}/members/${memberUsername}`);
    expect(head.property("twitter:card")).toBe("summary");
  });

  it("item pages carry a canonical URL, Open Graph, Twitter card and Article JSON-LD with the licence", async () => {
    const path = await firstItemPath();
    const head = await headOf(path);
    expect(head.canonical).toBe(`${baseUrl}${path}`);
    expect(head.property("og:type")).toBe("article");
    expect(head.property("og:url")).toBe(`${baseUrl}${path}`);
    expect(head.property("og:title")).toBeTruthy();
    expect(head.property("twitter:card")).toBe("summary");
    expect(head.property("article:published_time")).toMatch(/^\d{4}-/);
    const [article] = head.jsonLd;
    expect(article).toMatchObject({ "@context": "https://schema.org", "@type": "Article", url: `${baseUrl}${path}` });
    expect(String(article!.license)).toMatch(/^https:\/\//);
  });

  it("list pages have canonical URLs that keep filters and later pages but drop everything else", async () => {
    expect((await headOf("/library?utm_source=x&type=tip")).canonical).toBe(`${baseUrl}/library?type=tip`);
    expect((await headOf("/library?page=2")).canonical).toBe(`${baseUrl}/library?page=2`);
    expect((await headOf("/themes/upstream?page=1&ref=x")).canonical).toBe(`${baseUrl}/themes/upstream`);
    expect((await headOf("/")).property("og:type")).toBe("website");
  });
});

describe("the public API over HTTP", () => {
  it("answers GET and HEAD, refuses writes, and honours If-None-Match", async () => {
    const get = await fetchOk("/api/v1/items?limit=2");
    const body = (await get.json()) as { data: unknown[]; next_url: string };
    expect(body.data).toHaveLength(2);
    expect(body.next_url.startsWith(`${baseUrl}/api/v1/items?`)).toBe(true);
    const next = (await (await fetchOk(body.next_url)).json()) as { data: unknown[] };
    expect(next.data.length).toBeGreaterThan(0);

    const head = await fetchOk("/api/v1/items?limit=2", { method: "HEAD" });
    expect(head.headers.get("ETag")).toBe(get.headers.get("ETag"));
    expect(await head.text()).toBe("");

    const notModified = await fetch(`${baseUrl}/api/v1/items?limit=2`, {
      headers: { "If-None-Match": get.headers.get("ETag")! },
    });
    expect(notModified.status).toBe(304);

    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await fetch(`${baseUrl}/api/v1/items`, {
        method,
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      expect(response.status, method).toBe(405);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    }
  });

  it("answers bad input with a 400 naming the parameter", async () => {
    for (const [query, parameter] of [
      ["limit=100000", "limit"],
      ["cursor=%ZZ", "cursor"],
      ["sort=oldest", "sort"],
    ] as const) {
      const response = await fetch(`${baseUrl}/api/v1/items?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { parameter: string } }).error.parameter).toBe(parameter);
    }
    const unknown = await fetch(`${baseUrl}/api/v1/nothing-here?q=x`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toContain("application/json");
  });

  it("searches over HTTP: GET and HEAD, conditional requests, 400s for bad input, never members-only", async () => {
    // The index follows writes through its outbox, in each server process: wait until the open thread is searchable.
    const discussionUrls = async () => {
      const response = await fetch(`${baseUrl}/api/v1/search?q=kpi&kind=discussion`);
      if (response.status !== 200) return [];
      return ((await response.json()) as { data: Array<{ url: string }> }).data.map((result) => result.url);
    };
    await expect
      .poll(discussionUrls, { timeout: 10_000, interval: 100 })
      .toContain(`${baseUrl}/communities/${openSlug}/threads/${openThreadId}-sharing-kpi-wording`);

    const get = await fetchOk("/api/v1/search?q=kpi");
    expect(get.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(get.headers.get("Cache-Control")).toBe("public, max-age=60");
    const head = await fetchOk("/api/v1/search?q=kpi", { method: "HEAD" });
    expect(head.headers.get("ETag")).toBe(get.headers.get("ETag"));
    expect(await head.text()).toBe("");
    const notModified = await fetch(`${baseUrl}/api/v1/search?q=kpi`, {
      headers: { "If-None-Match": get.headers.get("ETag")! },
    });
    expect(notModified.status).toBe(304);
    const post = await fetch(`${baseUrl}/api/v1/search?q=kpi`, { method: "POST" });
    expect(post.status).toBe(405);

    for (const headers of [{}, { Cookie: memberCookie }] as Array<Record<string, string>>) {
      for (const q of ["secret", "savings plan", "do not share", "wombat", "quokka", "libellous"]) {
        const response = await fetchOk(`/api/v1/search?q=${encodeURIComponent(q)}`, { headers });
        // The query is echoed back in "query", so look at the results and facets only.
        const { data, facets } = (await response.json()) as { data: unknown; facets: unknown };
        const text = JSON.stringify({ data, facets });
        expect(text, q).not.toMatch(/Secret savings plan|Do not share|Wombat|quokka|libellous/i);
        expect(text, q).not.toContain(membersOnlySlug);
        expect(text, q).not.toContain("E2E secret circle");
        expect(response.headers.get("Set-Cookie")).toBeNull();
      }
    }

    for (const [query, parameter] of [
      [`q=${"a".repeat(10_000)}`, "q"],
      ["q=kpi%00%1B", "q"],
      ["q=kpi&colour=red", "colour"],
      ["q=kpi&page=0", "page"],
      ["q=kpi&limit=101", "limit"],
    ] as const) {
      const response = await fetch(`${baseUrl}/api/v1/search?${query}`);
      expect(response.status, query.slice(0, 40)).toBe(400);
      const error = (await response.json()) as { error: { code: string; parameter: string } };
      expect(error.error).toMatchObject({ code: "invalid_parameter", parameter });
    }
  });

  it("never shows a members-only community, even to its signed-in member", async () => {
    for (const headers of [{}, { Cookie: memberCookie }] as Array<Record<string, string>>) {
      const list = await (await fetchOk("/api/v1/communities", { headers })).text();
      expect(list).toContain(openSlug);
      expect(list).not.toContain(membersOnlySlug);
      const threads = await fetch(`${baseUrl}/api/v1/communities/${membersOnlySlug}/threads`, { headers });
      expect(threads.status).toBe(404);
      expect(threads.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("serves the OpenAPI document and a readable, accessible guide", async () => {
    const document = (await (await fetchOk("/api/v1/openapi.json")).json()) as {
      openapi: string;
      servers: Array<{ url: string }>;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers[0]!.url).toBe(`${baseUrl}/api/v1`);
    // axe needs JavaScript in the page, so the scan runs with it; the guide is plain HTML either way.
    for (const javaScriptEnabled of [true, false]) {
      const page = await openPage({ javaScriptEnabled });
      await navigate(page, "/api", mainHeading(page, "Open data: feeds and the API"));
      if (javaScriptEnabled) await expectAccessible(page);
      // The browser shows the JSON itself, which carries none of the app's scripts.
      await navigate(
        page,
        () => page.getByRole("link", { name: "OpenAPI 3.1 document" }).click(),
        page.getByText(/"openapi":\s*"3\.1\.0"/).first(),
        { url: "/api/v1/openapi.json", hydrates: false },
      );
    }
  });
});
