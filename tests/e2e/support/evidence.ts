import type { Locator, Page, Response } from "playwright-core";
import { expect } from "vitest";

import { isScriptable, whenHydrated } from "./browser";

const EVIDENCE_TIMEOUT_MS = 10_000;

/**
 * Waits until `locator` is visible and fails, naming it, if it never is. A Locator is only a
 * query, so `expect(locator).toBeTruthy()` passes whatever the page shows: this is the assertion.
 */
export async function expectVisible(locator: Locator, { timeout = EVIDENCE_TIMEOUT_MS }: { timeout?: number } = {}) {
  try {
    await locator.waitFor({ state: "visible", timeout });
  } catch (error) {
    throw new Error(
      `Expected ${String(locator)} to be visible on ${locator.page().url()} within ${timeout} ms: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The page's main heading, reading exactly `text`. */
export function mainHeading(page: Page, text: string) {
  return page.getByRole("heading", { level: 1, name: text, exact: true });
}

/** The address as the reader sees it after the host: path and query. */
function addressOf(page: Page) {
  const { pathname, search } = new URL(page.url());
  return pathname + search;
}

/**
 * What proves a step has landed: a locator only the resulting page shows, or, when the answer
 * looks like the page before it (a form answered with the same error again), a check that only
 * the answer can satisfy, such as a field the test filled being emptied.
 */
export type Evidence = Locator | (() => Promise<unknown>);

type NavigateOptions = {
  /** The address the step must have led to: a path with its query exactly, or a pattern for one. */
  url?: string | RegExp;
  /** False for a page served without the app's scripts (another site, a static error page). */
  hydrates?: boolean;
};

/**
 * Takes one step (a path to open, or an action such as a click, a key press or a reload) and
 * waits for `evidence` of the page it leads to. Neither the address nor the load event is such
 * evidence: with JavaScript, Remix changes the address before it renders the new page, and
 * without it the old page stays on screen until the new one arrives. A locator already visible
 * before an action could come from the old page, so that fails at once. With JavaScript on, it
 * then waits until the page has hydrated, so the next step meets the app rather than the HTML.
 */
export async function navigate(
  page: Page,
  to: string,
  evidence: Evidence,
  options?: NavigateOptions,
): Promise<Response | null>;
export async function navigate<T>(
  page: Page,
  to: () => Promise<T>,
  evidence: Evidence,
  options?: NavigateOptions,
): Promise<T>;
export async function navigate<T>(
  page: Page,
  to: string | (() => Promise<T>),
  evidence: Evidence,
  { url, hydrates = true }: NavigateOptions = {},
) {
  // page.goto returns only once the new document has replaced the old one; any other step may
  // leave the old page on screen for a while.
  if (typeof to !== "string" && typeof evidence !== "function" && (await evidence.isVisible())) {
    throw new Error(
      `${String(evidence)} is already visible on ${page.url()} before the step, so it cannot show that the step landed`,
    );
  }
  const result = typeof to === "string" ? await page.goto(to) : await to();
  if (typeof evidence === "function") await evidence();
  else await expectVisible(evidence);
  if (hydrates && isScriptable(page)) await whenHydrated(page);
  if (typeof url === "string") expect(addressOf(page), "the address the step led to").toBe(url);
  else if (url) expect(addressOf(page), "the address the step led to").toMatch(url);
  return result;
}

/**
 * Opens `path` again, one visit at a time, until `read` gives `expected`: for what the server does
 * in the background (notifications fan out after a reply), which no single page load can wait
 * for. expect.poll will not do: when its time runs out it starts a last attempt while the one
 * before may still be loading, and the two visits interrupt each other.
 */
export async function revisitUntil<T>(
  page: Page,
  path: string,
  evidence: Evidence,
  read: () => Promise<T>,
  expected: T,
  { timeout = EVIDENCE_TIMEOUT_MS, interval = 250 }: { timeout?: number; interval?: number } = {},
) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await navigate(page, path, evidence);
    const value = await read();
    if (value === expected || Date.now() > deadline) {
      expect(value, `what ${path} showed after revisiting it for up to ${timeout} ms`).toBe(expected);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
