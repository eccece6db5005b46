import path from "node:path";
import { fileURLToPath } from "node:url";

import { closeDb } from "~/db/client.server";

/** Where a command writes its lines: the terminal when it is run, a test's lists when a test calls it. */
type CommandOutput = { log: (line: string) => void; error: (line: string) => void };

/** A script's work: given its command-line arguments, it returns its exit code. */
export type Command = (args: string[], output: CommandOutput) => Promise<number>;

const terminal: CommandOutput = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};

/**
 * Runs `command` with the process's arguments when its module is the script Node started
 * (`npm run user:admin -- ...`), sets the exit code and closes the database so the process ends.
 * Imported by a test, it does nothing: the test calls the command itself.
 */
export async function runWhenStarted(moduleUrl: string, command: Command) {
  const started = process.argv[1];
  if (started === undefined || path.resolve(started) !== fileURLToPath(moduleUrl)) return;
  try {
    process.exitCode = await command(process.argv.slice(2), terminal);
  } finally {
    await closeDb();
  }
}
