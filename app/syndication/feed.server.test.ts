import { parseFeed } from "@rowanmanning/feed-parser";
import { beforeAll, describe, expect, it } from "vitest";

import { createCommunity, createThread } from "../../tests/factories/discussions";
import { createItem } from "../../tests/factories/items";
import { createUser } from "../../tests/factories/users";
import { absolutiseLinks, buildFeed } from "./feed.server";

const SITE = "http://localhost:3000";

async function parsed(scope: Parameters<typeof buildFeed>[0]["scope"], format: "atom" | "rss") {
  const xml = await buildFeed({ scope, format });
  if (xml === null) throw new Error("expected a feed");
  return parseFeed(xml);
}

beforeAll(async () => {
  await createItem({
    type: "case-study",
    slug: "home-care-alliance",
    title: "Home care alliance <script>alert(1)</script> & friends",
    summary: "How an alliance cut hand-offs & waits.",
    themes: ["partnership", "downstream"],
    tags: ["kpis", "social-value"],
    authors: [{ name: "Priya Shah", organisation: "Brindleford Borough Council" }],
    published: "2026-02-01",
    updated: "2026-03-01",
    licence: "OGL-UK-3.0",
    body: "## What we did\n\nSee [the other tip](/library/count-working-days) and [below](#what-we-did).\n",
  });
  await createItem({
    type: "tip",
    slug: "count-working-days",
    title: "Count working days",
    themes: ["upstream"],
    tags: ["standstill"],
    published: "2026-01-20",
  });
  await createItem({
    type: "tip",
    slug: "secret-draft",
    title: "A draft nobody should see",
    status: "draft",
    tags: ["kpis"],
  });
  await createItem({ type: "tip", slug: "old-archived", title: "An archived tip", status: "archived", tags: ["kpis"] });
});

describe("item feeds", () => {
  it.each(["atom", "rss"] as const)(
    "everything (%s) carries the published items in full, newest first",
    async (format) => {
      const feed = await parsed({ kind: "everything" }, format);
      expect(feed.meta.type).toBe(format);
      expect(feed.url).toBe(`${SITE}/library`);
      expect(feed.items.map((item) => item.url)).toEqual([
        `${SITE}/library/home-care-alliance`,
        `${SITE}/library/count-working-days`,
      ]);
      const [entry] = feed.items;
      expect(entry!.title).toBe("Home care alliance <script>alert(1)</script> & friends");
      expect(entry!.description).toBe("How an alliance cut hand-offs & waits.");
      expect(entry!.authors.map((author) => author.name)).toEqual(["Priya Shah"]);
      expect(new Date(entry!.published!).toISOString()).toBe("2026-02-01T00:00:00.000Z");
      expect(entry!.categories.map((category) => (category.term ?? category.label)?.toLowerCase())).toEqual(
        expect.arrayContaining(["partnership", "downstream", "kpis", "social-value"]),
      );
      expect(entry!.content).toContain('<h2 id="what-we-did"');
      expect(entry!.content).toContain(`href="${SITE}/library/count-working-days"`);
      expect(entry!.content).toContain(`href="${SITE}/library/home-care-alliance#what-we-did"`);
      expect(entry!.content).toContain("Open Government Licence v3.0");
    },
  );

  it("gives each Atom entry its licence and an updated date", async () => {
    const xml = (await buildFeed({ scope: { kind: "everything" }, format: "atom" }))!;
    expect(xml).toContain(
      "<rights>Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)</rights>",
    );
    expect(xml).toContain("<updated>2026-03-01T00:00:00.000Z</updated>");
    expect(xml).toContain(`<link rel="self" href="${SITE}/feeds/everything.atom"/>`);
  });

  it("names RSS authors and licences with Dublin Core, not RSS's email-only <author>", async () => {
    const xml = (await buildFeed({ scope: { kind: "everything" }, format: "rss" }))!;
    expect(xml).toContain("<dc:creator>Priya Shah</dc:creator>");
    expect(xml).toContain("<dc:rights>Open Government Licence v3.0");
    expect(xml).not.toContain("<author>");
  });

  it.each([
    [{ kind: "type", type: "tip" }, ["count-working-days"]],
    [{ kind: "type", type: "case-study" }, ["home-care-alliance"]],
    [{ kind: "theme", theme: "partnership" }, ["home-care-alliance"]],
    [{ kind: "theme", theme: "upstream" }, ["count-working-days"]],
    [{ kind: "tag", tag: "kpis" }, ["home-care-alliance"]],
  ] as const)("%j lists only its published items", async (scope, slugs) => {
    for (const format of ["atom", "rss"] as const) {
      const feed = await parsed(scope, format);
      expect(feed.items.map((item) => item.url)).toEqual(slugs.map((slug) => `${SITE}/library/${slug}`));
    }
  });

  it("never includes drafts or archived items", async () => {
    for (const scope of [
      { kind: "everything" },
      { kind: "type", type: "tip" },
      { kind: "tag", tag: "kpis" },
    ] as const) {
      const xml = (await buildFeed({ scope, format: "atom" }))!;
      expect(xml).not.toContain("secret-draft");
      expect(xml).not.toContain("old-archived");
    }
  });

  it.each([
    { kind: "type", type: "poem" },
    { kind: "theme", theme: "sideways" },
    { kind: "tag", tag: "no-such-tag" },
    { kind: "community", slug: "no-such-community" },
  ] as const)("has no feed for %j", async (scope) => {
    expect(await buildFeed({ scope, format: "atom" })).toBeNull();
  });
});

