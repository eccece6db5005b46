import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { expectAccessible, expectHeading, useBrowser } from "./support/browser";

const { openPage } = useBrowser();

// axe runs inside the page, so it can only scan with JavaScript on; the markup is the same without.
async function expectAccessibleWhenScriptable(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expectAccessible(page);
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("searching $label", ({ javaScriptEnabled }) => {
  it("searches from the header, forgives a typo, filters by type and reads a result", async () => {
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/");
    const header = page.getByRole("search", { name: "Site search" });
    await header.getByRole("searchbox", { name: "Search" }).fill("procurment");
    await header.getByRole("button", { name: "Search" }).click();
    await page.waitForURL("**/search?q=procurment");
    await expectHeading(page, "Search");
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: /results? for/ })
        .textContent(),
    ).resolves.toMatch(/^\d+ results? for procurment$/);
    expect(await page.locator(".search-result mark").count()).toBeGreaterThan(0);
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Tip/ }).click();
    await page.waitForURL(/type=tip/);
    await page.locator(".search-result").first().waitFor();
    expect(new Set(await page.locator(".search-result__type").allTextContents())).toEqual(new Set(["Tip"]));
    expect(page.url()).toContain("q=procurment");

    const first = page.locator(".search-result__title a").first();
    const title = await first.textContent();
    await first.click();
    await page.waitForURL(/\/library\/[a-z0-9-]+$/);
    await expectHeading(page, title ?? "");
  });

  it("explains an empty search, a search with no results, and the syntax", async () => {
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/search");
    await page.getByRole("heading", { name: "Find what practitioners have learned" }).waitFor();
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await page.goto("/search?q=zzxqvw&type=tip");
    await page.getByRole("heading", { name: "Nothing matched" }).waitFor();
    await expect(page.getByRole("link", { name: "Search again without filters" }).count()).resolves.toBe(1);
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await page.getByRole("link", { name: "How search works" }).click();
    await page.waitForURL("**/search/help");
    await expectHeading(page, "How search works");
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);
  });

  it("searches for what an acronym stands for, says so, and marks the passage that matched", async () => {
    const page = await openPage({ javaScriptEnabled });
    await page.goto("/search?q=CFP");
    const also = page.locator(".search-also");
    await also.waitFor();
    expect(await also.textContent()).toMatch(
      /^Also searched for competitive flexible procedure, which means the same\.$/,
    );
    await expect(page.locator(".search-result__title").first().textContent()).resolves.toMatch(/Penfro/);
    await expect(page.locator(".search-result mark").first().textContent()).resolves.toMatch(
      /competitive flexible procedure/i,
    );
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await also.getByRole("link", { name: "competitive flexible procedure" }).click();
    await page.waitForURL(/q=%22competitive(\+|%20)flexible(\+|%20)procedure%22/);
    await expect.poll(() => page.locator(".search-also").textContent()).toMatch(/Also searched for CFP/);
  });
});

describe("searching as you type", () => {
  it("updates results and the address while typing, keeping filters, and announces the count", async () => {
    const page = await openPage();
    await page.goto("/search?q=contract&type=case-study");
    const status = page.getByRole("status").filter({ hasText: /results? for/ });
    expect(await status.getAttribute("role")).toBe("status");
    const box = page.getByRole("searchbox", { name: /Search case studies/ });
    await box.fill("");
    await box.pressSequentially("fleet", { delay: 30 });
    await page.waitForURL(/q=fleet/);
    // The address changes a moment before React renders the new results: wait for the render.
    await expect.poll(() => status.textContent()).toMatch(/for fleet$/);
    expect(page.url()).toContain("type=case-study");
    await expect(box.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    expect(await page.locator(".search-result__title").first().textContent()).toMatch(/fleet/i);
  });
});
