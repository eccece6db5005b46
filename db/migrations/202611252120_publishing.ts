import type { Kysely } from "kysely";

// Publishing in the browser: images uploaded into item bodies, stored in SQLite beside the item.
// Images are content-addressed (id = hash of the bytes), so a URL never changes what it serves.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("item_images")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("item_id", "integer", (c) => c.references("items.id").onDelete("set null"))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("bytes", "blob", (c) => c.notNull())
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("alt", "text", (c) => c.notNull())
    .addColumn("caption", "text")
    .addColumn("uploaded_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("item_images_item_id").on("item_images").column("item_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("item_images").execute();
}
