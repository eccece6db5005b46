import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createItemInEditor } from "../factories/items";
import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl, useBrowser } from "./support/browser";
import { navigate } from "./support/evidence";
import { httpRequest } from "./support/http";
import { signInAs } from "./support/session";

// Issue 13, items 1 and 7: the page cache and the session code once read the session cookie
// differently, so a member's page was stored and replayed to everyone, and a cookie a sibling
// origin can set ("%5F_Host-...") signed a visitor in.

const SESSION = "__Host-commons_session";
let probe = 0;

async function member(label: string) {
  probe += 1;
  const user = await createUser({ displayName: `${label} Probe ${probe} ${Date.now()}` });
  const sessionId = (await sessionCookieFor(user.id)).split("=")[1]!;
  return { user, sessionId };
}

/** Asks twice with the cookie (a second ask is what would be served from a cache), then twice without. */
async function askWithThenWithout(path: string, cookie: string) {
  const withCookie = [
    await httpRequest(path, { headers: { cookie } }),
    await httpRequest(path, { headers: { cookie } }),
  ];
  const without = [await httpRequest(path), await httpRequest(path)];
  return { withCookie, without };
}

describe("the anonymous page cache and the session agree on who is signed in", () => {
  it.each([
    { spelling: "a percent-encoded name", cookie: (s: string) => `%5F_Host-commons_session=${s}` },
    { spelling: "a doubly encoded name", cookie: (s: string) => `%255F_Host-commons_session=${s}` },
    { spelling: "another letter case", cookie: (s: string) => `__host-commons_session=${s}` },
    {
      spelling: "a prefixed look-alike before the real cookie",
      cookie: (s: string) => `x__Host-commons_session=1; ${SESSION}=${s}`,
    },
    { spelling: "the real cookie twice, planted value first", cookie: (s: string) => `${SESSION}=1; ${SESSION}=${s}` },
    { spelling: "the real cookie twice, planted value last", cookie: (s: string) => `${SESSION}=${s}; ${SESSION}=1` },
    { spelling: "the real cookie with extra spaces", cookie: (s: string) => `theme=dark;   ${SESSION}=${s} ` },
  ])("never replays a member's page to anyone else when the cookie is $spelling", async ({ cookie }) => {
    const { user, sessionId } = await member("Replay");
    const path = `/about?p=${probe}`;
    const { withCookie, without } = await askWithThenWithout(path, cookie(sessionId));
    for (const answer of without) {
      expect(answer.status).toBe(200);
      expect(answer.body).not.toContain(user.display_name);
      expect(answer.body).not.toContain(user.id);
    }
    for (const answer of withCookie) {
      expect(answer.status).toBe(200);
      if (answer.body.includes(user.display_name)) {
        expect(answer.headers["cache-control"]).toBe("private, no-store");
      }
      // A look-alike never reaches the anonymous cache: it is not served from it, nor counted as a miss.
      if (!answer.headers["cache-control"]?.includes("private")) expect(answer.headers["x-cache"]).toBeUndefined();
    }
  });

  it("does not store a member's draft edit page for anonymous readers when a sibling origin set a path=/library look-alike", async () => {
    const { user, sessionId } = await member("Draft");
    const draft = await createItemInEditor({ user, body: `Unpublished findings ${probe} nobody may see.` });
    // What the browser sends for /library/...: the longer-path cookie first, as RFC 6265 orders them.
    const cookie = `x__Host-commons_session=1; ${SESSION}=${sessionId}`;
    const { withCookie, without } = await askWithThenWithout(`/library/${draft.slug}/edit`, cookie);
    for (const answer of without) {
      expect(answer.body).not.toContain(draft.body);
      expect(answer.body).not.toContain(draft.previewToken);
      expect(answer.body).not.toContain(user.display_name);
    }
    for (const answer of withCookie) {
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(draft.previewToken);
      expect(answer.headers["cache-control"]).toBe("private, no-store");
    }
  });

  it.each(["/", "/about", "/library", "/notifications", "/library.data", "/me"])(
    "marks %s private, no-store for a signed-in member, however often it is asked for",
    async (path) => {
      const { sessionId } = await member("Private");
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const answer = await httpRequest(path, { headers: { cookie: `${SESSION}=${sessionId}` } });
        expect(answer.status).toBeLessThan(400);
        expect(answer.headers["cache-control"]).toBe("private, no-store");
      }
    },
  );

  it("still serves anonymous readers from the cache", async () => {
    const path = `/about?p=anonymous-${Date.now()}`;
    let answer = await httpRequest(path);
    // Stored once compressed, a moment after the first answer.
    for (let attempt = 0; attempt < 50 && answer.headers["x-cache"] !== "hit"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await httpRequest(path);
    }
    expect(answer.headers["x-cache"]).toBe("hit");
    expect(answer.headers["cache-control"]).not.toBe("private, no-store");
  });
});

