// npm run db:restore -- FILE [--skip-checksum]: verifies a backup (checksum, PRAGMA integrity_check)
// and swaps it in for the live database. Stop the app first: a database in use is refused.
import { parseArgs } from "node:util";

import { RestoreRefused, restoreDatabase } from "~/db/backup.server";
import { getEnv } from "~/env.server";

const { values, positionals } = parseArgs({
  options: { "skip-checksum": { type: "boolean", default: false } },
  allowPositionals: true,
});
const backup = positionals[0];

if (!backup) {
  console.error("Usage: npm run db:restore -- FILE [--skip-checksum]   (stop the app first)");
  process.exitCode = 1;
} else {
  const target = getEnv().DATABASE_PATH;
  try {
    console.log(`Verifying ${backup} ...`);
    const result = await restoreDatabase({ backup, target, requireChecksum: !values["skip-checksum"] });
    console.log(
      `Restored ${target} from ${backup}: checksum and integrity ok, ${result.items} items, ` +
        `${result.migrations.length} migrations (latest ${result.migrations.at(-1) ?? "none"}).`,
    );
    if (result.keptAs) console.log(`The database it replaced is kept as ${result.keptAs}.`);
    console.log("Start the app again with `npm start` (it applies any newer migrations).");
  } catch (error) {
    if (!(error instanceof RestoreRefused)) throw error;
    console.error(`Restore refused, nothing was changed: ${error.message}`);
    process.exitCode = 1;
  }
}
