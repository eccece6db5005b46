import type { AppLoadContext } from "@remix-run/node";

/**
 * For a document request, hands `html` to the server render (see useDocumentHtml) and returns
 * null so the loader data does not repeat it; for a data request returns it unchanged.
 */
export function htmlForDocumentOnce(context: AppLoadContext, id: string, html: string): string | null {
  if (!context.documentHtml) return html;
  context.documentHtml.set(id, html);
  return null;
}