describe("session fixation through an encoded cookie name", () => {
  it("does not sign a visitor in with %5F_Host-commons_session", async () => {
    const { user: attacker, sessionId } = await member("Attacker");
    const answer = await httpRequest("/", { headers: { cookie: `%5F_Host-commons_session=${sessionId}` } });
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain(attacker.display_name);
    expect(answer.body).not.toContain(attacker.id);
  });
});

describe("cookies set by a sibling origin, in the browser", () => {
  const { openPage } = useBrowser();
  let sibling: Server;
  let siblingUrl: string;

  // Another port on the same host is another origin, but shares the host's cookies: the attacker's
  // page there can set any cookie whose name does not start with __Host- or __Secure-.
  beforeAll(async () => {
    sibling = createServer((request, response) => {
      const script = new URL(request.url ?? "/", "http://sibling").searchParams.get("set") ?? "";
      response.setHeader("Content-Type", "text/html");
      response.end(
        `<!doctype html><html lang="en"><title>Sibling</title><body><script>` +
          `for (const cookie of ${JSON.stringify(script.split("|"))}) document.cookie = cookie;` +
          `document.title = "set";</script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => sibling.listen(0, "localhost", resolve));
    const address = sibling.address();
    siblingUrl = `http://localhost:${typeof address === "object" && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    sibling.closeAllConnections();
    await new Promise((resolve) => sibling.close(resolve));
  });

  async function visitSibling(page: Awaited<ReturnType<typeof openPage>>, cookies: string[]) {
    await page.mainFrame().goto(`${siblingUrl}?set=${encodeURIComponent(cookies.join("|"))}`);
    await page.waitForFunction(() => document.title === "set");
  }

  it("a planted %5F_Host- session does not sign the victim in as the attacker", async () => {
    const { user: attacker, sessionId } = await member("Fixation");
    const page = await openPage();
    await visitSibling(page, [`%5F_Host-commons_session=${sessionId}; path=/`]);
    const account = page.getByRole("navigation", { name: "Account" });
    await navigate(page, baseUrl(), account.getByRole("link", { name: "Sign in" }));
    expect(await page.content()).not.toContain(attacker.display_name);
  });

  it("a path=/library look-alike does not put a member's draft edit page in the anonymous cache", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: `Browser Draft Owner ${Date.now()}` });
    const draft = await createItemInEditor({ user, body: `Browser-only draft text ${Date.now()}.` });
    await visitSibling(page, ["x__Host-commons_session=1; path=/library"]);
    const cacheControl: (string | null | undefined)[] = [];
    for (let visit = 0; visit < 2; visit += 1) {
      const response = await page.goto(`${baseUrl()}/library/${draft.slug}/edit`);
      expect(response?.status()).toBe(200);
      cacheControl.push(await response?.headerValue("cache-control"));
      await page.getByText(draft.previewToken).first().waitFor();
    }
    const anonymous = await httpRequest(`/library/${draft.slug}/edit`);
    expect(anonymous.body).not.toContain(draft.previewToken);
    expect(anonymous.body).not.toContain(draft.body);
    expect(cacheControl).toEqual(["private, no-store", "private, no-store"]);
  });
});
