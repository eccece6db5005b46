import sanitizeHtml from "sanitize-html";

// An allow-list of what rendered markdown may contain. Anything else (scripts, styles,
// event handlers, iframes, javascript: and data: URLs) is removed, whatever marked produced.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
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
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "class"],
    h2: ["id"],
    h3: ["id"],
    h4: ["id"],
    h5: ["id"],
    h6: ["id"],
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
    span: ["visually-hidden", "figure", "figure__caption"],
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
    img: (tagName, attribs) => {
      // Relative images may only be our own uploads, never another same-site URL that does something.
      const { src, ...rest } = attribs;
      const isAllowed =
        src !== undefined && (/^https?:\/\//i.test(src) || /^\/images\/[a-f0-9]{32}\.(?:png|jpg|webp)$/.test(src));
      return { tagName, attribs: { ...rest, ...(isAllowed ? { src } : {}), loading: "lazy" } };
    },
  },
};

export function sanitizeRenderedHtml(html: string) {
  return sanitizeHtml(html, OPTIONS);
}