describe("community feeds", () => {
  let open: Awaited<ReturnType<typeof createCommunity>>;
  let membersOnly: Awaited<ReturnType<typeof createCommunity>>;

  beforeAll(async () => {
    const member = await createUser({ displayName: "Dee Practitioner" });
    open = await createCommunity({ name: "Social value practice", slug: "social-value-practice" });
    membersOnly = await createCommunity({
      name: "Heads of procurement",
      slug: "heads-of-procurement",
      visibility: "members",
    });
    await createThread({
      communityId: open.id,
      author: { id: member.id, role: "member" },
      kind: "question",
      title: "Has anyone published a UK9 yet?",
      body: "We are about to publish our **first** UK9.",
      themes: ["downstream"],
      tags: ["uk9"],
      replies: 2,
      createdAt: "2026-03-02T09:00:00.000Z",
    });
    await createThread({
      communityId: open.id,
      title: "Hidden by a moderator",
      body: "Spam spam spam",
      isHidden: true,
    });
    await createThread({
      communityId: open.id,
      title: "Opening post removed",
      body: "Something a moderator hid",
      isOpeningPostHidden: true,
      createdAt: "2026-03-01T09:00:00.000Z",
    });
    await createThread({ communityId: membersOnly.id, title: "Confidential budget talk", body: "Members only words" });
  });

  it.each(["atom", "rss"] as const)("lists an open community's visible threads (%s)", async (format) => {
    const feed = await parsed({ kind: "community", slug: open.slug }, format);
    expect(feed.title).toBe("Procurement Commons: Social value practice");
    expect(feed.items.map((item) => item.title)).toEqual(["Has anyone published a UK9 yet?", "Opening post removed"]);
    const [question] = feed.items;
    expect(question!.url).toMatch(
      new RegExp(`^${SITE}/communities/social-value-practice/threads/\\d+-has-anyone-published-a-uk9-yet$`),
    );
    expect(question!.authors.map((author) => author.name)).toEqual(["Dee Practitioner"]);
    expect(question!.content).toContain("<strong>first</strong>");
    expect(question!.description).toBe("Question in Social value practice, 2 replies.");
    expect(question!.categories.map((category) => (category.term ?? category.label)?.toLowerCase())).toEqual(
      expect.arrayContaining(["downstream", "uk9"]),
    );
  });

  it("keeps hidden threads, hidden posts and members-only communities out", async () => {
    const xml = (await buildFeed({ scope: { kind: "community", slug: open.slug }, format: "atom" }))!;
    expect(xml).not.toContain("Hidden by a moderator");
    expect(xml).not.toContain("Something a moderator hid");
    expect(await buildFeed({ scope: { kind: "community", slug: membersOnly.slug }, format: "atom" })).toBeNull();
    expect(await buildFeed({ scope: { kind: "community", slug: membersOnly.slug }, format: "rss" })).toBeNull();
  });
});

describe("absolutiseLinks", () => {
  it("makes site-relative links and fragments absolute and leaves others alone", () => {
    const html =
      '<a href="/library/x">x</a><a href="#y">y</a><a href="https://example.org/">z</a><a href="//cdn.example/">w</a><img src="/i.png">';
    expect(absolutiseLinks(html, SITE, `${SITE}/library/a`)).toBe(
      `<a href="${SITE}/library/x">x</a><a href="${SITE}/library/a#y">y</a><a href="https://example.org/">z</a><a href="//cdn.example/">w</a><img src="${SITE}/i.png">`,
    );
  });
});
