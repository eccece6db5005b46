import { describe, expect, it } from "vitest";

import { createUser, sessionCookieFor } from "../factories/users";

import { baseUrl } from "./support/browser";
import { type Actor, rows } from "./matrix/discussions";

// Runs this branch's matrix rows over real HTTP for every actor, each against freshly prepared data,
// until the shared tests/e2e/authorisation-matrix.test.ts runs them; then this file can go.
describe("authorisation of discussions routes", () => {
  for (const row of rows) {
    it(row.name, async () => {
      const results: Record<string, string> = {};
      for (const actor of ["anonymous", "member", "owner", "moderator", "admin"] as Actor[]) {
        const owner = await createUser();
        const { path, form } = await row.prepare(owner);
        const user = actor === "anonymous" ? null : actor === "owner" ? owner : await createUser({ role: actor === "member" ? "member" : actor });
        const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl() };
        if (user) headers.Cookie = await sessionCookieFor(user.id);
        const response = await fetch(`${baseUrl()}${path}`, { method: "POST", body: new URLSearchParams(form), headers, redirect: "manual" });
        const location = response.headers.get("location") ?? "";
        const ok = (response.status === 303 || response.status === 302 || response.status === 200) && !location.startsWith("/sign-in");
        results[actor] = `${ok ? "allowed" : "denied"} ${response.status} ${response.status >= 400 ? "" : location}`;
        expect(ok, `${actor}: ${results[actor]}`).toBe(row.allowed.includes(actor));
      }
    });
  }
});
