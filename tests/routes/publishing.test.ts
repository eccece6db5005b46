import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { MAX_CHARTS } from "~/charts/render-chart.server";
import { db } from "~/db/client.server";
import { syncContent } from "~/models/content-sync.server";
import { replyToThread } from "~/models/post.server";
import { NEW_ACCOUNT_POSTS_PER_HOUR } from "~/models/posting-limit.server";
import { RenderPool } from "~/rendering/render-pool.server";
import type { EditorActionData } from "~/routes/+shared/item-editor.server";
import { loader as imageLoader } from "~/routes/images.$name";
import { loader as itemLoader } from "~/routes/library.$slug";
import { loader as downloadLoader } from "~/routes/library.$slug_.download";
import { action as editAction, loader as editLoader } from "~/routes/library.$slug_.edit";
import { action as historyAction, loader as historyLoader } from "~/routes/library.$slug_.history";
import { action as meAction, loader as meLoader } from "~/routes/me";
import { loader as previewLoader } from "~/routes/preview.$token";
import { action as writeAction } from "~/routes/write.$type";
import { action as uploadAction } from "~/routes/write._index";

import { createItem, createItemInEditor } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import {
  callAction,
  callLoader,
  callMultipartAction,
  dataOf,
  replyOf,
  statusOf,
  thrownResponse,
} from "../support/remix";

type Form = Record<string, string | string[]>;

function tipForm(overrides: Form = {}): Form {
  return {
    title: "Publish the UK4 before you brief suppliers",
    summary: "Suppliers read the notice first: brief them after it is live so nobody gets an unfair head start.",
    themes: ["upstream"],
    tags: "uk4, market-engagement",
    basis: "practitioner-experience",
    body: "## Why\n\nBecause fairness matters.\n",
    "sources[0].title": "Procurement Act 2023 guidance",
    "sources[0].url": "https://www.gov.uk/government/collections/transforming-public-procurement",
    intent: "publish",
    ...overrides,
  };
}

function caseStudyForm(overrides: Form = {}): Form {
  return {
    title: "Home care alliance in Brindleford",
    summary: "Five providers, one outcomes framework, and what it did to missed visits.",
    themes: ["partnership", "downstream"],
    tags: "alliances",
    organisation_type: "local-authority",
    nation: "england",
    region: "west-midlands",
    regime: "pa23",
    lifecycle_stages: ["manage", "procure"],
    notices_used: ["UK4", "UK6"],
    social_value_weighting: "10",
    "outcomes[0].measure": "Missed visits",
    "outcomes[0].baseline": "4.1% of visits",
    "outcomes[0].result": "1.2% of visits",
    "outcomes[0].evidence": "Monthly provider returns, audited",
    lessons: "Start the alliance board early\nShare the data monthly",
    body: "## Context\n\nWords.\n",
    intent: "save-draft",
    ...overrides,
  };
}

async function signedIn(role: "member" | "moderator" | "admin" = "member", displayName?: string) {
  const user = await createUser({ role, ...(displayName ? { displayName } : {}) });
  return { user, headers: { Cookie: await sessionCookieFor(user.id) } };
}

async function loadEditor(url: string, slug: string, headers: Record<string, string>) {
  const data = await callLoader(editLoader, url, { slug }, { headers });
  if (data.signedOut) throw new Error("expected the editor, got the sign-in prompt");
  return data;
}

async function expectRedirect(response: unknown) {
  expect(response).toBeInstanceOf(Response);
  const res = response as Response;
  expect(res.status).toBe(302);
  return res.headers.get("Location")!;
}

function editorReplyOf(response: unknown) {
  return { status: statusOf(response), data: dataOf<EditorActionData>(response) };
}

