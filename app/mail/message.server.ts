import { escapeHtml } from "~/utils/html";

// Every message we send is built from the same few blocks and rendered twice: a plain-text part
// (what screen readers and text-only clients get, and what spam filters compare) and a simple,
// accessible HTML part (one column, real headings, link text that says where it goes, no images).

export type MailBlock =
  | { type: "paragraph"; text: string }
  /** Someone else's words (a reply), shown as a quotation. */
  | { type: "quote"; text: string; cite?: string }
  | { type: "action"; label: string; href: string }
  | { type: "heading"; text: string }
  | { type: "list"; items: { text: string; href?: string; detail?: string }[] };

export type MailContent = {
  subject: string;
  /** The first line a mail client previews. */
  preheader?: string;
  heading: string;
  blocks: MailBlock[];
  /** Why this message was sent, in one or two sentences. */
  reason: string;
  /** Links at the foot: the email settings, and for notifications the one-click unsubscribe. */
  footerLinks: { label: string; href: string }[];
};

export type RenderedMail = { subject: string; text: string; html: string };

const SITE_NAME = "Procurement Commons";

function wrap(text: string, width = 76) {
  return text
    .split("\n")
    .map((line) => {
      const words = line.split(/ +/);
      const lines: string[] = [];
      let current = "";
      for (const word of words) {
        if (current && current.length + 1 + word.length > width) {
          lines.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      lines.push(current);
      return lines.join("\n");
    })
    .join("\n");
}

function textBlock(block: MailBlock): string {
  switch (block.type) {
    case "paragraph":
      return wrap(block.text);
    case "heading":
      return `${block.text}\n${"-".repeat(Math.min(block.text.length, 76))}`;
    case "quote":
      return [
        ...(block.cite ? [`${block.cite}:`] : []),
        ...wrap(block.text, 72)
          .split("\n")
          .map((line) => `> ${line}`),
      ].join("\n");
    case "action":
      return `${block.label}:\n${block.href}`;
    case "list":
      return block.items
        .map((item) =>
          [`* ${item.text}`, item.detail ? `  ${item.detail}` : null, item.href ? `  ${item.href}` : null]
            .filter(Boolean)
            .join("\n"),
        )
        .join("\n\n");
  }
}

const STYLE = {
  body: "margin:0;padding:0;background:#f3f2f1;",
  container:
    "max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;",
  brand: "margin:0 0 16px;font-size:16px;font-weight:bold;color:#0b0c0c;",
  heading: "margin:0 0 16px;font-size:24px;line-height:1.25;color:#0b0c0c;",
  subheading: "margin:24px 0 8px;font-size:19px;line-height:1.3;color:#0b0c0c;",
  paragraph: "margin:0 0 16px;",
  quote: "margin:0 0 16px;padding:0 0 0 12px;border-left:4px solid #b1b4b6;color:#0b0c0c;",
  action:
    "display:inline-block;margin:0 0 16px;padding:10px 16px;background:#00703c;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:2px;",
  link: "color:#1d70b8;",
  footer: "margin:24px 0 0;padding:16px 0 0;border-top:1px solid #b1b4b6;font-size:14px;color:#505a5f;",
};

function htmlText(text: string) {
  return escapeHtml(text).replace(/\n/g, "<br>");
}

function htmlBlock(block: MailBlock): string {
  switch (block.type) {
    case "paragraph":
      return `<p style="${STYLE.paragraph}">${htmlText(block.text)}</p>`;
    case "heading":
      return `<h2 style="${STYLE.subheading}">${escapeHtml(block.text)}</h2>`;
    case "quote":
      return (
        (block.cite ? `<p style="${STYLE.paragraph}">${escapeHtml(block.cite)}:</p>` : "") +
        `<blockquote style="${STYLE.quote}"><p style="${STYLE.paragraph}">${htmlText(block.text)}</p></blockquote>`
      );
    case "action":
      return `<p style="${STYLE.paragraph}"><a href="${escapeHtml(block.href)}" style="${STYLE.action}">${escapeHtml(block.label)}</a></p>`;
    case "list":
      return `<ul style="${STYLE.paragraph}padding-left:20px;">${block.items
        .map(
          (item) =>
            `<li style="margin:0 0 8px;">${
              item.href
                ? `<a href="${escapeHtml(item.href)}" style="${STYLE.link}">${escapeHtml(item.text)}</a>`
                : escapeHtml(item.text)
            }${item.detail ? `<br><span style="color:#505a5f;">${escapeHtml(item.detail)}</span>` : ""}</li>`,
        )
        .join("")}</ul>`;
  }
}

/** The plain-text and HTML parts of a message. Everything interpolated is escaped. */
export function renderMail(content: MailContent): RenderedMail {
  const text = [
    SITE_NAME,
    "",
    content.heading,
    "=".repeat(Math.min(content.heading.length, 76)),
    "",
    content.blocks.map(textBlock).join("\n\n"),
    "",
    "--",
    wrap(content.reason),
    ...content.footerLinks.map((link) => `${link.label}: ${link.href}`),
    "",
  ].join("\n");

  const preheader = content.preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(content.preheader)}</div>`
    : "";
  const footerLinks = content.footerLinks
    .map((link) => `<a href="${escapeHtml(link.href)}" style="${STYLE.link}">${escapeHtml(link.label)}</a>`)
    .join(" · ");
  const html = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="${STYLE.body}">
${preheader}
<div role="article" aria-label="${escapeHtml(content.subject)}" lang="en-GB" style="${STYLE.container}">
<p style="${STYLE.brand}">${SITE_NAME}</p>
<h1 style="${STYLE.heading}">${escapeHtml(content.heading)}</h1>
${content.blocks.map(htmlBlock).join("\n")}
<div style="${STYLE.footer}">
<p style="margin:0 0 8px;">${htmlText(content.reason)}</p>
${footerLinks ? `<p style="margin:0;">${footerLinks}</p>` : ""}
</div>
</div>
</body>
</html>
`;
  return { subject: content.subject, text, html };
}

/** Plain text of a reply for quoting in a message: markdown marks dropped, at most `max` characters. */
export function excerptOfMarkdown(markdown: string, max = 400) {
  const plain = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^>\s?/gm, "")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/[*_`~]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return plain.length > max ? `${plain.slice(0, max).trimEnd()}…` : plain;
}
