import type { Page } from "playwright-core";

import { createUser, sessionCookieFor } from "../../factories/users";
import { baseUrl } from "./browser";

/** Creates a member (or moderator/admin) and signs the page's browser context in as them. */
export async function signInAs(page: Page, overrides: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(overrides);
  const [name, value] = (await sessionCookieFor(user.id)).split("=") as [string, string];
  const { hostname } = new URL(baseUrl());
  await page
    .context()
    .addCookies([
      { name, value, domain: hostname, path: "/", secure: name.startsWith("__Host-"), httpOnly: true, sameSite: "Lax" },
    ]);
  return user;
}
