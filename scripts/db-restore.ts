// npm run db:restore -- FILE [--skip-checksum]: verifies a backup (checksum, PRAGMA integrity_check)
// and swaps it in for the live database. Stop the app first: a database in use is refused.
import { parseArgs } from "node:util";

import { RestoreRefused, restoreDatabase } from "~/db/backup.server";
import { getEnv } from "~/env.server";

import { type Command, runWhenStarted } from "./support/command";

export const restoreCommand: Command = async (args, output) => {
  const { values, positionals } = parseArgs({
    args,
    options: { "skip-checksum": { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const backup = positionals[0];
  if (!backup) {
    output.error("Usage: npm run db:restore -- FILE [--skip-checksum]   (stop the app first)");
    return 1;
  }
  const target = getEnv().DATABASE_PATH;
  try {
    output.log(`Verifying ${backup} ...`);
    const result = await restoreDatabase({ backup, target, requireChecksum: !values["skip-checksum"] });
    output.log(
      `Restored ${target} from ${backup}: checksum and integrity ok, ${result.items} items, ` +
        `${result.migrations.length} migrations (latest ${result.migrations.at(-1) ?? "none"}).`,
    );
    if (result.keptAs) output.log(`The database it replaced is kept as ${result.keptAs}.`);
    output.log("Start the app again with `npm start` (it applies any newer migrations).");
    return 0;
  } catch (error) {
    if (!(error instanceof RestoreRefused)) throw error;
    output.error(`Restore refused, nothing was changed: ${error.message}`);
    return 1;
  }
};

await runWhenStarted(import.meta.url, restoreCommand);
