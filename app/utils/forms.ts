import type { z } from "zod";

export type FieldErrors = Partial<Record<string, string>>;

export type FormResult<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/** Parses a submitted form with a Zod schema; on failure, the first message for each field. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const input: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string") input[name] = value;
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { success: false, errors };
}

/** A text field's value: "" when it is missing, or when a multipart form sent a file under its name. */
export function textField(formData: FormData, name: string) {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** A form's text fields as one object, the last value of a repeated name winning; files are left out. */
export function textFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** What the user typed, to show again after an error: every field except the secret ones. */
export function keptValues(formData: FormData, secretFields: string[] = []) {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === "string" && !secretFields.includes(name)) values[name] = value.slice(0, 5000);
  }
  return values;
}