describe("writing a new item", () => {
  it("publishes a tip credited to the signed-in member", async () => {
    const { user, headers } = await signedIn("member", "Amara Lewis");
    const location = await expectRedirect(
      await callAction(writeAction, "/write/tip", tipForm(), { params: { type: "tip" }, headers }),
    );
    expect(location).toBe("/library/publish-the-uk4-before-you-brief-suppliers");
    const page = await callLoader(itemLoader, location, { slug: "publish-the-uk4-before-you-brief-suppliers" });
    expect(page.item.authors.map((author) => author.name)).toEqual(["Amara Lewis"]);
    expect(page.item.tags).toEqual(["market-engagement", "uk4"]);
    const author = await db
      .selectFrom("authors")
      .select(["user_id", "organisation"])
      .where("name", "=", "Amara Lewis")
      .executeTakeFirstOrThrow();
    expect(author).toEqual({ user_id: user.id, organisation: "Testshire County Council" });
  });

  it("saves a case study draft with structured fields, outcome rows and a private preview link", async () => {
    const { headers } = await signedIn();
    const location = await expectRedirect(
      await callAction(writeAction, "/write/case-study", caseStudyForm(), { params: { type: "case-study" }, headers }),
    );
    expect(location).toBe("/library/home-care-alliance-in-brindleford/edit?done=draft");
    await thrownResponse(() =>
      callLoader(itemLoader, "/library/home-care-alliance-in-brindleford", {
        slug: "home-care-alliance-in-brindleford",
      }),
    );
    const edit = await loadEditor(location, "home-care-alliance-in-brindleford", headers);
    expect(edit.status).toBe("draft");
    expect(edit.values["outcomes[0].result"]).toEqual(["1.2% of visits"]);
    expect(edit.values.lifecycle_stages).toEqual(["manage", "procure"]);
    expect(edit.values.social_value_weighting).toEqual(["10"]);
    const token = edit.previewUrl!.split("/preview/")[1]!;
    const preview = await callLoader(previewLoader, `/preview/${token}`, { token });
    expect(preview.item.title).toBe("Home care alliance in Brindleford");
    expect(
      (
        await thrownResponse(() =>
          callLoader(previewLoader, "/preview/not-a-real-token", { token: "not-a-real-token" }),
        )
      ).status,
    ).toBe(404);
  });

  it("shows every error, naming each field, and keeps every value", async () => {
    const { headers } = await signedIn();
    const form = caseStudyForm({
      title: "",
      summary: "x".repeat(281),
      themes: ["upstream", "sideways"],
      nation: "atlantis",
      social_value_weighting: "a lot",
      "outcomes[0].evidence": "",
      "outcomes[1].measure": "Half a row",
      tags: "Not A Tag!",
    });
    const { status, data } = editorReplyOf(
      await callAction(writeAction, "/write/case-study", form, { params: { type: "case-study" }, headers }),
    );
    expect(status).toBe(400);
    if (data.kind !== "form") throw new Error(`expected the form back, got ${data.kind}`);
    const fields = data.errors.map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "title",
        "summary",
        "themes",
        "nation",
        "social_value_weighting",
        "outcomes[0].evidence",
        "outcomes[1].baseline",
        "tags",
      ]),
    );
    expect(data.errors.find((error) => error.field === "summary")?.message).toBe(
      "Summary must be at most 280 characters",
    );
    expect(data.errors.find((error) => error.field === "outcomes[1].baseline")?.message).toMatch(
      /^Outcome 2, baseline/,
    );
    expect(data.values.summary).toEqual(["x".repeat(281)]);
    expect(data.values["outcomes[1].measure"]).toEqual(["Half a row"]);
    expect(data.values.themes).toEqual(["upstream", "sideways"]);
  });

  it("answers a 10 MB body with a message and the text kept, not a 500", async () => {
    const { headers } = await signedIn();
    const body = "word ".repeat(2 * 1024 * 1024);
    const { status, data } = editorReplyOf(
      await callAction(writeAction, "/write/tip", tipForm({ body }), { params: { type: "tip" }, headers }),
    );
    expect(status).toBe(400);
    if (data.kind !== "form") throw new Error("expected the form back");
    expect(data.errors).toEqual([
      { field: "body", message: expect.stringMatching(/^Body must be at most 200,000 characters/) },
    ]);
    expect(data.values.body?.[0]?.length).toBe(body.length);
  });

  it("keeps the text and asks to sign in again when the session has gone", async () => {
    const { status, data } = editorReplyOf(
      await callAction(writeAction, "/write/tip", tipForm({ body: "Precious words" }), {
        params: { type: "tip" },
        headers: { Cookie: "commons_session=expired" },
      }),
    );
    expect(status).toBe(401);
    expect(data.kind).toBe("signed-out");
    if (data.kind !== "signed-out") return;
    expect(data.values.body).toEqual(["Precious words"]);
  });

  it("keeps an edit whose session ended, and the editor page shows it instead of redirecting", async () => {
    const { headers } = await signedIn();
    const location = await expectRedirect(
      await callAction(writeAction, "/write/tip", tipForm({ title: "Session tip" }), {
        params: { type: "tip" },
        headers,
      }),
    );
    const slug = location.replace("/library/", "");
    const loaded = await loadEditor(`/library/${slug}/edit`, slug, headers);
    const { status, data } = editorReplyOf(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        { ...(loaded.values as Form), body: "Unsaved edit", version: String(loaded.version), intent: "save" },
        { params: { slug } },
      ),
    );
    expect(status).toBe(401);
    expect(data).toMatchObject({
      kind: "signed-out",
      type: "tip",
      status: "published",
      values: { body: ["Unsaved edit"] },
    });
    await expect(callLoader(editLoader, `/library/${slug}/edit`, { slug })).resolves.toEqual({ signedOut: true, slug });
  });

  it("adds and removes outcome rows without JavaScript", async () => {
    const { headers } = await signedIn();
    const added = editorReplyOf(
      await callAction(writeAction, "/write/case-study", caseStudyForm({ intent: "add-row:outcomes" }), {
        params: { type: "case-study" },
        headers,
      }),
    );
    if (added.data.kind !== "form") throw new Error("expected the form back");
    expect(added.data.values["outcomes[1].measure"]).toEqual([""]);
    const removed = editorReplyOf(
      await callAction(
        writeAction,
        "/write/case-study",
        { ...(added.data.values as Form), "outcomes[1].measure": "Second", intent: "remove-row:outcomes:0" },
        { params: { type: "case-study" }, headers },
      ),
    );
    if (removed.data.kind !== "form") throw new Error("expected the form back");
    expect(removed.data.values["outcomes[0].measure"]).toEqual(["Second"]);
    expect(removed.data.values["outcomes[1].measure"]).toBeUndefined();
  });

  it("previews on the server through the publishing render path, made safe", async () => {
    const { headers } = await signedIn();
    const { data } = editorReplyOf(
      await callAction(
        writeAction,
        "/write/tip",
        tipForm({ intent: "preview", body: "## Hello\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))" }),
        { params: { type: "tip" }, headers },
      ),
    );
    if (data.kind !== "form") throw new Error("expected the form back");
    expect(data.preview?.html).toContain('<h2 id="hello">');
    expect(data.preview?.html).not.toContain("<script");
    expect(data.preview?.html).not.toContain("javascript:");
  });
});

