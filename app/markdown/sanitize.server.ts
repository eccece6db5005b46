import sanitizeHtml from "sanitize-html";

// An allow-list of what rendered markdown may contain. Anything else (scripts, styles,
// event handlers, iframes, javascript: and data: URLs) is removed, whatever marked produced.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "em", "del", "s", "sup", "sub", "code", "pre", "kbd", "abbr",
    "a", "span", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "class"],
    h2: ["id"], h3: ["id"], h4: ["id"], h5: ["id"], h6: ["id"],
    span: ["class", "aria-hidden"],
    img: ["src", "alt", "title", "width", "height", "loading"],
    code: ["class"],
    th: ["align", "scope"],
    td: ["align"],
    ol: ["start"],
    abbr: ["title"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: {
    a: ["external", "heading-anchor"],
    span: ["visually-hidden"],
    code: [/^language-[a-z0-9-]+$/i],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    input: (tagName, attribs) =>
      attribs.type === "checkbox"
        ? { tagName, attribs: { ...attribs, disabled: "" } }
        : { tagName: "span", attribs: {} },
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: "lazy" } }),
  },
};

export function sanitizeRenderedHtml(html: string) {
  return sanitizeHtml(html, OPTIONS);
}
