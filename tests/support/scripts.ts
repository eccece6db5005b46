import { type ChildProcess, spawn } from "node:child_process";

import type { Command } from "../../scripts/support/command";

export type Finished = { code: number | null; stdout: string; stderr: string };

/**
 * Calls a script's command in this process, on this test file's database, and returns what running
 * it would have: exit code and output. Much faster than a process; each script keeps one test that
 * runs it for real (`runScript`), to show the command line works end to end.
 */
export async function callCommand(command: Command, args: string[] = []): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  const code = await command(args, {
    log: (line) => (stdout += `${line}\n`),
    error: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

/** Starts one of our tsx scripts as its own process, with this test file's database. */
export function startScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  return { child: child as ChildProcess, finished, output: () => stdout };
}

export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  return startScript(script, args, env).finished;
}

/** The "ack <slug> <version>" lines a writer printed: the writes it saw committed. */
export function acknowledged(stdout: string) {
  const versions = new Map<string, number>();
  for (const [, slug, version] of stdout.matchAll(/^ack (\S+) (\d+)$/gm))
    versions.set(slug!, Math.max(versions.get(slug!) ?? 0, Number(version)));
  return versions;
}
