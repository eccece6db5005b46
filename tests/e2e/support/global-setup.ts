import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
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

const SERVER_PROCESSES = 2;

/** The status of a GET on a connection of its own, which the cluster hands to the next server process in turn. */
function statusOnNewConnection(url: string) {
  return new Promise<number>((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

/**
 * Waits until the server is ready for the journeys: every server process listening (each logs
 * it once) and its search index loaded, which /healthz does not wait for. A search before then
 * is answered "search is getting ready", so whichever test file ran first would see that.
 */
async function waitForReady(url: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + 120_000;
  let waitingFor = "the server to answer";
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited early:\n${output().slice(-4000)}`);
    try {
      const listening = output().match(/"msg":"Procurement Commons listening/g)?.length ?? 0;
      if (listening < SERVER_PROCESSES)
        waitingFor = `${SERVER_PROCESSES} server processes to listen (${listening} so far)`;
      else if ((await fetch(`${url}/healthz`)).ok) {
        // Every process loads its own index: ask each of them, twice over.
        let answered = 0;
        while (
          answered < SERVER_PROCESSES * 2 &&
          (await statusOnNewConnection(`${url}/api/v1/search?q=procurement`)) === 200
        )
          answered += 1;
        if (answered === SERVER_PROCESSES * 2) return;
        waitingFor = "the search index";
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The server was not ready within 120 s (waiting for ${waitingFor}):\n${output().slice(-4000)}`);
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
    // Production's default is one process per core: fixed here, so the journeys run the same on any machine.
    WEB_CONCURRENCY: String(SERVER_PROCESSES),
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
  await waitForReady(baseUrl, server, () => log);

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
