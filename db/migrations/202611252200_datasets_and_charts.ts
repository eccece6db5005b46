import { type Kysely, sql } from "kysely";

// Datasets attached to data stories (the bytes themselves, as published, with a checksum) and
// the numbers behind each chart, kept when an item is rendered so downloads never re-render.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("datasets")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("publisher", "text", (c) => c.notNull())
    .addColumn("source_url", "text", (c) => c.notNull())
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("attribution", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull().check(sql`format in ('csv', 'ocds')`))
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull().check(sql`size_bytes <= 5242880`))
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("content", "blob", (c) => c.notNull())
    .addColumn("notes_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('content', 'upload')`))
    .addColumn("created_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("datasets_item_file_unique")
    .on("datasets")
    .columns(["item_id", "file_name"])
    .unique()
    .execute();

  await db.schema
    .createTable("item_charts")
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("csv", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("item_charts_pk", ["item_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("item_charts").execute();
  await db.schema.dropTable("datasets").execute();
}
