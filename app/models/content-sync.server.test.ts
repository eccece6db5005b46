import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { buildItemMeta } from "../../tests/factories/items";
import { serialiseContentFile } from "./content-file.server";
import { ContentValidationError, syncContent } from "./content-sync.server";

let root: string;

function writeContent(relative: string, text: string) {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function removeContent(relative: string) {
  rmSync(path.join(root, relative));
}

const tipFile = (title: string, body = "Some advice.") =>
  serialiseContentFile(buildItemMeta({ type: "tip", title }), body);

async function snapshot() {
  return db.selectFrom("items").select(["slug", "title", "status", "version", "body_html"]).orderBy("slug").execute();
}

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), "commons-content-"));
  await db.deleteFrom("items").execute();
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("syncContent", () => {
  it("adds new files, then leaves unchanged files alone on a second run", async () => {
    writeContent("tips/check-standstill.md", tipFile("Check standstill"));
    writeContent("tips/count-days.md", tipFile("Count days"));

    const first = await syncContent({ root });
    expect(first.added).toEqual(["content/tips/check-standstill.md", "content/tips/count-days.md"]);

    const before = await snapshot();
    const second = await syncContent({ root });
    expect(second).toEqual({ added: [], updated: [], archived: [], unchanged: 2, chartProblems: [] });
    expect(await snapshot()).toEqual(before);
  });

  it("updates a changed file as a new version, rendering its body again", async () => {
    writeContent("tips/check-standstill.md", tipFile("Check standstill", "Old advice."));
    await syncContent({ root });
    writeContent("tips/check-standstill.md", tipFile("Check the standstill", "New **advice**."));

    const report = await syncContent({ root });

    expect(report.updated).toEqual(["content/tips/check-standstill.md"]);
    const [item] = await snapshot();
    expect(item).toMatchObject({
      title: "Check the standstill",
      version: 2,
      body_html: "<p>New <strong>advice</strong>.</p>\n",
    });
    const revisions = await db.selectFrom("item_revisions").select("version").orderBy("version").execute();
    expect(revisions.map((r) => r.version)).toEqual([1, 2]);
  });

  it("archives the item of a removed file instead of deleting it", async () => {
    writeContent("tips/check-standstill.md", tipFile("Check standstill"));
    writeContent("tips/count-days.md", tipFile("Count days"));
    await syncContent({ root });
    removeContent("tips/count-days.md");

    const report = await syncContent({ root });

    expect(report.archived).toEqual(["content/tips/count-days.md"]);
    expect((await snapshot()).map((item) => [item.slug, item.status])).toEqual([
      ["check-standstill", "published"],
      ["count-days", "archived"],
    ]);
  });

  it("stops on a bad file, naming the file, the field and the problem, and changes nothing", async () => {
    writeContent("tips/check-standstill.md", tipFile("Check standstill"));
    await syncContent({ root });
    const before = await snapshot();

    writeContent("tips/check-standstill.md", tipFile("A new title that must not be saved"));
    writeContent("tips/broken.md", tipFile("Broken").replace("themes:\n  - upstream", "themes:\n  - sideways"));
    writeContent("case-studies/wrong-folder.md", tipFile("In the wrong folder"));
    writeContent("tips/Bad Name.md", tipFile("Bad name"));
    writeContent("tips/no-front-matter.md", "Just text");

    const error = await syncContent({ root }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ContentValidationError);
    const problems = (error as ContentValidationError).problems;
    expect(problems).toContainEqual({
      file: "content/tips/broken.md",
      field: "themes.0",
      message: expect.stringContaining('expected one of "upstream"|"downstream"|"partnership"'),
    });
    expect(problems).toContainEqual({
      file: "content/case-studies/wrong-folder.md",
      field: "type",
      message: expect.stringContaining("case-studies/"),
    });
    expect(problems).toContainEqual(
      expect.objectContaining({ file: "content/tips/Bad Name.md", field: "(file name)" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ file: "content/tips/no-front-matter.md", field: "(front matter)" }),
    );
    expect((error as Error).message).toContain("nothing was changed");
    expect(await snapshot()).toEqual(before);
  });

  it("reports unreadable YAML with its line", async () => {
    writeContent("tips/bad-yaml.md", "---\ntitle: [unclosed\n---\nBody");
    const error = (await syncContent({ root }).catch((e: unknown) => e)) as ContentValidationError;
    expect(error.problems[0]).toMatchObject({ file: "content/tips/bad-yaml.md", field: "(front matter)" });
  });
});
