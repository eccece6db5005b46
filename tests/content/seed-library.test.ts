import path from "node:path";

import { describe, expect, it } from "vitest";

import { readContentFolder } from "~/models/content-sync.server";
import { THEME_SLUGS } from "~/models/vocabulary";

// The seed library in content/ is data the product ships: it must validate and be worth reading.
describe("the seed library", async () => {
  const files = await readContentFolder(path.resolve("content"));
  const ofType = (type: string) => files.filter((file) => file.meta.type === type);

  it("has at least 6 case studies, 6 tips and 4 data stories", () => {
    expect(ofType("case-study").length).toBeGreaterThanOrEqual(6);
    expect(ofType("tip").length).toBeGreaterThanOrEqual(6);
    expect(ofType("data-story").length).toBeGreaterThanOrEqual(4);
  });

  it("covers every theme", () => {
    const themes = new Set(files.flatMap((file) => file.meta.themes));
    expect([...themes].sort()).toEqual([...THEME_SLUGS].sort());
  });

  it("gives every data story the attribution of its datasets, and ships the files they name", async () => {
    const { existsSync } = await import("node:fs");
    for (const story of ofType("data-story")) {
      if (story.meta.type !== "data-story") continue;
      for (const dataset of story.meta.datasets) {
        expect(dataset.attribution.length).toBeGreaterThan(10);
        if (dataset.file) expect(existsSync(path.resolve("content/data", dataset.file)), dataset.file).toBe(true);
      }
    }
  });

  // The method is shown with its line breaks kept (white-space: pre-line), so a break wrapped into
  // the source mid-sentence would show as a broken line on the page.
  it("breaks a data story's method only between sentences", () => {
    const stories = ofType("data-story");
    expect(stories.length).toBeGreaterThan(0);
    for (const story of stories) {
      if (story.meta.type !== "data-story") continue;
      const midSentenceBreaks = story.meta.method.split("\n").filter((line, index, lines) => {
        const isLast = index === lines.length - 1;
        return !isLast && line.trim() !== "" && !/[.!?:]["')]?$/.test(line.trim());
      });
      expect(midSentenceBreaks, story.slug).toEqual([]);
    }
  });
});
