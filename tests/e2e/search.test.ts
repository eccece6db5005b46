import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { expectAccessible, useBrowser } from "./support/browser";
import { expectVisible, mainHeading, navigate } from "./support/evidence";

const { openPage } = useBrowser();

// axe runs inside the page, so it can only scan with JavaScript on; the markup is the same without.
async function expectAccessibleWhenScriptable(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) await expectAccessible(page);
}

/** The results rendered for exactly this search (the page marks which search its results answer). */
function resultsFor(page: Page, search: Record<string, string>) {
  return page.locator(`.library__results[data-results-for="${new URLSearchParams(search)}"]`);
}

describe.each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("searching $label", ({ javaScriptEnabled }) => {
  it("searches from the header, forgives a typo, filters by type and reads a result", async () => {
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));
    const header = page.getByRole("search", { name: "Site search" });
    await header.getByRole("searchbox", { name: "Search" }).fill("procurment");
    const typo = resultsFor(page, { q: "procurment" });
    await navigate(page, () => header.getByRole("button", { name: "Search" }).click(), typo, {
      url: "/search?q=procurment",
    });
    await expectVisible(mainHeading(page, "Search"));
    await expect(typo.getByRole("status").textContent()).resolves.toMatch(/^\d+ results? for procurment$/);
    expect(await typo.locator(".search-result mark").count()).toBeGreaterThan(0);
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    // With JavaScript the address changes before the filtered results render: wait for them.
    const tips = resultsFor(page, { q: "procurment", type: "tip" });
    await navigate(
      page,
      () => page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Tip/ }).click(),
      tips.locator(".search-result").first(),
    );
    expect(new Set(await tips.locator(".search-result__type").allTextContents())).toEqual(new Set(["Tip"]));
    const address = new URL(page.url()).searchParams;
    expect([address.get("q"), address.get("type")]).toEqual(["procurment", "tip"]);

    const first = tips.locator(".search-result__title a").first();
    const title = (await first.textContent()) ?? "";
    await navigate(page, () => first.click(), mainHeading(page, title), { url: /^\/library\/[a-z0-9-]+$/ });
  });

  it("explains an empty search, a search with no results, and the syntax", async () => {
    const page = await openPage({ javaScriptEnabled });
    await navigate(page, "/search", page.getByRole("heading", { name: "Find what practitioners have learned" }));
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    const nothing = resultsFor(page, { q: "zzxqvw", type: "tip" });
    await navigate(page, "/search?q=zzxqvw&type=tip", nothing.getByRole("heading", { name: "Nothing matched" }));
    await expect(nothing.getByRole("link", { name: "Search again without filters" }).count()).resolves.toBe(1);
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);

    await navigate(
      page,
      () => page.getByRole("link", { name: "How search works" }).click(),
      mainHeading(page, "How search works"),
      { url: "/search/help" },
    );
    await expectAccessibleWhenScriptable(page, javaScriptEnabled);
  });
});

describe("searching as you type", () => {
  it("updates results and the address while typing, keeping filters, and announces the count", async () => {
    const page = await openPage();
    const before = resultsFor(page, { q: "contract", type: "case-study" });
    await navigate(page, "/search?q=contract&type=case-study", before);
    const status = page.getByRole("status").filter({ hasText: /results? for/ });
    expect(await status.getAttribute("role")).toBe("status");
    const box = page.getByRole("searchbox", { name: /Search case studies/ });
    await box.fill("");
    // The address changes a moment before React renders the new results: wait for the render.
    const fleet = resultsFor(page, { q: "fleet", type: "case-study" });
    await navigate(page, () => box.pressSequentially("fleet", { delay: 30 }), fleet);
    await expect(fleet.getByRole("status").textContent()).resolves.toMatch(/for fleet$/);
    const address = new URL(page.url()).searchParams;
    expect([address.get("q"), address.get("type")]).toEqual(["fleet", "case-study"]);
    await expect(box.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    expect(await fleet.locator(".search-result__title").first().textContent()).toMatch(/fleet/i);
  });
});
