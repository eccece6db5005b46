import { describe, expect, it } from "vitest";

import { MAX_DELIMITER_RUNS_PER_BLOCK, MAX_NESTING } from "./limits.server";
import { renderMarkdown } from "./render.server";

const count = (html: string, fragment: string) => html.split(fragment).length - 1;
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&amp;/g, "&");

// These bodies overflowed the stack or took from seconds to minutes on main (issue 13, item 3).
// How fast they are now is measured by `npm run bench:markdown`; here, what the reader gets.
describe("markdown nesting and delimiter limits", () => {
  it("reads a quote 199,000 levels deep as 16 levels and then its markers as text", () => {
    const { html } = renderMarkdown(">".repeat(199_000));
    expect(count(html, "<blockquote>")).toBe(MAX_NESTING);
    expect(textOf(html)).toContain(">".repeat(1000));
  });

  it("stops nested lists at the same depth, on one line or by indentation", () => {
    expect(count(renderMarkdown(`${"- ".repeat(5000)}deep`).html, "<ul>")).toBe(MAX_NESTING);
    const indented = Array.from({ length: 40 }, (_, level) => `${"  ".repeat(level)}- level ${level}`).join("\n");
    const { html } = renderMarkdown(indented);
    expect(count(html, "<ul>")).toBe(MAX_NESTING);
    expect(html).toContain("level 39");
  });

  it("keeps quotes and lists people write as they were", () => {
    const { html } = renderMarkdown("> quoted\n>\n> > and quoted again\n\n- one\n  - two\n    - three\n\n- - -\n");
    expect(count(html, "<blockquote>")).toBe(2);
    expect(count(html, "<ul>")).toBe(3);
    expect(html).toContain("<hr />");
  });

  it.each([
    ["*a_ repeated to 20,000 characters", "*a_".repeat(6_667)],
    ["*a repeated 99,500 times", "*a".repeat(99_500)],
    ["a_ repeated 100,000 times", "a_".repeat(100_000)],
    ["50,000 stars either side of a word", `${"*".repeat(50_000)}a${"*".repeat(50_000)}`],
    ["20,000 unclosed bold openers", `${"**a ".repeat(20_000)}${"b** ".repeat(20_000)}`],
    ["~a repeated 100,000 times", "~a".repeat(100_000)],
  ])("renders %s with every character the writer typed", (_label, markdown) => {
    const { html } = renderMarkdown(markdown);
    const shown = textOf(html);
    for (const character of ["*", "_", "~"]) {
      const typed = markdown.split(character).length - 1;
      // Emphasis that did form takes at most two delimiters per live run; the rest show as typed.
      expect(count(shown, character)).toBeGreaterThanOrEqual(typed - 2 * MAX_DELIMITER_RUNS_PER_BLOCK);
    }
  });

  it("still draws emphasis in ordinary paragraphs, and in every paragraph of a long body", () => {
    const paragraph = "Some *italic*, some **bold**, some ~~struck~~ and some_snake_case.\n\n";
    const { html } = renderMarkdown(paragraph.repeat(200));
    expect(count(html, "<em>italic</em>")).toBe(200);
    expect(count(html, "<strong>bold</strong>")).toBe(200);
    expect(count(html, "<del>struck</del>")).toBe(200);
    expect(count(html, "some_snake_case")).toBe(200);
  });

  it("shows delimiters beyond the limit as typed, leaving code spans and web addresses alone", () => {
    const markdown = `${"*x* ".repeat(MAX_DELIMITER_RUNS_PER_BLOCK)}then \`a_b*c\` and https://example.org/a_b_c and *not emphasis*`;
    const { html } = renderMarkdown(markdown);
    expect(count(html, "<em>x</em>")).toBe(MAX_DELIMITER_RUNS_PER_BLOCK / 2);
    expect(html).toContain("<code>a_b*c</code>");
    expect(html).toContain('href="https://example.org/a_b_c"');
    expect(html).toContain("*not emphasis*");
  });

  it("keeps the addresses, titles, alternative text and headings it escapes delimiters in as typed", () => {
    const overLimit = "*x* ".repeat(MAX_DELIMITER_RUNS_PER_BLOCK);
    const { html, toc } = renderMarkdown(
      `${overLimit}[notes](/library/a_b~c "the_notes") ![a_chart*](https://example.org/i_j.png "fig_1")\n\n` +
        `## ${overLimit}snake_case_heading`,
    );
    expect(html).toContain('<a href="/library/a_b~c" title="the_notes">notes</a>');
    expect(html).toContain('<img alt="a_chart*" src="https://example.org/i_j.png" loading="lazy" />');
    expect(html).toContain('<span class="figure__caption">fig_1</span>');
    expect(html).not.toContain("&amp;#");
    expect(toc[0]!.text).toMatch(/snake_case_heading$/);
  });

  it("leaves fenced code exactly as written", () => {
    const code = `${"> ".repeat(30)}\n${"*a_".repeat(100)}\n${"  ".repeat(40)}deep`;
    const { html } = renderMarkdown(`\`\`\`\n${code}\n\`\`\`\n`);
    expect(textOf(html)).toContain(code);
  });

  it("counts the words of 22,000 lines of chart fences without a regular expression that backtracks", () => {
    const { wordCount } = renderMarkdown("```chart\n".repeat(22_000), {
      renderFence: ({ lang }) => (lang === "chart" ? "<p>chart</p>" : undefined),
    });
    expect(wordCount).toBe(0);
  });
});
