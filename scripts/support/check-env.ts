import { getEnv } from "~/env.server";

// Imported first by scripts/server.ts: a bad environment stops start-up with a message naming
// the variable, before any module that reads the environment at import time can throw a stack.
try {
  getEnv();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
