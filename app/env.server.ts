import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";

import { z } from "zod";

function wholeNumber(expected: string, min: number, max: number) {
  return z.coerce
    .number({ error: `must be ${expected}` })
    .int({ error: `must be ${expected}` })
    .min(min, { error: `must be ${expected}` })
    .max(max, { error: `must be ${expected}` });
}

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: wholeNumber("a port number from 1 to 65535", 1, 65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("db/commons.sqlite"),
    SITE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Anonymous pages kept rendered in memory; 0 turns the page cache off. */
    PAGE_CACHE_MAX_ENTRIES: wholeNumber("a whole number of pages, 0 to turn the cache off", 0, 100_000).default(500),
    /** Even with no write, a cached page is re-rendered after this long (dates move on). */
    PAGE_CACHE_MAX_AGE_SECONDS: wholeNumber("a whole number of seconds from 1 to 86400", 1, 86_400).default(300),
    /** How long SIGTERM waits for in-flight requests before giving up. */
    SHUTDOWN_TIMEOUT_SECONDS: wholeNumber("a whole number of seconds from 1 to 600", 1, 600).default(10),
    /** Server processes sharing the port in production (each holds its own search index and page cache). */
    WEB_CONCURRENCY: wholeNumber("a whole number of processes from 1 to 64", 1, 64).optional(),
    /** Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. Unset: .eml files. */
    SMTP_URL: z
      .url({
        protocol: /^smtps?$/,
        error: "must be an smtp:// or smtps:// URL, like smtp://user:password@mail.example.org:587",
      })
      .optional(),
    /** The From of every message: an address, or a name and an address in angle brackets. */
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^(?:[^<>@\r\n]+<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
        error:
          'must be an email address, or a name and an address like "Procurement Commons <no-reply@example.gov.uk>"',
      })
      .optional(),
    /** Who runs the service, as the privacy notice, terms and contact page name them (see content/pages). */
    OPERATOR_NAME: z.string().trim().min(1).optional(),
    OPERATOR_ADDRESS: z.string().trim().min(1).optional(),
    CONTACT_EMAIL: z.email({ error: "must be an email address" }).optional(),
    DATA_PROTECTION_EMAIL: z.email({ error: "must be an email address" }).optional(),
    ICO_REGISTRATION_NUMBER: z.string().trim().min(1).optional(),
  })
  .transform((env) => ({
    ...env,
    DATABASE_PATH: path.resolve(env.DATABASE_PATH),
    SITE_URL: (env.SITE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    MAIL_FROM:
      env.MAIL_FROM ?? `Procurement Commons <no-reply@${new URL(env.SITE_URL ?? "http://localhost").hostname}>`,
    /** Unset SMTP_URL: messages are written here as .eml files instead of being delivered. */
    MAIL_DIRECTORY: `${path.resolve(env.DATABASE_PATH)}-mail`,
    // Production uses every core unless told otherwise; development runs one process, which `remix dev` reloads.
    WEB_CONCURRENCY: env.NODE_ENV === "production" ? (env.WEB_CONCURRENCY ?? availableParallelism()) : 1,
  }));

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Parses the environment once; a bad value stops start-up with a message naming it. */
export function getEnv(): Env {
  if (cached) return cached;
  if (process.env.NODE_ENV !== "test" && existsSync(".env")) process.loadEnvFile(".env");
  const result = EnvSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues
      .map(
        (issue) =>
          `  ${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(process.env[String(issue.path[0])] ?? null)})`,
      )
      .join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}\nSee .env.example.`);
  }
  cached = result.data;
  return cached;
}
