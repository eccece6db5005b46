import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { syncContent } from "~/models/content-sync.server";

import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl, expectAccessible, useBrowser } from "./support/browser";
import { expectVisible, mainHeading, navigate } from "./support/evidence";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

let sequence = 0;
const uniqueTitle = (words: string) => `${words} ${Date.now().toString(36)}${++sequence}`;
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** Signs the page in again as the same member, as signing in on another tab would. */
async function signInAgain(page: Page, userId: string) {
  const [name, value] = (await sessionCookieFor(userId)).split("=") as [string, string];
  const { hostname } = new URL(baseUrl());
  await page
    .context()
    .addCookies([
      { name, value, domain: hostname, path: "/", secure: name.startsWith("__Host-"), httpOnly: true, sameSite: "Lax" },
    ]);
}

async function fillTip(page: Page, { title, body }: { title: string; body: string }) {
  await page.locator("#field-title").fill(title);
  await page
    .locator("#field-summary")
    .fill("Brief suppliers only after the tender notice is live, so nobody gets a head start.");
  await page.getByRole("checkbox", { name: "Upstream" }).check();
  await page.locator("#field-tags").fill("uk4, market-engagement");
  await page.locator("#field-basis").selectOption("practitioner-experience");
  await page.locator("#field-body").fill(body);
}

describe("publishing without JavaScript", () => {
  it("writes, previews, fixes errors, saves a draft, shares it, publishes, edits, diffs and restores", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const writer = await signInAs(page, { displayName: "Nadia Hussain" });
    await navigate(page, "/write", mainHeading(page, "Write for the library"));
    await navigate(
      page,
      () => page.getByRole("link", { name: "Write a tip" }).click(),
      mainHeading(page, "Write a tip"),
    );

    const title = uniqueTitle("Brief after the UK4");
    await fillTip(page, { title, body: "## Why it matters\n\nFairness.\n\n<script>alert(1)</script>" });
    await page.locator("#field-summary").fill("x".repeat(300));
    await page.getByRole("checkbox", { name: "Upstream" }).uncheck();

    const preview = page.getByRole("region", { name: "Preview" });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Preview", exact: true }).click(),
      preview.getByRole("heading", { name: /Why it matters/ }),
    );
    await expect(preview.getByRole("heading", { name: /Why it matters/ }).count()).resolves.toBe(1);
    await expect(preview.innerHTML()).resolves.toContain("&lt;script&gt;");
    await expect(page.locator("#field-title").inputValue()).resolves.toBe(title);

    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await navigate(page, () => page.getByRole("button", { name: "Save draft" }).click(), summary);
    await expect(summary.getByRole("link").allTextContents()).resolves.toEqual([
      "Summary must be at most 280 characters",
      "Themes: choose at least one theme: upstream, downstream or partnership",
    ]);
    await expect(page.locator("#field-title").inputValue()).resolves.toBe(title);
    await expect(page.locator("#field-body").inputValue()).resolves.toContain("Fairness.");

    await page.locator("#field-summary").fill("Brief suppliers only after the tender notice is live.");
    await page.getByRole("checkbox", { name: "Upstream" }).check();
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save draft" }).click(),
      page.getByRole("status").filter({ hasText: "Draft saved" }),
      { url: `/library/${slugOf(title)}/edit?done=draft` },
    );
    await expect(page.getByRole("status").first().textContent()).resolves.toMatch(/Draft saved/);

    const previewLink = await page.locator(".editor__share a").getAttribute("href");
    const stranger = await openPage({ javaScriptEnabled: false });
    await navigate(stranger, previewLink!, mainHeading(stranger, title));
    await expect(stranger.getByRole("note").first().textContent()).resolves.toMatch(/Draft: not published/);
    const unpublished = await navigate(stranger, `/library/${slugOf(title)}`, mainHeading(stranger, "Page not found"));
    expect(unpublished?.status()).toBe(404);

    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(page, title),
      { url: `/library/${slugOf(title)}` },
    );

    await navigate(page, () => page.getByRole("link", { name: "Edit this item" }).click(), page.locator("#field-body"));
    await page.locator("#field-body").fill("## Why it matters\n\nFairness, and the law.\n");
    await page.locator("#field-note").fill("Mention the law");
    // The session ends before they save: the page keeps their text and asks them to sign in again.
    await page.context().clearCookies();
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save changes" }).click(),
      page.getByRole("heading", { name: "Your session has ended: sign in again to save" }),
    );
    await expect(page.locator("#field-body").inputValue()).resolves.toBe(
      "## Why it matters\n\nFairness, and the law.\n",
    );
    await expect(page.locator("#field-note").inputValue()).resolves.toBe("Mention the law");
    await signInAgain(page, writer.id);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save changes" }).click(),
      page.locator("#item-body", { hasText: "Fairness, and the law." }),
      { url: `/library/${slugOf(title)}` },
    );
    await expect(page.locator(".prose").textContent()).resolves.toContain("Fairness, and the law.");

    await navigate(
      page,
      () => page.getByRole("link", { name: "History" }).click(),
      mainHeading(page, `History: ${title}`),
    );
    const diff = page.getByRole("table");
    await expect(diff.getByRole("row").filter({ hasText: "Removed" }).allTextContents()).resolves.toContain(
      "RemovedFairness.",
    );
    await expect(diff.getByRole("row").filter({ hasText: "Added" }).allTextContents()).resolves.toContain(
      "AddedFairness, and the law.",
    );
    await expect(page.getByText("Mention the law").count()).resolves.toBe(1);

    await navigate(
      page,
      () => page.getByRole("button", { name: "Restore version 2" }).click(),
      page.locator(".revisions li", { hasText: "Version 4 (current)" }),
      { url: `/library/${slugOf(title)}/history?restored=2` },
    );
    await expect(page.locator(".revisions li").first().textContent()).resolves.toMatch(
      /Version 4 \(current\).*Restored version 2/,
    );
    await navigate(page, `/library/${slugOf(title)}`, mainHeading(page, title));
    await expect(page.locator(".prose").textContent()).resolves.toContain("Fairness.");
  });

  it("adds and removes outcome rows with buttons, keeping what was typed", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await signInAs(page);
    await navigate(page, "/write/case-study", page.locator("#field-title"));
    await page.locator("#field-title").fill("Rows test");
    await page.locator("#field-outcomes-0-measure").fill("Missed visits");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Add another outcome" }).click(),
      page.locator("#field-outcomes-1-measure"),
    );
    await page.locator("#field-outcomes-1-measure").fill("Complaints");
    await expect(page.locator("#field-title").inputValue()).resolves.toBe("Rows test");
    // The first row reads "Missed visits" until the answer, with the second row moved up, arrives.
    await navigate(
      page,
      () => page.getByRole("button", { name: "Remove outcome 1" }).click(),
      () => expect.poll(() => page.locator("#field-outcomes-0-measure").inputValue()).toBe("Complaints"),
    );
    await expect(page.locator("#field-outcomes-0-measure").inputValue()).resolves.toBe("Complaints");
    await expect(page.locator("#field-outcomes-1-measure").count()).resolves.toBe(0);
  });
});

