import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// Benchmarks run against the production build on a throwaway database, over loopback.
// The database path is set before any app module is imported.

export const benchDirectory = mkdtempSync(path.join(tmpdir(), "commons-bench-"));
process.env.DATABASE_PATH = path.join(benchDirectory, "bench.sqlite");
process.env.NODE_ENV = "production";

export async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startProductionServer() {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` first.");
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  let log = "";
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
    env: { ...process.env, PORT: String(port), SITE_URL: baseUrl },
    stdio: "pipe",
  });
  server.stdout?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-200_000)));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`Server did not start:\n${log.slice(-2000)}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    baseUrl,
    serverErrors: () => log.split("\n").filter((line) => line.includes('"level":"error"')),
    async stop() {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    },
  };
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function cleanUp() {
  rmSync(benchDirectory, { recursive: true, force: true });
}
