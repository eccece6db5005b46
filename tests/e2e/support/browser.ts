import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";

export const baseUrl = () => inject("baseUrl");

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const HYDRATION_TIMEOUT_MS = 10_000;
const scriptablePages = new WeakSet<Page>();

/** Whether the page was opened with JavaScript on. */
export function isScriptable(page: Page) {
  return scriptablePages.has(page);
}

/**
 * Waits until React has hydrated the page's current document (root.tsx marks it), so the next
 * click reaches the app rather than the browser's own form or link handling.
 */
export async function whenHydrated(page: Page) {
  try {
    await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: HYDRATION_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`${page.url()} did not hydrate within ${HYDRATION_TIMEOUT_MS} ms: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * One browser per test file; pages opened with `openPage` fail the test on any page error or
 * console error, so a broken hydration or a CSP violation cannot pass unnoticed.
 */
export function useBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_FLAGS,
    });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    const found = problems.splice(0);
    expect(found, "errors in the browser").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async openPage({
      javaScriptEnabled = true,
      viewport = { width: 1280, height: 900 },
    }: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Page> {
      const context = await browser.newContext({ javaScriptEnabled, viewport, baseURL: baseUrl() });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      if (javaScriptEnabled) {
        scriptablePages.add(page);
        // Every step that loads a new document waits until React has hydrated it, so tests interact
        // with the real app (a click before hydration is the browser's, not Remix's).
        const goto = page.goto.bind(page);
        page.goto = async (url, options) => {
          const response = await goto(url, options);
          await whenHydrated(page);
          return response;
        };
        const reload = page.reload.bind(page);
        page.reload = async (options) => {
          const response = await reload(options);
          await whenHydrated(page);
          return response;
        };
      }
      page.on("console", (message) => {
        // The browser logs every 4xx answer (a form's 400, a 403, a 409 conflict); tests assert on those
        // statuses themselves. Anything else logged as an error (CSP violations too) fails the test.
        if (message.type() === "error" && !/status of 4\d\d/.test(message.text()))
          problems.push(`console: ${message.text()}`);
      });
      return page;
    },
  };
}

/** Runs axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page and expects no violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const violations = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(" ")}: ${node.failureSummary ?? ""}`).join("\n"),
  );
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}
