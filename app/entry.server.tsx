import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";

import { NonceProvider } from "~/utils/nonce";
import { DocumentHtmlProvider } from "~/components/document-html";

// Rendered to a string, not streamed: no route defers data, so a stream would only send the same
// bytes later, through three layers of stream adapters that cost more than the render's tail.
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  appendSessionCookies(responseHeaders, loadContext);
  const html = renderToString(
    <NonceProvider value={loadContext.cspNonce ?? ""}>
      <DocumentHtmlProvider value={loadContext.documentHtml}>
        <RemixServer context={remixContext} url={request.url} nonce={loadContext.cspNonce} />
      </DocumentHtmlProvider>
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}

function appendSessionCookies(headers: Headers, context: AppLoadContext) {
  for (const cookie of context.setCookies ?? []) headers.append("Set-Cookie", cookie);
}

export function handleDataRequest(response: Response, { context }: LoaderFunctionArgs | ActionFunctionArgs) {
  appendSessionCookies(response.headers, context);
  return response;
}

export function handleError(
  error: unknown,
  { request, context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  if (request.signal.aborted) return;
  const requestId = (context as { requestId?: string }).requestId;
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      level: "error",
      msg: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
      requestId,
      path: new URL(request.url).pathname,
    }),
  );
}
