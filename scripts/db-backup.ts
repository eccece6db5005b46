// npm run db:backup [-- FILE]: a consistent copy of the live database, safe while the app serves
// and writes, with FILE.sha256 beside it. Default FILE: db/backups/commons-<UTC time>.sqlite.
import { mkdirSync } from "node:fs";
import path from "node:path";

import { backupDatabase } from "~/db/backup.server";
import { getEnv } from "~/env.server";

import { type Command, runWhenStarted } from "./support/command";

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const backupCommand: Command = async (args, output) => {
  try {
    const source = getEnv().DATABASE_PATH;
    const target = path.resolve(
      args[0] ?? path.join("db", "backups", `commons-${new Date().toISOString().replace(/[:.]/g, "-")}.sqlite`),
    );
    mkdirSync(path.dirname(target), { recursive: true });
    output.log(`Backing up ${source}\n        to ${target}`);
    let lastShown = -1;
    const result = await backupDatabase({
      source,
      target,
      onProgress({ bytesWritten, estimatedBytes }) {
        const percent = Math.min(100, Math.floor((bytesWritten / Math.max(1, estimatedBytes)) * 100));
        if (percent === lastShown) return;
        lastShown = percent;
        output.log(
          `  ${String(percent).padStart(3)}%  ${megabytes(bytesWritten)} of about ${megabytes(estimatedBytes)}`,
        );
      },
    });
    output.log(
      `Backup complete in ${(result.durationMs / 1000).toFixed(2)} s: ${megabytes(result.bytes)}, integrity ok.\n` +
        `  sha256 ${result.sha256}\n  checksum written to ${result.checksumFile}`,
    );
    return 0;
  } catch (error) {
    output.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
};

await runWhenStarted(import.meta.url, backupCommand);