describe("publishing with JavaScript", () => {
  it("previews live, autosaves in the browser, publishes and keeps the text when the session has ended", async () => {
    const page = await openPage();
    await signInAs(page);
    await navigate(page, "/write/tip", page.locator("#field-title"));
    const title = uniqueTitle("Live preview tip");
    await fillTip(page, { title, body: "## Live heading\n\nTyped words." });
    const preview = page.getByRole("region", { name: "Preview" });
    await expectVisible(preview.getByRole("heading", { name: /Live heading/ }));
    await expect(page.locator("#field-summary-count").textContent()).resolves.toMatch(
      /^You have \d+ characters remaining$/,
    );
    await expectVisible(page.locator(".editor__autosave", { hasText: "Draft kept in this browser" }));
    await expectAccessible(page);

    // Errors: a summary at the top, focused, linking to each field; nothing typed is lost.
    await page.locator("#field-title").fill("");
    const problems = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await navigate(page, () => page.getByRole("button", { name: "Save draft" }).click(), problems);
    // Focus moves once the summary has rendered.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("error-summary")))
      .toBe(true);
    await expectAccessible(page);
    await problems.getByRole("link", { name: "Title cannot be empty" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("field-title");
    await expect(page.locator("#field-body").inputValue()).resolves.toBe("## Live heading\n\nTyped words.");
    await page.locator("#field-title").fill(title);

    // The session ends while they write: the save is refused, the text stays.
    await page.context().clearCookies();
    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      page.getByRole("heading", { name: "Your session has ended: sign in again to save" }),
    );
    await expect(page.locator("#field-body").inputValue()).resolves.toBe("## Live heading\n\nTyped words.");
    await expect(
      page.getByRole("link", { name: "Sign in again (opens in a new tab)" }).getAttribute("target"),
    ).resolves.toBe("_blank");

    await signInAs(page);
    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(page, title),
      { url: `/library/${slugOf(title)}` },
    );
  });

  it("saves a draft, publishes it, edits it, compares versions and restores one", async () => {
    const page = await openPage();
    await signInAs(page);
    await navigate(page, "/write", mainHeading(page, "Write for the library"));
    await expectAccessible(page);
    await navigate(page, "/write/tip", page.locator("#field-title"));
    const title = uniqueTitle("Draft first tip");
    await fillTip(page, { title, body: "First words." });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save draft" }).click(),
      page.getByRole("status").filter({ hasText: "Draft saved" }),
      { url: `/library/${slugOf(title)}/edit?done=draft` },
    );
    await expectAccessible(page);

    const draft = page.getByRole("region", { name: "Drafts" }).getByRole("link", { name: title, exact: true });
    await navigate(page, "/me", mainHeading(page, "My work"));
    await expect(draft.count()).resolves.toBe(1);
    await expectAccessible(page);
    await navigate(page, () => draft.click(), mainHeading(page, `Edit: ${title}`), {
      url: `/library/${slugOf(title)}/edit`,
    });

    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(page, title),
      { url: `/library/${slugOf(title)}` },
    );

    await navigate(
      page,
      () => page.getByRole("link", { name: "Edit this item" }).click(),
      mainHeading(page, `Edit: ${title}`),
      { url: `/library/${slugOf(title)}/edit` },
    );
    await page.locator("#field-body").fill("Second words.");
    // With JavaScript the address changes before the new page renders: wait for what it shows.
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save changes" }).click(),
      page.locator("#item-body", { hasText: "Second words." }),
      { url: `/library/${slugOf(title)}` },
    );

    await navigate(
      page,
      () => page.getByRole("link", { name: "History" }).click(),
      mainHeading(page, `History: ${title}`),
    );
    await page.getByLabel("From version", { exact: true }).selectOption("1");
    await page.getByLabel("To version", { exact: true }).selectOption("3");
    // Only the comparison of versions 1 and 3 shows the draft being published.
    await navigate(
      page,
      () => page.getByRole("button", { name: "Compare" }).click(),
      page.getByRole("table").getByRole("row").filter({ hasText: "status: draft" }),
      { url: `/library/${slugOf(title)}/history?from=1&to=3` },
    );
    await expect(
      page.getByRole("table").getByRole("row").filter({ hasText: "Second words." }).textContent(),
    ).resolves.toBe("AddedSecond words.");
    await expect(
      page.getByRole("table").getByRole("row").filter({ hasText: "status: draft" }).textContent(),
    ).resolves.toBe("Removedstatus: draft");

    await navigate(
      page,
      () => page.getByRole("button", { name: "Restore version 2" }).click(),
      page.locator(".revisions li", { hasText: "Version 4 (current)" }),
      { url: `/library/${slugOf(title)}/history?restored=2` },
    );
    await navigate(page, `/library/${slugOf(title)}`, mainHeading(page, title));
    await expect(page.locator(".prose").textContent()).resolves.toContain("First words.");
  });

  it("offers back autosaved text after the tab was closed", async () => {
    const page = await openPage();
    await signInAs(page);
    await navigate(page, "/write/tip", page.locator("#field-title"));
    await page.locator("#field-title").fill("Nearly lost");
    await page.locator("#field-body").fill("Words I would hate to lose.");
    await expectVisible(page.locator(".editor__autosave", { hasText: "Draft kept in this browser" }));
    await navigate(page, "/write/tip", page.getByRole("button", { name: "Restore unsaved text" }));
    await page.getByRole("button", { name: "Restore unsaved text" }).click();
    await expect.poll(() => page.locator("#field-body").inputValue()).toBe("Words I would hate to lose.");
    await expect(page.locator("#field-title").inputValue()).resolves.toBe("Nearly lost");
  });

  it("tells the second of two editors that someone saved first and shows both versions", async () => {
    const owner = await openPage();
    const ownerUser = await signInAs(owner);
    await navigate(owner, "/write/tip", owner.locator("#field-title"));
    const title = uniqueTitle("Conflict tip");
    await fillTip(owner, { title, body: "Original words." });
    await navigate(
      owner,
      () => owner.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(owner, title),
      { url: `/library/${slugOf(title)}` },
    );

    const moderator = await openPage();
    await signInAs(moderator, { role: "moderator", displayName: "Morgan Moderator" });
    await navigate(owner, `/library/${slugOf(title)}/edit`, mainHeading(owner, `Edit: ${title}`));
    await navigate(moderator, `/library/${slugOf(title)}/edit`, mainHeading(moderator, `Edit: ${title}`));

    await moderator.locator("#field-body").fill("The moderator's words.");
    await navigate(
      moderator,
      () => moderator.getByRole("button", { name: "Save changes" }).click(),
      moderator.locator("#item-body", { hasText: "The moderator's words." }),
      { url: `/library/${slugOf(title)}` },
    );

    await owner.locator("#field-body").fill("The owner's words.");
    const conflict = owner
      .getByRole("alert")
      .filter({ hasText: "Someone else saved this item while you were editing" });
    await navigate(owner, () => owner.getByRole("button", { name: "Save changes" }).click(), conflict);
    await expect(conflict.textContent()).resolves.toContain("Morgan Moderator saved version 2");
    await expect(conflict.locator(".conflict__body").textContent()).resolves.toBe("The moderator's words.");
    await expect(owner.locator("#field-body").inputValue()).resolves.toBe("The owner's words.");
    await conflict.getByText("How your body differs from theirs").click();
    await expectVisible(conflict.getByRole("table"));
    await expect(conflict.getByRole("table").getByRole("row").allTextContents()).resolves.toEqual([
      "ChangeLine",
      "RemovedThe moderator's words.",
      "AddedThe owner's words.",
    ]);
    await expectAccessible(owner);

    await navigate(
      owner,
      () => owner.getByRole("button", { name: "Save changes" }).click(),
      owner.locator("#item-body", { hasText: "The owner's words." }),
      { url: `/library/${slugOf(title)}` },
    );
    const revisions = await db
      .selectFrom("item_revisions")
      .innerJoin("items", "items.id", "item_revisions.item_id")
      .select(["item_revisions.version", "item_revisions.user_id", "item_revisions.note"])
      .where("items.slug", "=", slugOf(title))
      .orderBy("item_revisions.version")
      .execute();
    expect(revisions.map((revision) => revision.version)).toEqual([1, 2, 3]);
    expect(revisions[1]?.note).toBe("Edited by Morgan Moderator as a moderator");
    expect(revisions[2]?.user_id).toBe(ownerUser.id);

    await navigate(owner, `/library/${slugOf(title)}/history?from=1&to=3`, owner.getByRole("table"));
    await expectAccessible(owner);
  });
});

