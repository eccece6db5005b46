import { type Kysely, sql } from "kysely";

// Search freshness without coupling: every write to what search indexes appends (kind, id) to
// search_outbox, whichever process or feature made it. The search module reads the outbox in
// order and updates its index; nothing else needs to know search exists.

const ITEM_CHILD_TABLES = ["item_themes", "item_tags", "item_authors"] as const;
const THREAD_CHILD_TABLES = ["thread_themes", "thread_tags"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("search_outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('item', 'thread')`))
    .addColumn("ref_id", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
    .execute();

  const statements: string[] = [];
  for (const event of ["insert", "update", "delete"] as const) {
    const row = event === "delete" ? "old" : "new";
    statements.push(
      `create trigger search_outbox_items_${event} after ${event} on items begin
         insert into search_outbox (kind, ref_id) values ('item', ${row}.id); end`,
      `create trigger search_outbox_threads_${event} after ${event} on threads begin
         insert into search_outbox (kind, ref_id) values ('thread', ${row}.id); end`,
      `create trigger search_outbox_posts_${event} after ${event} on posts begin
         insert into search_outbox (kind, ref_id) values ('thread', ${row}.thread_id); end`,
    );
    if (event !== "update") {
      for (const table of ITEM_CHILD_TABLES) {
        statements.push(
          `create trigger search_outbox_${table}_${event} after ${event} on ${table} begin
             insert into search_outbox (kind, ref_id) values ('item', ${row}.item_id); end`,
        );
      }
      for (const table of THREAD_CHILD_TABLES) {
        statements.push(
          `create trigger search_outbox_${table}_${event} after ${event} on ${table} begin
             insert into search_outbox (kind, ref_id) values ('thread', ${row}.thread_id); end`,
        );
      }
    }
  }
  statements.push(
    `create trigger search_outbox_authors_update after update on authors begin
       insert into search_outbox (kind, ref_id) select 'item', item_id from item_authors where author_id = new.id; end`,
    `create trigger search_outbox_communities_update after update on communities begin
       insert into search_outbox (kind, ref_id) select 'thread', id from threads where community_id = new.id; end`,
    `create trigger search_outbox_communities_delete before delete on communities begin
       insert into search_outbox (kind, ref_id) select 'thread', id from threads where community_id = old.id; end`,
  );
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const triggers = await sql<{ name: string }>`
    select name from sqlite_master where type = 'trigger' and name like 'search_outbox_%'`.execute(db);
  for (const { name } of triggers.rows) await sql.raw(`drop trigger ${name}`).execute(db);
  await db.schema.dropTable("search_outbox").execute();
}
