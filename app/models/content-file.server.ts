import { parse, stringify, YAMLParseError } from "yaml";
import type { z } from "zod";

import { type ItemMeta, ItemMetaSchema } from "./item-schema";

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

export type ContentProblem = { field: string; message: string };

export type ParsedContentFile = { ok: true; meta: ItemMeta; body: string } | { ok: false; problems: ContentProblem[] };

/** Reads a content file: YAML front matter validated by the one item schema, then markdown. */
export function parseContentFile(text: string): ParsedContentFile {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    return {
      ok: false,
      problems: [
        {
          field: "(front matter)",
          message: "the file must start with a front matter block between two lines of ---",
        },
      ],
    };
  }
  let data: unknown;
  try {
    data = parse(match[1] ?? "");
  } catch (error) {
    const detail = error instanceof YAMLParseError ? `${error.message.split("\n")[0]}` : "the YAML could not be read";
    return { ok: false, problems: [{ field: "(front matter)", message: detail }] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      problems: [{ field: "(front matter)", message: "front matter must be a set of key: value lines" }],
    };
  }
  const result = ItemMetaSchema.safeParse(data);
  if (!result.success) return { ok: false, problems: describeIssues(result.error) };
  return { ok: true, meta: result.data, body: (match[2] ?? "").replace(/^\s*\n/, "") };
}

function describeIssues(error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join(".") : "(front matter)",
    message: issue.message,
  }));
}

const KEY_ORDER = [
  "type",
  "title",
  "summary",
  "themes",
  "tags",
  "authors",
  "status",
  "published",
  "updated",
  "review_by",
  "licence",
];

/** Writes an item back out in exactly the content/ format. */
export function serialiseContentFile(meta: ItemMeta, body: string) {
  const ordered: Record<string, unknown> = {};
  for (const key of KEY_ORDER) {
    const value = (meta as Record<string, unknown>)[key];
    if (value !== undefined) ordered[key] = value;
  }
  for (const [key, value] of Object.entries(meta)) {
    if (!(key in ordered) && value !== undefined) ordered[key] = value;
  }
  const yaml = stringify(ordered, { lineWidth: 0 });
  return `---\n${yaml}---\n\n${body.trimEnd()}\n`;
}