describe("every editor", () => {
  it.each(["case-study", "tip", "data-story"])(
    "the %s editor passes an accessibility scan and fits a 320 px screen",
    async (type) => {
      const page = await openPage({ viewport: { width: 320, height: 800 } });
      await signInAs(page);
      await navigate(page, `/write/${type}`, page.locator("#field-title"));
      await expectAccessible(page);
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    },
  );
});

describe("images", () => {
  // A 1x1 PNG.
  const PNG = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );

  it.each([
    { javaScriptEnabled: false, label: "without JavaScript" },
    { javaScriptEnabled: true, label: "with JavaScript" },
  ])("uploads an image with alt text and a caption into the body $label", async ({ javaScriptEnabled }) => {
    const page = await openPage({ javaScriptEnabled });
    await signInAs(page);
    await navigate(page, "/write/tip", page.locator("#field-title"));
    const title = uniqueTitle("Image tip");
    await fillTip(page, { title, body: "Before the chart." });
    await page.locator("#field-image").setInputFiles({ name: "chart.txt", mimeType: "text/plain", buffer: PNG });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Upload image" }).click(),
      page.getByRole("alert").filter({ hasText: "Describe the image" }),
    );
    await expect(page.locator("#field-body").inputValue()).resolves.toBe("Before the chart.");

    await page.locator("#field-image").setInputFiles({ name: "chart.txt", mimeType: "text/plain", buffer: PNG });
    await page.locator("#field-image_alt").fill("A single grey pixel");
    await page.locator("#field-image_caption").fill("The smallest chart");
    await navigate(
      page,
      () => page.getByRole("button", { name: "Upload image" }).click(),
      page.getByText("Image added at the end of the body"),
    );
    await expect
      .poll(() => page.locator("#field-body").inputValue())
      .toMatch(
        /^Before the chart\.\n\n!\[A single grey pixel\]\(\/images\/[a-f0-9]{32}\.png "The smallest chart"\)\n$/,
      );

    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(page, title),
      { url: `/library/${slugOf(title)}` },
    );
    const image = page.locator("#item-body img");
    await expect(image.getAttribute("alt")).resolves.toBe("A single grey pixel");
    await expect(page.locator(".prose .figure__caption").textContent()).resolves.toBe("The smallest chart");
    const response = await page.request.get((await image.getAttribute("src"))!);
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(response.headers()["content-type"]).toBe("image/png");
  });
});

