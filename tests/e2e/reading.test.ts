import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { expectAccessible, useBrowser } from "./support/browser";
import { expectVisible, mainHeading, navigate } from "./support/evidence";

const { openPage } = useBrowser();

const TYPE_HEADINGS: Record<string, string> = {
  "case-study": "Case studies",
  tip: "Tips",
  "data-story": "Data stories",
};

async function firstItemHref(page: Page, type: string) {
  await navigate(page, `/library?type=${type}`, mainHeading(page, TYPE_HEADINGS[type]!));
  const href = await page.locator(".item-card__title a").first().getAttribute("href");
  if (!href) throw new Error(`No ${type} in the seed library`);
  return href;
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("reading the library $label", ({ javaScriptEnabled }) => {
  it("goes home -> library -> filter -> item -> theme", async () => {
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));

    await navigate(
      page,
      () => page.getByRole("link", { name: "Browse the library" }).click(),
      mainHeading(page, "The library"),
      { url: "/library" },
    );
    const everything = await page.locator(".results-count").textContent();
    expect(everything).toMatch(/^\d+ items$/);

    await navigate(
      page,
      () => page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Tip/ }).click(),
      mainHeading(page, "Tips"),
      { url: "/library?type=tip" },
    );
    const cards = page.locator(".item-card");
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await page.locator(".item-card__type").allTextContents()).toEqual(Array(await cards.count()).fill("Tip"));

    const title = (await page.locator(".item-card__title a").first().textContent()) ?? "";
    await navigate(page, () => page.locator(".item-card__title a").first().click(), mainHeading(page, title), {
      url: /^\/library\/[a-z0-9-]+$/,
    });
    await expect(page.getByRole("note").filter({ hasText: "Not legal advice" }).count()).resolves.toBe(1);

    const theme = page.getByRole("list", { name: "Themes" }).getByRole("link").first();
    const themeName = (await theme.textContent()) ?? "";
    await navigate(page, () => theme.click(), mainHeading(page, themeName), {
      url: /^\/themes\/(upstream|downstream|partnership)$/,
    });
    expect(await page.locator(".item-card").count()).toBeGreaterThan(0);
  });
});

describe("keyboard", () => {
  it("skips to content and reaches the library and an item without a mouse", async () => {
    const page = await openPage();
    await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to main content");
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main-content");

    // From the main content, the first link is the hero's call to action.
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Browse the library");
    await navigate(page, () => page.keyboard.press("Enter"), mainHeading(page, "The library"), { url: "/library" });

    const firstCard = page.locator(".item-card__title a").first();
    await firstCard.focus();
    const title = (await firstCard.textContent()) ?? "";
    await navigate(page, () => page.keyboard.press("Enter"), mainHeading(page, title), {
      url: /^\/library\/[a-z0-9-]+$/,
    });
  });

  it("shows a visible focus indicator on links", async () => {
    const page = await openPage();
    await navigate(page, "/about", page.locator("h1").first());
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const background = await page.evaluate(() => getComputedStyle(document.activeElement as Element).backgroundColor);
    expect(background).toBe("rgb(255, 221, 0)");
  });
});

describe("filters and bad input", () => {
  it("shows a friendly empty state for unknown filter values and page numbers", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const response = await navigate(
      page,
      "/library?type=poem&theme=%3Cscript%3E&page=-4",
      page.locator(".empty-state", { hasText: "No published items match these filters" }),
    );
    expect(response?.status()).toBe(200);

    const beyond = await navigate(
      page,
      "/library?page=999",
      page.locator(".empty-state", { hasText: "There is no page 999" }),
    );
    expect(beyond?.status()).toBe(200);
  });

  it("answers an unknown item with the 404 page", async () => {
    const page = await openPage();
    const response = await navigate(page, "/library/no-such-item", mainHeading(page, "Page not found"));
    expect(response?.status()).toBe(404);
    await expect(page.title()).resolves.toBe("Page not found | Procurement Commons");
  });
});

describe("small screens and print", () => {
  it("fits a 320 px wide screen without horizontal scrolling", async () => {
    const page = await openPage({ viewport: { width: 320, height: 640 } });
    for (const path of [
      "/",
      "/library",
      await firstItemHref(page, "case-study"),
      await firstItemHref(page, "data-story"),
    ]) {
      await navigate(page, path, page.locator("h1").first());
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    }
  });

  it("hides navigation when printed", async () => {
    const page = await openPage();
    // The item's own body: replies on the page are .prose too.
    const body = page.locator("#item-body");
    await navigate(page, await firstItemHref(page, "case-study"), body);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header").isVisible()).resolves.toBe(false);
    await expectVisible(body);
  });
});

// One test per template: each scan has its own time budget, and a failure names its template.
describe("accessibility scan of every page template", () => {
  it.each([
    "/",
    "/library",
    "/library?type=tip&theme=downstream",
    "/library?type=poem",
    "the first case-study",
    "the first tip",
    "the first data-story",
    "/themes",
    "/themes/partnership",
    "/tags",
    "/tags/open-data",
    "/authors/aisha-rahman",
    "/about",
    "/accessibility",
    "/no-such-page",
  ])("finds no WCAG 2.2 A or AA violations on %s", async (template) => {
    const page = await openPage();
    const first = /^the first (.+)$/.exec(template)?.[1];
    const path = first ? await firstItemHref(page, first) : template;
    await navigate(page, path, page.locator("h1").first());
    await expectAccessible(page);
  });
});
