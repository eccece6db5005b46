/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";

import { createUser, sessionCookieFor } from "../factories/users";
import { baseUrl } from "./support/browser";
import { ACTORS, type Actor, type MatrixRow } from "./support/matrix";

const modules = import.meta.glob<{ rows: MatrixRow[] }>("./matrix/*.ts", { eager: true });
const rows = Object.entries(modules).flatMap(([file, module]) => module.rows.map((row) => ({ file, ...row })));

async function cookieFor(actor: Actor, owner: { id: string }) {
  if (actor === "anonymous") return null;
  if (actor === "owner") return sessionCookieFor(owner.id);
  const user = await createUser({ role: actor === "member" ? "member" : actor });
  return sessionCookieFor(user.id);
}

function isSignInRedirect(response: Response) {
  return (
    response.status >= 300 && response.status < 400 && (response.headers.get("Location") ?? "").startsWith("/sign-in")
  );
}

/** Sent to sign in, or (editors, so nothing typed is lost) told to sign in again with a 401. */
function asksToSignIn(response: Response) {
  return isSignInRedirect(response) || response.status === 401;
}

describe("authorisation matrix", () => {
  it("has rows to check", () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  describe.each(rows)("$name ($file)", (row) => {
    it.each(ACTORS)("as %s", async (actor) => {
      const owner = await createUser();
      const { path, form } = await row.prepare(owner);
      const cookie = await cookieFor(actor, owner);
      const response = await fetch(new URL(path, baseUrl()), {
        method: "POST",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: baseUrl(),
          ...(cookie ? { Cookie: cookie } : {}),
        },
        body: new URLSearchParams(form),
      });
      await response.arrayBuffer();
      const outcome = `${response.status} ${response.headers.get("Location") ?? ""}`.trim();
      if (row.allowed.includes(actor)) {
        expect([403, 404], `${actor} should be allowed: got ${outcome}`).not.toContain(response.status);
        expect(asksToSignIn(response), `${actor} should be allowed: got ${outcome}`).toBe(false);
        expect(response.status, `${actor} should not break the server`).toBeLessThan(500);
      } else if (actor === "anonymous") {
        expect(asksToSignIn(response), `anonymous should be asked to sign in: got ${outcome}`).toBe(true);
      } else {
        expect([403, 404], `${actor} should be refused: got ${outcome}`).toContain(response.status);
      }
    });
  });
});
