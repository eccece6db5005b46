import { escapeHtml } from "~/utils/html";

// Pages for requests refused before Remix sees them (a cross-site form, a body too large to take
// in): plain HTML in the site's colours, because there is no render to put them in.

type Refusal = { status: number; title: string; paragraphs: string[] };

export const CROSS_SITE_REQUEST: Refusal = {
  status: 403,
  title: "We blocked that request to keep your account safe",
  paragraphs: [
    "The form you sent came from another website, not from Procurement Commons. Sites sometimes try to make your browser act on your behalf without you knowing, so we only accept changes sent from our own pages.",
    "Nothing was changed. If you were using Procurement Commons, go back to the home page, open the page again and resend the form from there.",
  ],
};

export function tooLargeRefusal(limitBytes: number, { isUpload }: { isUpload: boolean }): Refusal {
  const limit = `${Math.round(limitBytes / (1024 * 1024))} MB`;
  return {
    status: 413,
    title: "That was too much to send at once",
    paragraphs: isUpload
      ? [
          `That was too much to send at once (more than ${limit}), so nothing was saved. Use your browser's Back button to return to your text, then shorten it or split it into more than one item.`,
        ]
      : [
          `The form sent more than ${limit}, which is more than any of our forms needs, so nothing was saved.`,
          "Use your browser's Back button to return to the form, shorten what you typed and send it again.",
        ],
  };
}

/** The refusal as a whole HTML page. */
export function refusalPage(refusal: Refusal, { nonce, siteUrl }: { nonce: string; siteUrl: string }) {
  const home = escapeHtml(siteUrl);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(refusal.title)} | Procurement Commons</title>
<style nonce="${escapeHtml(nonce)}">
body { margin: 0; font: 1.0625rem/1.5 system-ui, sans-serif; color: #0b0c0c; background: #fff; }
main { max-width: 38rem; margin: 3rem auto; padding: 0 1.25rem; }
.status { font-weight: 700; color: #b10e1e; margin: 0; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
a { color: #1d4f91; text-decoration-thickness: 1px; text-underline-offset: 0.15em; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
</style>
</head>
<body>
<main>
<p class="status">Error ${refusal.status}</p>
<h1>${escapeHtml(refusal.title)}</h1>
${refusal.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join("\n")}
<p><a href="${home}/">Go to the home page</a></p>
</main>
</body>
</html>
`;
}

/** The same refusal as plain text, for clients that did not ask for HTML (scripts, curl). */
export function refusalText(refusal: Refusal) {
  return `Error ${refusal.status}: ${refusal.title}\n\n${refusal.paragraphs.join("\n\n")}\n`;
}
