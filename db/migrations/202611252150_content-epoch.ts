import { type Kysely, sql } from "kysely";

// One row holding a number that rises whenever anything a public page shows changes, written by
// triggers so every writer (the app, content import, a script in another process) bumps it.
// The page cache compares it per request. A later table that public pages show adds its own
// triggers in its own migration (see docs/decisions/0008-page-cache-and-content-epoch.md).

const WATCHED_TABLES = [
  "items",
  "item_authors",
  "item_themes",
  "item_tags",
  "item_slug_redirects",
  "authors",
  "communities",
  "community_members",
  "threads",
  "thread_themes",
  "thread_tags",
  "thread_items",
  "posts",
];

const BUMP = "update content_epoch set epoch = epoch + 1 where id = 1";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table content_epoch (id integer primary key check (id = 1), epoch integer not null)`.execute(db);
  await sql`insert into content_epoch (id, epoch) values (1, 1)`.execute(db);
  for (const table of WATCHED_TABLES) {
    for (const event of ["insert", "update", "delete"]) {
      await sql
        .raw(`create trigger ${table}_${event}_bumps_content_epoch after ${event} on ${table} begin ${BUMP}; end`)
        .execute(db);
    }
  }
  // Names and profiles appear beside what people wrote; sign-ins and password changes do not.
  await sql
    .raw(
      `create trigger users_profile_bumps_content_epoch after update of username, display_name, organisation, role, deleted_at on users begin ${BUMP}; end`,
    )
    .execute(db);
  await sql.raw(`create trigger users_delete_bumps_content_epoch after delete on users begin ${BUMP}; end`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of WATCHED_TABLES) {
    for (const event of ["insert", "update", "delete"]) {
      await sql.raw(`drop trigger if exists ${table}_${event}_bumps_content_epoch`).execute(db);
    }
  }
  await sql`drop trigger if exists users_profile_bumps_content_epoch`.execute(db);
  await sql`drop trigger if exists users_delete_bumps_content_epoch`.execute(db);
  await sql`drop table content_epoch`.execute(db);
}
