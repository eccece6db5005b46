import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { createServer } from "node:net";

/** A port nobody is listening on right now. */
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

export type ServerEnv = { DATABASE_PATH: string; PORT: number } & Record<string, string | number>;

function processEnv(env: ServerEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    SITE_URL: `http://127.0.0.1:${env.PORT}`,
    ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
  };
}

/** Runs one of our tsx scripts to completion with the given environment (migrate, import). */
function runScript(script: string, env: ServerEnv, args: string[] = []) {
  return execFileSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: processEnv(env),
    stdio: "pipe",
  }).toString();
}

/** Migrates a fresh database and imports content/ and its communities, as `npm start` does. */
export function prepareDatabase(env: ServerEnv) {
  runScript("scripts/migrate.ts", env);
  runScript("scripts/import-content.ts", env);
  runScript("scripts/import-communities.ts", env);
}

export type RunningServer = {
  /** The cluster primary; its server processes are its children. */
  child: ChildProcess;
  baseUrl: string;
  /** SITE_URL's origin (the address the scripts use): what a browser sends as Origin on a form post. */
  origin: string;
  output: () => string;
  exited: Promise<number | null>;
};

/** Starts scripts/server.ts (the production build) and waits until /healthz answers 200. */
export async function startServer(
  env: ServerEnv,
  { logFile, ownProcessGroup = false }: { logFile?: string; ownProcessGroup?: boolean } = {},
): Promise<RunningServer> {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` first.");
  let output = "";
  // SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under a benchmark.
  const nodeArgs = process.env.SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // In its own process group, the server's primary and its workers can be killed together (crash test).
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "scripts/server.ts"], {
    env: processEnv(env),
    stdio: "pipe",
    detached: ownProcessGroup,
  });
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  child.stdout?.on("data", (chunk: Buffer) => {
    if (log) log.write(chunk);
    else output = (output + chunk.toString()).slice(-20_000);
  });
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server exited early:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok)
        return { child, baseUrl, origin: new URL(processEnv(env).SITE_URL!).origin, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not become healthy within 30 s:\n${output}`);
}
