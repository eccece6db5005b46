import { describe, expect, it } from "vitest";

import { baseUrl, useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";

const { openPage } = useBrowser();

const ITEM = "/library/penfro-newydd-school-food-lots";

async function aSentenceOfTheBody() {
  const html = await (await fetch(baseUrl() + ITEM)).text();
  const body = /<div id="item-body" class="prose">([\s\S]*)/.exec(html)?.[1] ?? "";
  const sentence = /[A-Z][a-z ,]{50,}/.exec(body)?.[0];
  if (!sentence) throw new Error("No plain sentence found in the item body");
  return { html, sentence };
}

describe("an item's body", () => {
  it("is sent once in the document, not again in the loader data", async () => {
    const { html, sentence } = await aSentenceOfTheBody();
    expect(html.split(sentence).length - 1).toBe(1);
  });

  it("is in the loader data of a client-side navigation", async () => {
    const { sentence } = await aSentenceOfTheBody();
    const data = await (await fetch(`${baseUrl()}${ITEM}.data`)).text();
    expect(data).toContain(sentence);
  });

  it("survives hydration and arrives with a client-side navigation", async () => {
    const page = await openPage({ javaScriptEnabled: true });
    await navigate(page, "/library?type=case-study", mainHeading(page, "Case studies"));
    const link = page.locator(".item-card__title a").first();
    const [href, title] = [await link.getAttribute("href"), (await link.textContent()) ?? ""];
    await navigate(page, href!, mainHeading(page, title));
    const served = await page.locator("#item-body").innerHTML();
    expect(served.length).toBeGreaterThan(500);

    await navigate(page, "/library?type=case-study", mainHeading(page, "Case studies"));
    await navigate(page, () => page.locator(`.item-card__title a[href="${href}"]`).click(), mainHeading(page, title), {
      url: href!,
    });
    expect(await page.locator("#item-body").innerHTML()).toBe(served);
  });
});
