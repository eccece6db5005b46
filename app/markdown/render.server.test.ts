import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";

import { renderMarkdown } from "./render.server";

describe("renderMarkdown", () => {
  it("gives headings ids and anchor links, and lists h2/h3 in the table of contents", () => {
    const { html, toc } = renderMarkdown("## What we did\n\n### Week one\n\n## What we did\n");
    expect(html).toContain('<h2 id="what-we-did">What we did <a class="heading-anchor" href="#what-we-did">');
    expect(html).toContain('<h2 id="what-we-did-1">');
    expect(toc).toEqual([
      { id: "what-we-did", text: "What we did", depth: 2 },
      { id: "week-one", text: "Week one", depth: 3 },
      { id: "what-we-did-1", text: "What we did", depth: 2 },
    ]);
  });

  it("demotes a body h1 so the page keeps a single h1", () => {
    expect(renderMarkdown("# Title in body").html).toMatch(/^<h2 id="title-in-body">/);
  });

  it("marks external links and gives them rel=noopener, leaving internal links alone", () => {
    const { html } = renderMarkdown("[guidance](https://www.gov.uk/x) and [library](/library)");
    expect(html).toContain(
      '<a class="external" href="https://www.gov.uk/x" rel="noopener noreferrer external">guidance<span class="visually-hidden"> (external link)</span></a>',
    );
    expect(html).toContain('<a href="/library">library</a>');
  });

  it("wraps tables in a labelled, keyboard-scrollable region", () => {
    const { html } = renderMarkdown("| Measure | Result |\n| --- | ---: |\n| Hours | 310 |\n");
    expect(html).toContain('<div class="table-wrap" role="region" tabindex="0" aria-label="Table 1"><table>');
    expect(html).toContain('<td align="right">310</td>');
  });

  it("escapes code and keeps its language class", () => {
    const { html } = renderMarkdown("```js\nif (a < b) alert('<b>')\n```");
    expect(html).toContain("<pre><code class=\"language-js\">if (a &lt; b) alert('&lt;b&gt;')</code></pre>");
  });

  it("counts words", () => {
    expect(renderMarkdown("One two, three — four.\n\n- five").wordCount).toBe(5);
  });

  describe("hostile markdown never reaches the reader as markup", () => {
    const hostile: Array<[string, string]> = [
      ["a script tag", "<script>alert(1)</script>"],
      ["an inline event handler", '<img src="x" onerror="alert(1)">'],
      ["an iframe", '<iframe src="https://evil.example"></iframe>'],
      ["a style tag", "<style>body{display:none}</style>"],
      ["a javascript: link", "[click](javascript:alert(1))"],
      ["an encoded javascript: link", "[click](jav&#x61;script:alert(1))"],
      ["a javascript: autolink", "<javascript:alert(1)>"],
      ["a data: link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
      ["a data: image", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)"],
      ["a vbscript: link", "[x](vbscript:msgbox(1))"],
      ["an svg with script", "<svg><script>alert(1)</script></svg>"],
      ["raw html inside a list", '- <a href="javascript:alert(1)">x</a>'],
      ["a form", '<form action="https://evil.example"><input name="password"></form>'],
      ["a title attribute breakout", '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")'],
      ["a reference-style javascript: link", "[x][1]\n\n[1]: javascript:alert(1)"],
      // `>` goes to the sanitiser unescaped (it is slow on character references): none of these may close anything.
      ["a comment closed by >", "<!-- <img src=x onerror=alert(1)> -->"],
      [
        "escaped markup typed as references",
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;",
      ],
      ["a > in a link title", '[x](/a "b><script>alert(1)</script><img src=x onerror=alert(1)>")'],
      [
        "a > in an image address, alt text and caption",
        '![a><img src=x onerror=alert(1)>](https://ok.example/a>b "c><script>")',
      ],
      ["a > in a code span", "`</code><script>alert(1)</script>`"],
      ["a > closing raw html", '<a href="x>y" onclick="alert(1)">z</a>'],
      ["a > past the delimiter limit", `${"*a* ".repeat(70)}<b onclick="alert(1)">x</b> &#60;i onclick=alert(1)&#62;`],
    ];

    it.each(hostile)("%s", (_name, markdown) => {
      const problems = unsafeMarkup(renderMarkdown(markdown).html);
      expect(problems).toEqual([]);
    });
  });

  it("shows a > typed in text, titles and code as the character, escaped", () => {
    const { html } = renderMarkdown('a > b, [link](/x "c > d") and `e > f`\n\n> > quoted');
    expect(html).toContain('<p>a &gt; b, <a href="/x" title="c &gt; d">link</a> and <code>e &gt; f</code></p>');
    expect(html.split("<blockquote>")).toHaveLength(3);
  });

  it("shows our uploaded images with their caption, and no other same-site image address", () => {
    const uploaded = "/images/0123456789abcdef0123456789abcdef.png";
    const { html } = renderMarkdown(
      `![Bar chart](${uploaded} "Missed visits fell")\n\n![x](/sign-out)\n\n![y](//evil.example/x.png)`,
    );
    expect(html).toContain(
      `<span class="figure"><img alt="Bar chart" src="${uploaded}" loading="lazy" /><span class="figure__caption">Missed visits fell</span></span>`,
    );
    expect(html).toContain('<img alt="x" loading="lazy" />');
    expect(html).toContain('<img alt="y" loading="lazy" />');
  });

  it("inserts trusted fence output only for fences the hook renders", () => {
    const renderFence = ({ lang, text }: { lang: string; text: string }) =>
      lang === "chart" ? `<figure class="chart">${text.length}</figure>` : undefined;
    const { html } = renderMarkdown("```chart\nabc\n```\n\n```text\n<figure>\n```", { renderFence });
    expect(html).toContain('<figure class="chart">3</figure>');
    expect(html).toContain("&lt;figure&gt;");
  });
});

const SAFE_ELEMENTS = new Set([
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "br",
  "hr",
  "blockquote",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "strong",
  "em",
  "del",
  "s",
  "sup",
  "sub",
  "code",
  "pre",
  "kbd",
  "abbr",
  "a",
  "span",
  "img",
  "figure",
  "figcaption",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "caption",
  "input",
  "div",
]);

/** Parses rendered HTML as a browser would and lists anything executable or unexpected in it. */
function unsafeMarkup(html: string) {
  const problems: string[] = [];
  const visit = (node: ReturnType<typeof parseDocument>["children"][number]) => {
    if ("name" in node && node.type === "tag") {
      if (!SAFE_ELEMENTS.has(node.name)) problems.push(`<${node.name}>`);
      for (const [name, value] of Object.entries(node.attribs)) {
        if (/^on/i.test(name)) problems.push(`${name} attribute`);
        const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
        if (/^(href|src)$/i.test(name) && scheme && !["http", "https", "mailto"].includes(scheme)) {
          problems.push(`${name}="${value}"`);
        }
      }
    }
    if ("children" in node) node.children.forEach(visit);
  };
  parseDocument(html).children.forEach(visit);
  return problems;
}
