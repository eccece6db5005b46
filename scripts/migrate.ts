import { closeDb, db } from "~/db/client.server";
import { migrateToLatest } from "~/db/migrator.server";
import { getEnv } from "~/env.server";

const applied = await migrateToLatest(db);
const where = getEnv().DATABASE_PATH;
console.log(applied.length ? `Migrated ${where}: applied ${applied.join(", ")}` : `Database ${where} is up to date.`);
await closeDb();
