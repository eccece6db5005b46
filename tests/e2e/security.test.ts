import { createServer, type Server } from "node:http";

import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { createUser, sessionCookieFor, TEST_PASSWORD } from "../factories/users";
import { baseUrl, expectAccessible, useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";
import { httpRequest } from "./support/http";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

function post(path: string, headers: Record<string, string>, form: Record<string, string> = {}) {
  return fetch(new URL(path, baseUrl()), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
}

function scriptNonces(html: string) {
  const nonces: (string | undefined)[] = [];
  const visit = (node: { type?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] }) => {
    if (node.type === "script") nonces.push(node.attribs?.nonce);
    for (const child of node.children ?? []) visit(child as typeof node);
  };
  visit(parseDocument(html));
  return nonces;
}

describe("security headers over HTTP", () => {
  it.each(["/", "/library", "/no-such-page", "/favicon.svg", "/healthz"])(
    "%s carries the baseline headers",
    async (path) => {
      const response = await fetch(new URL(path, baseUrl()));
      await response.arrayBuffer();
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
      for (const directive of [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
        "form-action 'self'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("Permissions-Policy")).toContain("geolocation=()");
      expect(response.headers.get("X-Powered-By")).toBeNull();
    },
  );

  // Every render gets a new nonce. A page served again from the anonymous page cache repeats the
  // nonce it was rendered with, together with its header (docs/decisions/0008-page-cache-and-content-epoch.md).
  it("gives every render a new nonce, and every script on the page carries it", async () => {
    const nonceOf = (response: Response) =>
      /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1];
    const [first, second] = await Promise.all([fetch(`${baseUrl()}/search?q=kpi`), fetch(`${baseUrl()}/search?q=kpi`)]);
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    await second.arrayBuffer();
    for (const response of [first, await fetch(baseUrl()), await fetch(baseUrl())]) {
      const nonces = scriptNonces(await response.text());
      expect(nonces.length).toBeGreaterThan(0);
      expect(new Set(nonces)).toEqual(new Set([nonceOf(response)]));
    }
  });

  it.each(["/account", "/account/password", "/account/delete"])(
    "tells browsers and proxies not to store %s",
    async (path) => {
      const user = await createUser();
      const response = await fetch(new URL(path, baseUrl()), { headers: { Cookie: await sessionCookieFor(user.id) } });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    },
  );

  it("sets the production session cookie with __Host-, Secure, HttpOnly and SameSite=Lax", async () => {
    const user = await createUser();
    const response = await post("/sign-in", { Origin: baseUrl() }, { email: user.email, password: TEST_PASSWORD });
    expect(response.status).toBe(302);
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith("__Host-commons_session="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });
});

describe("CSRF: forged requests over HTTP", () => {
  it.each<{ label: string; headers: Record<string, string> }>([
    { label: "another site's Origin", headers: { Origin: "https://evil.example" } },
    { label: "an opaque Origin", headers: { Origin: "null" } },
    { label: "a lookalike Origin", headers: { Origin: "http://localhost.evil.example" } },
    { label: "no Origin, cross-site fetch metadata", headers: { "Sec-Fetch-Site": "cross-site" } },
    { label: "no Origin and no fetch metadata", headers: {} },
  ])("refuses a signed-in POST with $label, changing nothing", async ({ headers }) => {
    const user = await createUser({ displayName: "Unchanged Name" });
    const cookie = await sessionCookieFor(user.id);
    const response = await post("/account", { ...headers, Cookie: cookie }, { displayName: "Forged Name" });
    expect(response.status).toBe(403);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("We blocked that request to keep your account safe");
    const row = await db.selectFrom("users").select("display_name").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe("Unchanged Name");
  });

  it.each(["/api/../notifications", "/api/%2e%2e/notifications", "/api/v1/../../account"])(
    "decides on the routed path, so a POST to %s with no Origin is refused",
    async (path) => {
      const user = await createUser({ displayName: "Unchanged Name" });
      const answer = await httpRequest(path, {
        method: "POST",
        headers: { Cookie: await sessionCookieFor(user.id), "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=read-all&displayName=Forged+Name",
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain("We blocked that request to keep your account safe");
      const row = await db
        .selectFrom("users")
        .select("display_name")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row.display_name).toBe("Unchanged Name");
    },
  );

  it("still lets scripts POST to the read-only API without an Origin, to be told it is read-only", async () => {
    const answer = await httpRequest("/api/v1/items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(answer.status).toBe(405);
    expect(answer.headers["content-type"]).toMatch(/json/);
  });

  it("accepts the same POST from the site itself", async () => {
    const user = await createUser({ displayName: "Before" });
    const response = await post(
      "/account",
      { Origin: baseUrl(), Cookie: await sessionCookieFor(user.id) },
      { displayName: "After" },
    );
    expect(response.status).toBe(302);
    const row = await db.selectFrom("users").select("display_name").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe("After");
  });

  it("accepts a same-origin POST without Origin (Sec-Fetch-Site: same-origin)", async () => {
    const response = await post("/sign-in", { "Sec-Fetch-Site": "same-origin" }, { email: "", password: "" });
    expect(response.status).toBe(400);
  });

  it("shows a browser an accessible 403 page when another site submits a form to us", async () => {
    // A second origin (127.0.0.1 rather than localhost) hosting an attacker's auto-submitting form.
    const target = `${baseUrl()}/account`;
    const attacker: Server = createServer((_request, response) => {
      response.setHeader("Content-Type", "text/html");
      response.end(
        `<!doctype html><html lang="en"><title>Win a prize</title><body><form method="post" action="${target}">` +
          `<input name="displayName" value="Forged Name"><button>Claim</button></form></body></html>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    try {
      // JavaScript on, because axe runs inside the page; the attacker's form needs none.
      const page = await openPage();
      const user = await signInAs(page, { displayName: "Target Member" });
      const address = attacker.address();
      const port = typeof address === "object" && address ? address.port : 0;
      // The attacker's page and our refusal carry none of the app's scripts, so neither hydrates.
      await navigate(
        page,
        () => page.mainFrame().goto(`http://127.0.0.1:${port}/`),
        page.getByRole("button", { name: "Claim" }),
        { hydrates: false },
      );
      const [response] = await navigate(
        page,
        () =>
          Promise.all([
            page.waitForResponse((candidate) => candidate.url() === target),
            page.getByRole("button", { name: "Claim" }).click(),
          ]),
        mainHeading(page, "We blocked that request to keep your account safe"),
        { hydrates: false },
      );
      expect(response.status()).toBe(403);
      await expectAccessible(page);
      const row = await db
        .selectFrom("users")
        .select("display_name")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row.display_name).toBe("Target Member");
    } finally {
      attacker.closeAllConnections();
      await new Promise((resolve) => attacker.close(resolve));
    }
  });
});

describe("the app under its Content-Security-Policy", () => {
  it("hydrates, navigates and submits with JavaScript, with no CSP violations", async () => {
    const page = await openPage();
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = violations;
      document.addEventListener("securitypolicyviolation", (event) =>
        violations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    await signInAs(page, { displayName: "Script Checker" });
    await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));
    await navigate(
      page,
      () => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click(),
      mainHeading(page, "The library"),
      { url: "/library" },
    );
    await navigate(
      page,
      () => page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Your account" }).click(),
      mainHeading(page, "Your profile"),
    );
    await navigate(
      page,
      () => page.getByRole("button", { name: "Save profile" }).click(),
      page.getByRole("status").filter({ hasText: "Your profile has been saved." }),
    );
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });
});

describe("open redirect after signing in", () => {
  it.each([
    ["/%09/evil.example/landed", "/"],
    ["/%0a/evil.example/landed", "/"],
    ["/%0d%0aSet-Cookie:%20planted=1", "/"],
    ["/%5C/evil.example", "/"],
    ["/%252F/evil.example", "/"],
    ["%2F%2Fevil.example", "/"],
    ["/library%3Ftype%3Dtip", "/library?type=tip"],
  ])("sends a signed-in member asked to go to %s to %s on this site", async (redirectTo, expected) => {
    const user = await createUser();
    const answer = await httpRequest(`/sign-in?redirectTo=${redirectTo}`, {
      headers: { Cookie: await sessionCookieFor(user.id) },
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(expected);
    expect([answer.headers["set-cookie"] ?? []].flat().join()).not.toContain("planted");
  });

  it("keeps the redirect on this site after the sign-in form too", async () => {
    const user = await createUser();
    const answer = await httpRequest("/sign-in", {
      method: "POST",
      headers: {
        Origin: baseUrl(),
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": "203.0.113.61",
      },
      body: new URLSearchParams({
        email: user.email,
        password: TEST_PASSWORD,
        redirectTo: "/\t/evil.example/landed",
      }).toString(),
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/");
  });
});
