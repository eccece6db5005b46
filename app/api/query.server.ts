import { z } from "zod";

// Reading an API query string strictly: every parameter is known, given once and valid, or the
// caller hears exactly which one is wrong and why.

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class InvalidParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export const LimitSchema = z
  .string()
  .regex(/^\d{1,6}$/, "give a whole number")
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, "give a number from 1")
      .max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE} results come in one page; follow next_cursor for more`),
  );

/** An opaque position in a listing: the sort key and id of the last row returned. */
export const CursorSchema = z
  .string()
  .max(200, "this is not a cursor this API gave out")
  .transform((raw, context) => {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
      const parsed = z.tuple([z.string().min(1).max(40), z.number().int().positive()]).safeParse(decoded);
      if (parsed.success) return { sortKey: parsed.data[0], id: parsed.data[1] };
    } catch {
      // falls through to the issue below
    }
    context.addIssue({
      code: "custom",
      message: "this is not a cursor this API gave out; use next_cursor from a previous page",
    });
    return z.NEVER;
  });

export function encodeCursor(sortKey: string, id: number) {
  return Buffer.from(JSON.stringify([sortKey, id])).toString("base64url");
}

/** Parses a query string with a schema whose keys are the only parameters allowed. */
export function parseQuery<Shape extends z.ZodRawShape>(params: URLSearchParams, shape: Shape) {
  const allowed = Object.keys(shape);
  const values: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!allowed.includes(name)) {
      throw new InvalidParameter(
        name.slice(0, 60),
        allowed.length > 0
          ? `unknown parameter; this endpoint accepts ${allowed.join(", ")}`
          : "unknown parameter; this endpoint takes none",
      );
    }
    if (name in values) throw new InvalidParameter(name, "give this parameter at most once");
    values[name] = value;
  }
  const result = z.strictObject(shape).safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InvalidParameter(String(issue.path[0] ?? "query"), issue.message);
  }
  return result.data;
}
