import { type Kysely, sql } from "kysely";

// Notifications grow a kind about the member's own account, which belongs to no thread and no
// join request: "someone tried several wrong passwords for your account". SQLite cannot change a
// CHECK in place, so the table is rebuilt by SQLite's own recipe: its stored definition with the
// two checks widened, every column copied, its indexes made again. Working from the stored
// definition keeps any column another migration has added, whichever ran first.

const KIND_CHECK = "'join-declined')";
const WIDER_KIND_CHECK = "'join-declined', 'failed-sign-ins')";
const ABOUT_CHECK = "check (thread_id is not null or join_request_id is not null)";
const WIDER_ABOUT_CHECK = "check (thread_id is not null or join_request_id is not null or kind = 'failed-sign-ins')";

export async function up(db: Kysely<any>): Promise<void> {
  await rebuildNotifications(db, [
    [KIND_CHECK, WIDER_KIND_CHECK],
    [ABOUT_CHECK, WIDER_ABOUT_CHECK],
  ]);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where kind = 'failed-sign-ins'`.execute(db);
  await rebuildNotifications(db, [
    [WIDER_KIND_CHECK, KIND_CHECK],
    [WIDER_ABOUT_CHECK, ABOUT_CHECK],
  ]);
}

async function rebuildNotifications(db: Kysely<any>, swaps: [from: string, to: string][]) {
  const { rows: tables } = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = 'notifications'`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'index' and tbl_name = 'notifications' and sql is not null`.execute(db);
  const definition = tables[0]!.sql;
  let rewritten = definition;
  for (const [from, to] of swaps) {
    if (!rewritten.includes(from)) throw new Error(`notifications has no ${from} to change:\n${definition}`);
    rewritten = rewritten.replace(from, to);
  }
  await sql.raw(rewritten.replace(/^CREATE TABLE "notifications"/i, 'CREATE TABLE "notifications_rebuilt"')).execute(db);
  await sql`insert into notifications_rebuilt select * from notifications`.execute(db);
  await db.schema.dropTable("notifications").execute();
  await sql`alter table notifications_rebuilt rename to notifications`.execute(db);
  for (const index of indexes) await sql.raw(index.sql).execute(db);
}
