import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { startTestSmtpServer } from "../../support/smtp-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databasePath: string;
    /** Where the test SMTP server writes every message the app sends (one .eml file each). */
    mailDirectory: string;
  }
}

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitForHealthy(url: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited early:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The server did not become healthy within 120 s:\n${output()}`);
}

/** Serves the production build on a fresh database seeded from content/, over real HTTP. */
export default async function setup(project: TestProject) {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` first (npm test does).");
  const directory = mkdtempSync(path.join(tmpdir(), "commons-e2e-"));
  const port = await freePort();
  // A real SMTP server for the app to deliver to; browser tests read what arrives from files.
  const mailDirectory = path.join(directory, "received-mail");
  const smtp = await startTestSmtpServer({ directory: mailDirectory });
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    PORT: String(port),
    DATABASE_PATH: path.join(directory, "e2e.sqlite"),
    SITE_URL: `http://localhost:${port}`,
    SMTP_URL: smtp.url,
  };
  const tsx = (script: string) => execFileSync(process.execPath, ["--import", "tsx", script], { env, stdio: "pipe" });
  tsx("scripts/migrate.ts");
  tsx("scripts/import-content.ts");
  tsx("scripts/import-communities.ts");

  let log = "";
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], { env, stdio: "pipe" });
  server.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const baseUrl = `http://localhost:${port}`;
  await waitForHealthy(baseUrl, server, () => log.slice(-4000));

  project.provide("baseUrl", baseUrl);
  project.provide("databasePath", env.DATABASE_PATH);
  project.provide("mailDirectory", mailDirectory);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await smtp.close();
    if (/"level":"error"/.test(log))
      console.warn(
        `Server logged errors during the browser tests:\n${log
          .split("\n")
          .filter((l) => l.includes('"level":"error"'))
          .join("\n")}`,
      );
    rmSync(directory, { recursive: true, force: true });
  };
}
