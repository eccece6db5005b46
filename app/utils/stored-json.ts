import { z } from "zod";

// JSON that we wrote ourselves (a column, a cache file, a browser draft) is still read back
// through the schema that describes it: an older format, a hand-edited database or a truncated
// file then fails loudly at the read, naming what was wrong, instead of deep inside a page.

class StoredJsonError extends Error {
  override name = "StoredJsonError";
}

/** `text` parsed as JSON and checked against `schema`; throws StoredJsonError naming `what`. */
export function parseStoredJson<Schema extends z.ZodType>(
  schema: Schema,
  text: string,
  what: string,
): z.output<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoredJsonError(`${what} is not JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success)
    throw new StoredJsonError(`${what} does not match its schema:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** As parseStoredJson, but null where the JSON is missing, malformed or of another shape. */
export function readStoredJson<Schema extends z.ZodType>(schema: Schema, text: string | null): z.output<Schema> | null {
  if (text === null) return null;
  try {
    return parseStoredJson(schema, text, "stored JSON");
  } catch (error) {
    if (error instanceof StoredJsonError) return null;
    throw error;
  }
}
