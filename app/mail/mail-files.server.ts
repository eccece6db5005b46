import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { simpleParser } from "mailparser";

// The .eml files the file transport writes when SMTP_URL is unset, for /dev/mail.

const FILE_NAME = /^[\w.-]+\.eml$/;

function listMailFiles(directory: string) {
  try {
    return readdirSync(directory)
      .filter((name) => FILE_NAME.test(name))
      .sort()
      .reverse()
      .slice(0, 200);
  } catch {
    return [];
  }
}

export async function summariseMailFiles(directory: string) {
  return Promise.all(
    listMailFiles(directory).map(async (file) => {
      const parsed = await simpleParser(readFileSync(path.join(directory, file)));
      return {
        file,
        subject: parsed.subject ?? "(no subject)",
        to: toText(parsed.to),
        date: parsed.date?.toISOString() ?? null,
      };
    }),
  );
}

function toText(value: { text: string } | { text: string }[] | undefined) {
  if (!value) return "";
  return (Array.isArray(value) ? value : [value]).map((entry) => entry.text).join(", ");
}

/** One message, or null if there is no such file (names are checked, so no path can escape the folder). */
export async function readMailFile(directory: string, file: string) {
  if (!FILE_NAME.test(file) || !listMailFiles(directory).includes(file)) return null;
  const raw = readFileSync(path.join(directory, file));
  const parsed = await simpleParser(raw);
  const text = parsed.text ?? "";
  return {
    raw: raw.toString("utf8"),
    subject: parsed.subject ?? "(no subject)",
    from: toText(parsed.from),
    to: toText(parsed.to),
    date: parsed.date?.toISOString() ?? null,
    listUnsubscribe:
      parsed.headerLines.find((header) => header.key === "list-unsubscribe")?.line.replace(/^[^:]*:\s*/, "") ?? null,
    text,
    links: [...new Set([...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]))],
  };
}
