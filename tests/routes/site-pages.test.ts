import { describe, expect, it } from "vitest";

import { SITE_PAGES } from "~/models/site-page.server";
import { loader as contactLoader } from "~/routes/contact";
import { loader as cookiesLoader } from "~/routes/cookies";
import { loader as houseRulesLoader } from "~/routes/house-rules";
import { loader as privacyLoader } from "~/routes/privacy";
import { loader as termsLoader } from "~/routes/terms";

const LOADERS = {
  privacy: privacyLoader,
  cookies: cookiesLoader,
  terms: termsLoader,
  "house-rules": houseRulesLoader,
  contact: contactLoader,
};

describe("the launch pages", () => {
  it.each(SITE_PAGES)("renders /%s from its content file, every placeholder filled or flagged", (slug) => {
    const page = LOADERS[slug]();
    expect(page.title.length).toBeGreaterThan(3);
    expect(page.html).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(page.html).not.toMatch(/<script/i);
  });

  it("gives the privacy notice what Article 13 asks: who, what, why, the basis, who else, how long, rights, complaints", () => {
    const { html } = privacyLoader();
    for (const heading of [
      "Who we are",
      "What we collect and why",
      "Who we share it with",
      "How long we keep it",
      "Your rights",
    ])
      expect(html).toContain(`>${heading} <a`);
    expect(html).toMatch(/Article 6\(1\)\(e\)/);
    expect(html).toContain("ico.org.uk");
    // Unset operator details show as placeholders an operator cannot miss.
    expect(html).toContain("[OPERATOR_NAME not set: see the README]");
  });

  it("says the session cookie is the only one, and strictly necessary", () => {
    const { html } = cookiesLoader();
    expect(html).toContain("__Host-commons_session");
    expect(html).toMatch(/strictly\s+necessary/);
    expect(html).toMatch(/do\s+not show a cookie banner/);
  });
});