describe("files in and out", () => {
  it("downloads an item that imports from content/ as the same item", async () => {
    const page = await openPage();
    await signInAs(page, { displayName: "Femi Round" });
    await navigate(page, "/write/tip", page.locator("#field-title"));
    const title = uniqueTitle("Round trip tip");
    await fillTip(page, { title, body: "## Steps\n\n1. Publish the UK4.\n2. Then brief suppliers.\n" });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Publish", exact: true }).click(),
      mainHeading(page, title),
      { url: `/library/${slugOf(title)}` },
    );

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download as a markdown file" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${slugOf(title)}.md`);
    const text = readFileSync(await download.path(), "utf8");

    const before = await db
      .selectFrom("items")
      .select(["id", "title", "summary", "body_html", "fields_json", "status"])
      .where("slug", "=", slugOf(title))
      .executeTakeFirstOrThrow();
    const itemCount = await db
      .selectFrom("items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();

    // content/ as it is, plus the downloaded file: the seed library is unchanged, the item updated in place.
    const root = mkdtempSync(path.join(tmpdir(), "commons-content-"));
    try {
      cpSync("content", root, { recursive: true });
      writeFileSync(path.join(root, "tips", `${slugOf(title)}.md`), text);
      const report = await syncContent({ root });
      expect(report).toMatchObject({ added: [], updated: [`content/tips/${slugOf(title)}.md`], archived: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const after = await db
      .selectFrom("items")
      .select(["id", "title", "summary", "body_html", "fields_json", "status"])
      .where("slug", "=", slugOf(title))
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    await expect(
      db
        .selectFrom("items")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ).resolves.toEqual(itemCount);

    await navigate(page, `/library/${slugOf(title)}`, mainHeading(page, title));
    await expect(page.locator(".prose").textContent()).resolves.toContain("Then brief suppliers.");
  });

  it("starts a draft by uploading a markdown file, naming the field when it is wrong", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await signInAs(page);
    await navigate(page, "/write", mainHeading(page, "Write for the library"));
    const title = uniqueTitle("Uploaded tip");
    const file = (themes: string) =>
      `---\ntype: tip\ntitle: "${title}"\nsummary: "A tip that arrived as a file."\nthemes: [${themes}]\nauthors:\n  - name: Someone Else\nbasis: official-guidance\n---\n\nFrom a file.\n`;
    await page
      .getByLabel("Markdown file", { exact: true })
      .setInputFiles({ name: "tip.md", mimeType: "text/markdown", buffer: Buffer.from(file("sideways")) });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Upload and check" }).click(),
      page.getByRole("alert").filter({ hasText: /themes\.0: / }),
    );
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/themes\.0: /);
    await page
      .getByLabel("Markdown file", { exact: true })
      .setInputFiles({ name: "tip.md", mimeType: "text/markdown", buffer: Buffer.from(file("upstream")) });
    await navigate(
      page,
      () => page.getByRole("button", { name: "Upload and check" }).click(),
      mainHeading(page, `Edit: ${title}`),
      { url: `/library/${slugOf(title)}/edit?done=draft` },
    );
    await expect(page.locator("#field-body").inputValue()).resolves.toBe("From a file.\n");
  });
});

describe("bad input over real HTTP", () => {
  async function postEditor(body: string) {
    const user = await createUser();
    const form = new FormData();
    const fields: Record<string, string> = {
      title: "Huge tip",
      summary: "A summary.",
      themes: "upstream",
      basis: "practitioner-experience",
      intent: "save-draft",
      body,
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${baseUrl()}/write/tip`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: await sessionCookieFor(user.id), Origin: baseUrl() },
      body: form,
    });
  }

  it("answers a 10 MB body with a message naming the field, and sends the text back", async () => {
    const body = "a".repeat(10 * 1024 * 1024);
    const response = await postEditor(body);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Body must be at most 200,000 characters (it is 10,485,760)");
    expect(html).toContain("a".repeat(100_000));
  });

  it("refuses a body too large to take in with a message, not a 500", async () => {
    const response = await postEditor("a".repeat(17 * 1024 * 1024));
    expect(response.status).toBe(413);
    await expect(response.text()).resolves.toContain("That was too much to send at once (more than 16 MB)");
  });
});
