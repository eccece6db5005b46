import { readFileSync } from "node:fs";
import path from "node:path";

import { parse as parseYaml } from "yaml";
import { z } from "zod";

import { getEnv } from "~/env.server";
import { renderMarkdown } from "~/markdown/render.server";

// The launch pages (privacy notice, cookies, terms, house rules, contact) are markdown files in
// content/pages, written as a service would write them. Placeholders such as {{OPERATOR_NAME}}
// are filled from the environment, so an operator can either set the variables or edit the file.

export const SITE_PAGES = ["privacy", "cookies", "terms", "house-rules", "contact"] as const;
export type SitePageSlug = (typeof SITE_PAGES)[number];

const FrontMatterSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1).max(300),
  updated: z.iso.date(),
});

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;

function placeholderValues() {
  const env = getEnv();
  const unset = (name: string) => `[${name} not set: see the README]`;
  return {
    OPERATOR_NAME: env.OPERATOR_NAME ?? unset("OPERATOR_NAME"),
    OPERATOR_ADDRESS: env.OPERATOR_ADDRESS ?? unset("OPERATOR_ADDRESS"),
    CONTACT_EMAIL: env.CONTACT_EMAIL ?? unset("CONTACT_EMAIL"),
    DATA_PROTECTION_EMAIL: env.DATA_PROTECTION_EMAIL ?? env.CONTACT_EMAIL ?? unset("DATA_PROTECTION_EMAIL"),
    ICO_REGISTRATION_NUMBER: env.ICO_REGISTRATION_NUMBER ?? unset("ICO_REGISTRATION_NUMBER"),
    SITE_URL: env.SITE_URL,
  } as Record<string, string>;
}

/** The placeholders the environment leaves unfilled, for the start-up warning in production. */
export function unfilledPlaceholders() {
  const env = getEnv();
  return (["OPERATOR_NAME", "OPERATOR_ADDRESS", "CONTACT_EMAIL"] as const).filter((name) => !env[name]);
}

const rendered = new Map<SitePageSlug, { title: string; description: string; updated: string; html: string }>();

export function getSitePage({ slug }: { slug: SitePageSlug }) {
  const kept = rendered.get(slug);
  if (kept) return kept;
  const text = readFileSync(path.resolve("content/pages", `${slug}.md`), "utf8");
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`content/pages/${slug}.md has no front matter`);
  const meta = FrontMatterSchema.parse(parseYaml(match[1]!));
  const values = placeholderValues();
  const body = match[2]!.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
  const page = { ...meta, html: renderMarkdown(body).html };
  rendered.set(slug, page);
  return page;
}
