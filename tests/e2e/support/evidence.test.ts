import { describe, expect, it } from "vitest";

import { useBrowser } from "./browser";
import { expectVisible, navigate } from "./evidence";

const { openPage } = useBrowser();

// The helpers every journey leans on must themselves be able to fail.
describe("waiting for evidence", () => {
  it("expectVisible passes for what is shown and fails, naming the locator, for what is hidden or missing", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.setContent("<p hidden>Secret</p><p>Shown</p>");
    await expectVisible(page.getByText("Shown"));
    await expect(expectVisible(page.getByText("Secret"), { timeout: 300 })).rejects.toThrow(
      /Expected getByText\('Secret'\) to be visible/,
    );
    await expect(expectVisible(page.getByText("Missing"), { timeout: 300 })).rejects.toThrow(
      /Expected getByText\('Missing'\) to be visible/,
    );
  });

  it("navigate refuses evidence that the page shows before the step", async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.setContent('<h1>Before</h1><a href="#next">Go</a>');
    await expect(
      navigate(
        page,
        () => page.getByRole("link", { name: "Go" }).click(),
        page.getByRole("heading", { name: "Before" }),
      ),
    ).rejects.toThrow(/already visible .* before the step/);
  });

  it("navigate waits for evidence that appears a while after the step, then checks the address", async () => {
    const page = await openPage();
    await page.setContent(
      `<html data-hydrated><body><button onclick="setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<h1>After</h1>'), 500)">Go</button></body></html>`,
    );
    const after = page.getByRole("heading", { name: "After" });
    await navigate(page, () => page.getByRole("button", { name: "Go" }).click(), after);
    await expect(after.isVisible()).resolves.toBe(true);

    await page.setContent(
      `<html data-hydrated><body><button onclick="document.body.insertAdjacentHTML('beforeend', '<h1>Again</h1>')">Go</button></body></html>`,
    );
    await expect(
      navigate(
        page,
        () => page.getByRole("button", { name: "Go" }).click(),
        page.getByRole("heading", { name: "Again" }),
        {
          url: "/somewhere-else",
        },
      ),
    ).rejects.toThrow(/the address the step led to/);
  });
});
