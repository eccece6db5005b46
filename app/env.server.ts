import { existsSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("db/commons.sqlite"),
    SITE_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .transform((env) => ({
    ...env,
    DATABASE_PATH: path.resolve(env.DATABASE_PATH),
    SITE_URL: (env.SITE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
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
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}\nSee .env.example.`);
  }
  cached = result.data;
  return cached;
}
