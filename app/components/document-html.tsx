import { createContext, type ReactNode, useContext } from "react";

// Large trusted HTML (an item's rendered body) should reach the browser once. In a document
// request the loader hands it to the server render through this context instead of its data,
// and on hydration the component reads it back from the DOM the server sent. Client-side
// navigations fetch loader data, which then carries the HTML itself.
// See docs/decisions/0008-page-cache-and-content-epoch.md.

const DocumentHtmlContext = createContext<Map<string, string> | null>(null);

export function DocumentHtmlProvider({
  value,
  children,
}: {
  value: Map<string, string> | undefined;
  children: ReactNode;
}) {
  return <DocumentHtmlContext.Provider value={value ?? null}>{children}</DocumentHtmlContext.Provider>;
}

/** The HTML for the element with `id`: from loader data when it came with it, else from the document. */
export function useDocumentHtml(id: string, fromData: string | null): string {
  const serverHtml = useContext(DocumentHtmlContext);
  if (fromData !== null) return fromData;
  if (serverHtml) return serverHtml.get(id) ?? "";
  if (typeof document !== "undefined") return document.getElementById(id)?.innerHTML ?? "";
  return "";
}
