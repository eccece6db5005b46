import { describe, expect, it } from "vitest";

import { sanitizeRenderedHtml } from "./sanitize.server";

// sanitize-html is pinned to 2.17.5, the last release that runs on Node 20. The advisories fixed
// after it each need svg, math, textarea, xmp or an SVG animation element in the allow-list; ours
// has none, and these payloads come out as inert text. If one of these fails, the allow-list has
// grown into an advisory's precondition: remove that tag, or move to Node 22 and sanitize-html 2.17.7+.
describe("the sanitiser against the advisories fixed after sanitize-html 2.17.5", () => {
  it.each([
    ["textarea inside svg (2.17.6)", "<svg><textarea><img src=x onerror=alert(1)></textarea></svg>"],
    ["xmp inside math (2.17.6)", "<math><xmp><img src=x onerror=alert(1)></xmp></math>"],
    ["a textarea end tag with a solidus (GHSA-jxwj-j7wr-gfrw)", "<textarea></textarea/><img src=x onerror=alert(1)>"],
    ["an xmp end tag with a solidus (GHSA-jxwj-j7wr-gfrw)", "<xmp></xmp/><img src=x onerror=alert(1)>"],
    [
      "an animated href (GHSA-g8qq-57p8-ggw5)",
      '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    ],
    ["a set href (GHSA-g8qq-57p8-ggw5)", '<svg><a><set attributeName="href" to="javascript:alert(1)"/>x</a></svg>'],
  ])("%s", (_name, payload) => {
    const html = sanitizeRenderedHtml(payload);
    expect(html).not.toMatch(/<\/?(svg|math|textarea|xmp|animate|set)\b/i);
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toMatch(/<[^>]*javascript:/i);
  });
});
