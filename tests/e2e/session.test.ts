import { describe, expect, it } from "vitest";

import { useBrowser } from "./support/browser";
import { mainHeading, navigate } from "./support/evidence";
import { signInAs } from "./support/session";

const { openPage } = useBrowser();

describe("sessions in the browser", () => {
  it("recognises a signed-in member on every page", async () => {
    const page = await openPage();
    const user = await signInAs(page, { displayName: "Priya Shah" });
    const response = await navigate(page, "/", mainHeading(page, "Learn from the people doing the buying"));
    expect(response?.status()).toBe(200);
    const root = await page.evaluate(
      () =>
        (window as unknown as { __remixContext: { state: { loaderData: { root: { user: { id: string } | null } } } } })
          .__remixContext.state.loaderData.root.user,
    );
    expect(root?.id).toBe(user.id);
  });
});
