import { randomBytes } from "node:crypto";

import GithubSlugger from "github-slugger";
import { Lexer, Marked, type Token, type Tokens } from "marked";
import { z } from "zod";

import { escapeHtml } from "~/utils/html";

import { bodyBudget, boundInline, decodeCharacterReferences, nestingLimit } from "./limits.server";
import { sanitizeRenderedHtml } from "./sanitize.server";

export const TocSchema = z.array(
  z.strictObject({ id: z.string(), text: z.string(), depth: z.union([z.literal(2), z.literal(3)]) }),
);

export type TocEntry = z.infer<typeof TocSchema>[number];

export type RenderedMarkdown = {
  html: string;
  toc: TocEntry[];
  wordCount: number;
};

export type RenderOptions = {
  /**
   * Renders fenced blocks of a language this hook recognises (e.g. charts) to trusted HTML.
   * What it returns is inserted after sanitising, so it must escape everything it interpolates.
   */
  renderFence?: (block: { lang: string; text: string }) => string | undefined;
};

// sanitize-html's parser takes about a microsecond for each character reference it decodes, so
// 199,000 `>` cost it 190 ms. These characters mean nothing in HTML text or in a quoted attribute
// (a `>` closes nothing, since every `<` that is text stays escaped), so they go in as themselves:
// `>` as marked escapes it, the others as boundInline does. The sanitiser escapes its output again.
const INERT_CHARACTERS: Record<string, string> = {
  "&gt;": ">",
  "&#42;": "*",
  "&#95;": "_",
  "&#126;": "~",
  "&#91;": "[",
};
const INERT_REFERENCES = /&gt;|&#42;|&#95;|&#126;|&#91;/g;

/** How deep the body's headings may go once the page's own h1 is accounted for. */
const TOP_BODY_HEADING = 2;

/**
 * The one render path for user-written markdown: marked, then a sanitiser.
 * Items and replies are rendered once, when written, and the HTML is stored with the row.
 */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): RenderedMarkdown {
  const slugger = new GithubSlugger();
  const toc: TocEntry[] = [];
  const trustedFences: string[] = [];
  // A per-render marker, so text that merely looks like a placeholder is never replaced.
  const fenceMarker = `commons-fence-${randomBytes(6).toString("hex")}`;

  // Fences a hook drew: not reading matter, so left out of the word count.
  const claimedFences = new Set<Token>();

  const marked = new Marked({
    gfm: true,
    tokenizer: nestingLimit(),
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const level = Math.min(Math.max(depth, TOP_BODY_HEADING), 6);
        const inner = this.parser.parseInline(tokens);
        const text = plainText(inner);
        const id = slugger.slug(text || "section");
        if (level === 2 || level === 3) toc.push({ id, text, depth: level });
        return (
          `<h${level} id="${id}">${inner}` +
          ` <a class="heading-anchor" href="#${id}"><span aria-hidden="true">#</span>` +
          `<span class="visually-hidden">Link to this section: ${escapeHtml(text)}</span></a>` +
          `</h${level}>\n`
        );
      },
      link({ href: writtenHref, title: writtenTitle, tokens }: Tokens.Link) {
        const href = decodeCharacterReferences(writtenHref);
        const title = writtenTitle && decodeCharacterReferences(writtenTitle);
        const inner = this.parser.parseInline(tokens);
        const titleAttribute = title ? ` title="${escapeHtml(title)}"` : "";
        if (isExternal(href)) {
          return (
            `<a class="external" href="${escapeHtml(href)}" rel="noopener noreferrer external"${titleAttribute}>` +
            `${inner}<span class="visually-hidden"> (external link)</span></a>`
          );
        }
        return `<a href="${escapeHtml(href)}"${titleAttribute}>${inner}</a>`;
      },
      image(token: Tokens.Image) {
        const href = decodeCharacterReferences(token.href);
        const title = token.title && decodeCharacterReferences(token.title);
        const text = decodeCharacterReferences(token.text);
        const img = `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`;
        // An image's markdown title is its visible caption.
        if (!title) return img;
        return `<span class="figure">${img}<span class="figure__caption">${escapeHtml(title)}</span></span>`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        // Raw HTML is shown as text, never interpreted.
        return escapeHtml(text);
      },
      code(token: Tokens.Code) {
        const { text, lang } = token;
        const language = (lang ?? "").trim().split(/\s+/)[0] ?? "";
        const trusted = language ? options.renderFence?.({ lang: language, text }) : undefined;
        if (trusted !== undefined) {
          claimedFences.add(token);
          trustedFences.push(trusted);
          return `<p>${fenceMarker}-${trustedFences.length - 1}</p>\n`;
        }
        const languageClass = /^[a-z0-9-]+$/i.test(language) ? ` class="language-${language}"` : "";
        return `<pre><code${languageClass}>${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });

  const tokens = lex(marked, markdown);
  const rawHtml = marked.parser(tokens);
  let html = sanitizeRenderedHtml(rawHtml.replace(INERT_REFERENCES, (reference) => INERT_CHARACTERS[reference]!));
  html = wrapTables(html);
  html = html.replace(
    new RegExp(`<p>${fenceMarker}-(\\d+)</p>`, "g"),
    (_, index: string) => trustedFences[Number(index)] ?? "",
  );

  const readingText = claimedFences.size === 0 ? markdown : textWithout(tokens, claimedFences);
  return { html, toc, wordCount: countWords(readingText) };
}

/**
 * marked's own lexing (blocks, then the inline text they hold), with each paragraph, heading and
 * table cell bounded before the inline lexer reads it (see limits.server.ts).
 */
function lex(marked: Marked, markdown: string) {
  const lexer = new Lexer(marked.defaults);
  const tokens = lexer.blockTokens(markdown.replace(/\r\n?/g, "\n"), lexer.tokens);
  const budget = bodyBudget();
  for (const queued of lexer.inlineQueue) {
    lexer.state.inRawBlock = false;
    lexer.inlineTokens(boundInline(queued.src, budget), queued.tokens);
  }
  lexer.inlineQueue = [];
  return tokens;
}

/** The body's text as written, without the fences a hook drew (a chart's YAML is not reading matter). */
function textWithout(tokens: Token[], claimedFences: Set<Token>) {
  return tokens
    .filter((token) => !claimedFences.has(token))
    .map((token) => token.raw)
    .join("\n");
}

function isExternal(href: string) {
  return /^https?:\/\//i.test(href);
}

const NAMED_REFERENCES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };

function plainText(html: string) {
  // One pass, so "&amp;lt;" reads as "&lt;" and not "<".
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot);|&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};/g, (reference, name?: string) =>
      name === undefined ? decodeCharacterReferences(reference) : NAMED_REFERENCES[name]!,
    )
    .trim();
}

/** Wide tables scroll inside a focusable region instead of breaking the page at 320 px. */
function wrapTables(html: string) {
  let count = 0;
  return html
    .replace(/<table>/g, () => {
      count += 1;
      return `<div class="table-wrap" role="region" tabindex="0" aria-label="Table ${count}"><table>`;
    })
    .replace(/<\/table>/g, "</table></div>");
}

function countWords(markdown: string) {
  return markdown.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
