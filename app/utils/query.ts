/** Reads a free-text query parameter, bounded so that no input can make a query expensive. */
export function readParam(params: URLSearchParams, name: string, maxLength = 80) {
  const value = params.get(name)?.trim();
  return value ? value.slice(0, maxLength) : undefined;
}

/** A 1-based page number; anything that is not a sensible positive integer is page 1. */
export function readPage(params: URLSearchParams) {
  const raw = params.get("page") ?? "";
  if (!/^\d{1,6}$/.test(raw)) return 1;
  return Math.max(1, Number(raw));
}
