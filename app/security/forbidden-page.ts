import { escapeHtml } from "~/utils/html";

/** The page a cross-site form submission gets: plain HTML, because Remix never sees the request. */
export function crossSiteRequestPage({ nonce, siteUrl }: { nonce: string; siteUrl: string }) {
  const home = escapeHtml(siteUrl);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Request blocked | Procurement Commons</title>
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
<p class="status">Error 403</p>
<h1>We blocked that request to keep your account safe</h1>
<p>The form you sent came from another website, not from Procurement Commons. Sites sometimes try to
make your browser act on your behalf without you knowing, so we only accept changes sent from our own pages.</p>
<p>Nothing was changed. If you were using Procurement Commons, <a href="${home}/">go back to the home page</a>,
open the page again and resend the form from there.</p>
</main>
</body>
</html>
`;
}
