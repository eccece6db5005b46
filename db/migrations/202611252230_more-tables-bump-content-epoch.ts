import { type Kysely, sql } from "kysely";

// Tables added since the content epoch whose rows public pages show: Helpful counts on items and
// replies, and the datasets listed under a data story. Their writes must re-render cached pages.

const WATCHED_TABLES = ["reactions", "datasets"];
const BUMP = "update content_epoch set epoch = epoch + 1 where id = 1";

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of WATCHED_TABLES) {
    for (const event of ["insert", "update", "delete"]) {
      await sql
        .raw(`create trigger ${table}_${event}_bumps_content_epoch after ${event} on ${table} begin ${BUMP}; end`)
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WATCHED_TABLES) {
    for (const event of ["insert", "update", "delete"]) {
      await sql.raw(`drop trigger if exists ${table}_${event}_bumps_content_epoch`).execute(db);
    }
  }
}
