import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { expectAccessible, expectHeading, useBrowser } from "./support/browser";

const { openPage } = useBrowser();

async function firstItemHref(page: Page, type: string) {
  await page.goto(`/library?type=${type}`);
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
    await page.goto("/");
    await expectHeading(page, "Learn from the people doing the buying");

    await page.getByRole("link", { name: "Browse the library" }).click();
    await page.waitForURL("**/library");
    const everything = await page.locator(".results-count").textContent();
    expect(everything).toMatch(/^\d+ items$/);

    await page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Tip/ }).click();
    await page.waitForURL("**/library?type=tip");
    await expectHeading(page, "Tips");
    const cards = page.locator(".item-card");
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await page.locator(".item-card__type").allTextContents()).toEqual(Array(await cards.count()).fill("Tip"));

    const title = await page.locator(".item-card__title a").first().textContent();
    await page.locator(".item-card__title a").first().click();
    await page.waitForURL(/\/library\/[a-z0-9-]+$/);
    await expectHeading(page, title ?? "");
    await expect(page.getByRole("note").filter({ hasText: "Not legal advice" }).count()).resolves.toBe(1);

    const theme = page.getByRole("list", { name: "Themes" }).getByRole("link").first();
    const themeName = await theme.textContent();
    await theme.click();
    await page.waitForURL(/\/themes\/(upstream|downstream|partnership)$/);
    await expectHeading(page, themeName ?? "");
    expect(await page.locator(".item-card").count()).toBeGreaterThan(0);
  });
});

describe("keyboard", () => {
  it("skips to content and reaches the library and an item without a mouse", async () => {
    const page = await openPage();
    await page.goto("/");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to main content");
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main-content");

    // From the main content, the first link is the hero's call to action.
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Browse the library");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/library");

    const firstCard = page.locator(".item-card__title a").first();
    await firstCard.focus();
    const title = await firstCard.textContent();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/library\/[a-z0-9-]+$/);
    await expectHeading(page, title ?? "");
  });

  it("shows a visible focus indicator on links", async () => {
    const page = await openPage();
    await page.goto("/about");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const background = await page.evaluate(() => getComputedStyle(document.activeElement as Element).backgroundColor);
    expect(background).toBe("rgb(255, 221, 0)");
  });
});

describe("filters and bad input", () => {
  it("shows a friendly empty state for unknown filter values and page numbers", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const response = await page.goto("/library?type=poem&theme=%3Cscript%3E&page=-4");
    expect(response?.status()).toBe(200);
    await expect(page.locator(".empty-state").textContent()).resolves.toContain(
      "No published items match these filters",
    );

    const beyond = await page.goto("/library?page=999");
    expect(beyond?.status()).toBe(200);
    await expect(page.locator(".empty-state").textContent()).resolves.toContain("There is no page 999");
  });

  it("answers an unknown item with the 404 page", async () => {
    const page = await openPage();
    const response = await page.goto("/library/no-such-item");
    expect(response?.status()).toBe(404);
    await expectHeading(page, "Page not found");
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
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    }
  });

  it("hides navigation when printed", async () => {
    const page = await openPage();
    await page.goto(await firstItemHref(page, "case-study"));
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header").isVisible()).resolves.toBe(false);
    await expect(page.locator(".prose").isVisible()).resolves.toBe(true);
  });
});

describe("accessibility scan of every page template", () => {
  it("finds no WCAG 2.2 A or AA violations", async () => {
    const page = await openPage();
    const templates = [
      "/",
      "/library",
      "/library?type=tip&theme=downstream",
      "/library?type=poem",
      await firstItemHref(page, "case-study"),
      await firstItemHref(page, "tip"),
      await firstItemHref(page, "data-story"),
      "/themes",
      "/themes/partnership",
      "/tags",
      "/tags/open-data",
      "/authors/aisha-rahman",
      "/about",
      "/accessibility",
      "/no-such-page",
    ];
    for (const path of templates) {
      await page.goto(path);
      await expectAccessible(page);
    }
  });
});