describe("editing, conflicts, status and history", () => {
  async function publishedTip(headers: Record<string, string>, title: string) {
    const location = await expectRedirect(
      await callAction(writeAction, "/write/tip", tipForm({ title }), { params: { type: "tip" }, headers }),
    );
    return location.replace("/library/", "");
  }

  it("tells the second of two editors that someone saved first, showing both versions", async () => {
    const { headers } = await signedIn();
    const slug = await publishedTip(headers, "Conflict tip");
    const loaded = await loadEditor(`/library/${slug}/edit`, slug, headers);
    const base = { ...(loaded.values as Form), version: String(loaded.version), intent: "save" };
    await expectRedirect(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        { ...base, body: "First editor's words" },
        { params: { slug }, headers },
      ),
    );
    const { status, data } = editorReplyOf(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        { ...base, body: "Second editor's words" },
        { params: { slug }, headers },
      ),
    );
    expect(status).toBe(409);
    if (data.kind !== "conflict") throw new Error("expected a conflict");
    expect(data.current.body).toBe("First editor's words");
    expect(data.values.body).toEqual(["Second editor's words"]);
    expect(data.values.version).toEqual([String(loaded.version + 1)]);
    expect(data.current.diff).toEqual([
      { change: "removed", text: "First editor's words" },
      { change: "added", text: "Second editor's words" },
    ]);
  });

  it("moves the slug when the title changes and the old address redirects", async () => {
    const { headers } = await signedIn();
    const slug = await publishedTip(headers, "Old name tip");
    const loaded = await loadEditor(`/library/${slug}/edit`, slug, headers);
    const location = await expectRedirect(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        {
          ...(loaded.values as Form),
          title: "New name tip",
          version: String(loaded.version),
          intent: "save",
          note: "Clearer title",
        },
        { params: { slug }, headers },
      ),
    );
    expect(location).toBe("/library/new-name-tip");
    const moved = await thrownResponse(() => callLoader(itemLoader, `/library/${slug}`, { slug }));
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe("/library/new-name-tip");
    const movedEdit = await thrownResponse(() =>
      callLoader(editLoader, `/library/${slug}/edit`, { slug }, { headers }),
    );
    expect(movedEdit.headers.get("Location")).toBe("/library/new-name-tip/edit");
  });

  it("keeps the slug of an item from content/ when its title changes, so the next import updates it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "commons-content-"));
    try {
      mkdirSync(path.join(root, "tips"));
      writeFileSync(
        path.join(root, "tips", "file-backed-tip.md"),
        "---\ntype: tip\ntitle: File backed tip\nsummary: From a file.\nthemes: [upstream]\nauthors:\n  - name: File Author\nbasis: official-guidance\n---\n\nWords.\n",
      );
      await syncContent({ root });
      const moderator = await signedIn("moderator");
      const loaded = await loadEditor("/library/file-backed-tip/edit", "file-backed-tip", moderator.headers);
      const location = await expectRedirect(
        await callAction(
          editAction,
          "/library/file-backed-tip/edit",
          { ...(loaded.values as Form), title: "A new title", version: String(loaded.version), intent: "save" },
          { params: { slug: "file-backed-tip" }, headers: moderator.headers },
        ),
      );
      expect(location).toBe("/library/file-backed-tip");
      const report = await syncContent({ root });
      expect(report).toMatchObject({ added: [], updated: [], unchanged: 1 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("lets a moderator unpublish someone else's item, records it, and refuses other members", async () => {
    const owner = await signedIn();
    const slug = await publishedTip(owner.headers, "Moderated tip");
    const stranger = await signedIn();
    const refused = await thrownResponse(() =>
      callAction(
        editAction,
        `/library/${slug}/edit`,
        { intent: "unpublish" },
        { params: { slug }, headers: stranger.headers },
      ),
    );
    expect(refused.status).toBe(403);
    const moderator = await signedIn("moderator", "Mo Derator");
    await expectRedirect(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        { intent: "unpublish" },
        { params: { slug }, headers: moderator.headers },
      ),
    );
    const history = await callLoader(historyLoader, `/library/${slug}/history`, { slug }, { headers: owner.headers });
    expect(history.status).toBe("draft");
    expect(history.revisions[0]).toMatchObject({
      userName: "Mo Derator",
      note: "Edited by Mo Derator as a moderator: Unpublished (back to draft)",
    });
  });

  it("lists revisions, diffs any two and restores one as a new revision", async () => {
    const { headers } = await signedIn();
    const slug = await publishedTip(headers, "History tip");
    const loaded = await loadEditor(`/library/${slug}/edit`, slug, headers);
    await expectRedirect(
      await callAction(
        editAction,
        `/library/${slug}/edit`,
        {
          ...(loaded.values as Form),
          body: "## Why\n\nBecause fairness matters a lot.\n",
          version: String(loaded.version),
          intent: "save",
        },
        { params: { slug }, headers },
      ),
    );
    const history = await callLoader(historyLoader, `/library/${slug}/history?from=1&to=2`, { slug });
    expect(history.revisions.map((revision) => revision.version)).toEqual([2, 1]);
    expect(history.diff).toEqual(
      expect.arrayContaining([
        { change: "removed", text: "Because fairness matters." },
        { change: "added", text: "Because fairness matters a lot." },
      ]),
    );
    const location = await expectRedirect(
      await callAction(
        historyAction,
        `/library/${slug}/history`,
        { intent: "restore", version: "1" },
        { params: { slug }, headers },
      ),
    );
    expect(location).toBe(`/library/${slug}/history?restored=1`);
    const page = await callLoader(itemLoader, `/library/${slug}`, { slug });
    expect(page.item.version).toBe(3);
    expect(page.item.bodyHtml).toContain("Because fairness matters.</p>");
  });
});

describe("files in and out", () => {
  it("downloads an item that imports from content/ as the same item", async () => {
    const { headers } = await signedIn("member", "Round Tripper");
    const location = await expectRedirect(
      await callAction(
        writeAction,
        "/write/case-study",
        caseStudyForm({ intent: "publish", title: "Round trip case" }),
        { params: { type: "case-study" }, headers },
      ),
    );
    const slug = location.replace("/library/", "");
    const before = await db
      .selectFrom("items")
      .select(["id", "title", "body_html", "fields_json"])
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    const response = await callLoader(downloadLoader, `/library/${slug}/download`, { slug });
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${slug}.md"`);
    const text = await response.text();
    expect(text).toMatch(/^---\ntype: case-study\ntitle: Round trip case\n/);

    const root = mkdtempSync(path.join(tmpdir(), "commons-roundtrip-"));
    try {
      mkdirSync(path.join(root, "case-studies"));
      writeFileSync(path.join(root, "case-studies", `${slug}.md`), text);
      const report = await syncContent({ root });
      expect(report.updated).toEqual([`content/case-studies/${slug}.md`]);
      expect(report.added).toEqual([]);
      const after = await db
        .selectFrom("items")
        .select(["id", "title", "body_html", "fields_json"])
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      const authors = await db
        .selectFrom("item_authors")
        .innerJoin("authors", "authors.id", "item_authors.author_id")
        .select(["authors.name", "authors.user_id"])
        .where("item_authors.item_id", "=", before.id)
        .execute();
      expect(authors).toEqual([{ name: "Round Tripper", user_id: expect.any(String) }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("starts a draft from an uploaded file, and names the field when the file is wrong", async () => {
    const { headers } = await signedIn();
    const { slug } = await createItem({ type: "tip", title: "Source tip for upload" });
    const text = await (await callLoader(downloadLoader, `/library/${slug}/download`, { slug })).text();
    const upload = async (content: string) => {
      const form = new FormData();
      form.append(
        "file",
        new File([content.replace("Source tip for upload", "Uploaded tip")], "tip.md", { type: "text/markdown" }),
      );
      return callMultipartAction(uploadAction, "/write", form, { headers });
    };
    expect(await expectRedirect(await upload(text))).toBe("/library/uploaded-tip/edit?done=draft");
    const bad = await upload(text.replace("themes:\n  - upstream", "themes:\n  - sideways"));
    expect(statusOf(bad)).toBe(400);
    expect(replyOf(bad).errorsOf("file")).toEqual([expect.stringMatching(/^themes\.0: ./)]);
  });
});

describe("images", () => {
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3]);

  async function uploadImage(
    headers: Record<string, string>,
    bytes: Uint8Array<ArrayBuffer>,
    name: string,
    alt: string,
  ) {
    const form = new FormData();
    for (const [key, value] of Object.entries(tipForm({ intent: "upload-image", body: "Intro." }))) {
      for (const entry of Array.isArray(value) ? value : [value]) form.append(key, entry);
    }
    form.append("image", new File([bytes], name, { type: "image/png" }));
    form.append("image_alt", alt);
    form.append("image_caption", "Missed visits fell by two thirds");
    return editorReplyOf(
      await callMultipartAction(writeAction, "/write/tip", form, { params: { type: "tip" }, headers }),
    );
  }

  it("adds an uploaded PNG to the body and serves it with immutable caching", async () => {
    const { headers } = await signedIn();
    const { status, data } = await uploadImage(headers, PNG, "chart.png", "Bar chart of missed visits");
    expect(status).toBe(200);
    if (data.kind !== "form") throw new Error("expected the form back");
    const body = data.values.body?.[0] ?? "";
    const match =
      /!\[Bar chart of missed visits\]\((\/images\/[a-f0-9]{32}\.png) "Missed visits fell by two thirds"\)/.exec(body);
    expect(match).not.toBeNull();
    const name = match![1]!.replace("/images/", "");
    const image = await callLoader(imageLoader, match![1]!, { name });
    expect(image.headers.get("Content-Type")).toBe("image/png");
    expect(image.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
  });

  it("checks the type by content and requires alt text", async () => {
    const { headers } = await signedIn();
    const disguised = await uploadImage(
      headers,
      new TextEncoder().encode("<svg onload=alert(1)>"),
      "evil.png",
      "An image",
    );
    expect(disguised.status).toBe(400);
    if (disguised.data.kind !== "form") throw new Error("expected the form back");
    expect(disguised.data.errors).toEqual([{ field: "image", message: "The image must be a PNG, JPEG or WebP file" }]);
    expect(disguised.data.values.body).toEqual(["Intro."]);
    const noAlt = await uploadImage(headers, PNG, "chart.png", "  ");
    if (noAlt.data.kind !== "form") throw new Error("expected the form back");
    expect(noAlt.data.errors.map((error) => error.field)).toEqual(["image_alt"]);
  });
});

describe("my work and reviews", () => {
  it("lists drafts, published and due items, and marking reviewed moves the date on", async () => {
    const { headers } = await signedIn();
    await callAction(writeAction, "/write/tip", tipForm({ title: "Due tip", review_by: "2026-01-01" }), {
      params: { type: "tip" },
      headers,
    });
    await callAction(writeAction, "/write/tip", tipForm({ title: "Draft tip", intent: "save-draft" }), {
      params: { type: "tip" },
      headers,
    });
    const work = await callLoader(meLoader, "/me", {}, { headers });
    expect(work.due.map((item) => item.slug)).toEqual(["due-tip"]);
    expect(work.drafts.map((item) => item.slug)).toEqual(["draft-tip"]);
    expect(work.published.map((item) => item.slug)).toEqual(["due-tip"]);
    await expectRedirect(await callAction(meAction, "/me", { slug: "due-tip" }, { headers }));
    const after = await callLoader(meLoader, "/me", {}, { headers });
    expect(after.due).toEqual([]);
    expect(after.published[0]?.reviewBy).toBe(
      `${new Date().getUTCFullYear() + 1}${new Date().toISOString().slice(4, 10)}`,
    );
  });
});

describe("limits on what one save can cost (issue 13, items 2 and 10)", () => {
  const inlineChart = "```chart\nkind: column\ntitle: Small\ncsv: |\n  A,B\n  x,1\nlabel: A\nvalues: B\n```";
  const charts = (count: number) => Array.from({ length: count }, () => inlineChart).join("\n\n");

  it(`refuses to save a story with more than ${MAX_CHARTS} charts, saying so in the error summary and keeping the text`, async () => {
    const { headers } = await signedIn();
    const body = charts(MAX_CHARTS + 1);
    const { status, data } = editorReplyOf(
      await callAction(writeAction, "/write/tip", tipForm({ intent: "save-draft", title: "Too many charts", body }), {
        params: { type: "tip" },
        headers,
      }),
    );
    expect(status).toBe(400);
    if (data.kind !== "form") throw new Error("expected the form back");
    expect(data.errors).toEqual([
      {
        field: "body",
        message: `The body has ${MAX_CHARTS + 1} chart blocks, and a story can have at most ${MAX_CHARTS}. Remove some charts or split the story in two. Nothing has been saved yet.`,
      },
    ]);
    expect(data.values.body).toEqual([body]);
    expect(await db.selectFrom("items").select("id").where("title", "=", "Too many charts").execute()).toEqual([]);

    const preview = editorReplyOf(
      await callAction(writeAction, "/write/tip", tipForm({ intent: "preview", body }), {
        params: { type: "tip" },
        headers,
      }),
    );
    if (preview.data.kind !== "form") throw new Error("expected the form back");
    expect(preview.data.errors.map((error) => error.field)).toEqual(["body"]);
    expect(preview.data.preview?.html.match(/<figure class="chart"/g)).toHaveLength(MAX_CHARTS);

    await expectRedirect(
      await callAction(writeAction, "/write/tip", tipForm({ intent: "save-draft", body: charts(MAX_CHARTS) }), {
        params: { type: "tip" },
        headers,
      }),
    );
  });

  it("stops a render that runs past its budget and says so in the error summary, saving nothing", async () => {
    const { headers } = await signedIn();
    const everyday = globalThis.__commonsRenderPool;
    globalThis.__commonsRenderPool = new RenderPool({ budgetMs: { itemBody: 1 } });
    try {
      const body = "- a\n  - b\n".repeat(20_000);
      for (const intent of ["preview", "save-draft"]) {
        const { status, data } = editorReplyOf(
          await callAction(writeAction, "/write/tip", tipForm({ intent, title: "Slow to render", body }), {
            params: { type: "tip" },
            headers,
          }),
        );
        expect(status).toBe(422);
        if (data.kind !== "form") throw new Error("expected the form back");
        expect(data.errors).toEqual([
          {
            field: "body",
            message:
              "We stopped rendering this after 0 seconds: it is too long or too complex. Nothing has been saved, and nothing you wrote has been lost. Shorten it, or draw fewer charts from smaller datasets, and try again.",
          },
        ]);
        expect(data.values.body).toEqual([body]);
      }
      expect(await db.selectFrom("items").select("id").where("title", "=", "Slow to render").execute()).toEqual([]);
    } finally {
      await globalThis.__commonsRenderPool.close();
      globalThis.__commonsRenderPool = everyday;
    }
  });

  it("counts a new member's replies against saving an item, answering in the error summary", async () => {
    const { user, headers } = await signedIn();
    const item = await createItem({ type: "tip" });
    for (let n = 0; n < NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) {
      await replyToThread({
        target: { itemId: item.id },
        author: { id: user.id, role: "member" },
        body: `Reply ${n}`,
        parentPostId: null,
      });
    }
    const { status, data } = editorReplyOf(
      await callAction(writeAction, "/write/tip", tipForm({ intent: "save-draft", title: "One more" }), {
        params: { type: "tip" },
        headers,
      }),
    );
    expect(status).toBe(429);
    if (data.kind !== "form") throw new Error("expected the form back");
    expect(data.errors[0]!.message).toMatch(/New accounts can post 10 times an hour .*Your text is still here/);
    expect(data.values.title).toEqual(["One more"]);
  });
  it("counts a restore from history as a save, answering a new member at the limit with a 429 and why", async () => {
    const { user, headers } = await signedIn();
    const { slug } = await createItemInEditor({ user });
    const item = await createItem({ type: "tip" });
    for (let n = 1; n < NEW_ACCOUNT_POSTS_PER_HOUR; n += 1) {
      await replyToThread({
        target: { itemId: item.id },
        author: { id: user.id, role: "member" },
        body: `Reply ${n}`,
        parentPostId: null,
      });
    }
    const refused = await thrownResponse(() =>
      callAction(
        historyAction,
        `/library/${slug}/history`,
        { intent: "restore", version: "1" },
        { params: { slug }, headers },
      ),
    );
    expect(refused.status).toBe(429);
    await expect(refused.text()).resolves.toMatch(/New accounts can post 10 times an hour/);
  });
});

describe("private preview links (issue 13, item 13)", () => {
  const tokenOf = (previewUrl: string | null) => previewUrl!.split("/preview/")[1]!;
  const previewStatus = async (token: string) => {
    try {
      await callLoader(previewLoader, `/preview/${token}`, { token });
      return 200;
    } catch (error) {
      if (error instanceof Response) return error.status;
      throw error;
    }
  };

  it("makes a new link when a published item is taken down, so the one shared before publishing stops working", async () => {
    const { headers } = await signedIn();
    const draft = await expectRedirect(
      await callAction(
        writeAction,
        "/write/tip",
        tipForm({ intent: "save-draft", title: "Shared before publishing" }),
        {
          params: { type: "tip" },
          headers,
        },
      ),
    );
    const slug = draft.split("/")[2]!;
    const shared = tokenOf((await loadEditor(draft, slug, headers)).previewUrl);
    expect(await previewStatus(shared)).toBe(200);

    const edit = `/library/${slug}/edit`;
    const loaded = await loadEditor(edit, slug, headers);
    await expectRedirect(
      await callAction(
        editAction,
        edit,
        { ...(loaded.values as Form), version: String(loaded.version), intent: "publish" },
        {
          params: { slug },
          headers,
        },
      ),
    );
    // While it is published the old link leads to the published page.
    expect(await previewStatus(shared)).toBe(302);
    await expectRedirect(await callAction(editAction, edit, { intent: "unpublish" }, { params: { slug }, headers }));

    const fresh = tokenOf((await loadEditor(edit, slug, headers)).previewUrl);
    expect(fresh).not.toBe(shared);
    expect(await previewStatus(shared)).toBe(404);
    expect(await previewStatus(fresh)).toBe(200);
  });

  it("lets the item's authors reset the link without JavaScript, and nobody else", async () => {
    const { headers } = await signedIn();
    const draft = await expectRedirect(
      await callAction(writeAction, "/write/tip", tipForm({ intent: "save-draft", title: "Link gone too far" }), {
        params: { type: "tip" },
        headers,
      }),
    );
    const slug = draft.split("/")[2]!;
    const edit = `/library/${slug}/edit`;
    const before = tokenOf((await loadEditor(edit, slug, headers)).previewUrl);

    const stranger = await signedIn();
    const refused = await thrownResponse(() =>
      callAction(editAction, edit, { intent: "reset-preview-link" }, { params: { slug }, headers: stranger.headers }),
    );
    expect(refused.status).toBe(403);
    expect(await previewStatus(before)).toBe(200);

    const location = await expectRedirect(
      await callAction(editAction, edit, { intent: "reset-preview-link" }, { params: { slug }, headers }),
    );
    expect(location).toBe(`${edit}?done=link-reset`);
    const page = await loadEditor(location, slug, headers);
    expect(page.done).toBe("link-reset");
    const after = tokenOf(page.previewUrl);
    expect(after).not.toBe(before);
    expect(await previewStatus(before)).toBe(404);
    expect(await previewStatus(after)).toBe(200);
  });
});
