import { CACHE_API, cacheableResponse } from "~/utils/http.server";

// The public API's responses: JSON, cacheable by anyone, readable from any origin.

const API_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "X-Content-Type-Options": "nosniff",
};

export function apiJson(request: Request, data: unknown, { cacheControl = CACHE_API } = {}) {
  return cacheableResponse(request, JSON.stringify(data), {
    contentType: "application/json; charset=utf-8",
    cacheControl,
    headers: API_HEADERS,
  });
}

type ApiErrorBody = { error: { status: number; code: string; message: string; parameter?: string } };

export function apiError(
  status: number,
  { code, message, parameter }: { code: string; message: string; parameter?: string },
  headers: Record<string, string> = {},
) {
  const body: ApiErrorBody = { error: { status, code, message, ...(parameter ? { parameter } : {}) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      ...API_HEADERS,
      ...headers,
    },
  });
}

/** The API is read-only: anything but GET and HEAD is answered here. */
export function methodNotAllowed() {
  return apiError(
    405,
    { code: "method_not_allowed", message: "This API is read-only: use GET or HEAD." },
    { Allow: "GET, HEAD" },
  );
}

export function notFound(message: string) {
  return apiError(404, { code: "not_found", message });
}
