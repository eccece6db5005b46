import { type Kysely, sql } from "kysely";

// The whole product's core: people, the library of items, and the shape of discussions.
// Later migrations add what their features need; this one never changes once shipped.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("role", "text", (c) =>
      c.notNull().defaultTo("member").check(sql`role in ('member', 'moderator', 'admin')`),
    )
    .addColumn("organisation", "text")
    .addColumn("organisation_type", "text")
    .addColumn("job_role", "text")
    .addColumn("side", "text")
    .addColumn("bio", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await sql`create unique index users_email_unique on users (email collate nocase)`.execute(db);
  await sql`create unique index users_username_unique on users (username collate nocase)`.execute(db);

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("authors")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("organisation", "text")
    .addColumn("role", "text")
    .addColumn("user_id", "text", (c) => c.unique().references("users.id").onDelete("set null"))
    .execute();

  await db.schema
    .createTable("items")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("type", "text", (c) =>
      c.notNull().check(sql`type in ('case-study', 'tip', 'data-story')`),
    )
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("toc_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("word_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("fields_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("organisation_type", "text")
    .addColumn("nation", "text")
    .addColumn("region", "text")
    .addColumn("regime", "text")
    .addColumn("procedure", "text")
    .addColumn("contract_category", "text")
    .addColumn("value_band", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'published', 'archived')`),
    )
    .addColumn("licence", "text", (c) => c.notNull().defaultTo("CC-BY-4.0"))
    .addColumn("review_by", "text")
    .addColumn("published_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("source_path", "text", (c) => c.unique())
    .addColumn("source_hash", "text")
    .addColumn("preview_token", "text", (c) => c.unique())
    .addColumn("created_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema
    .createIndex("items_status_published_at")
    .on("items")
    .columns(["status", "published_at"])
    .execute();
  await db.schema.createIndex("items_type_status").on("items").columns(["type", "status"]).execute();

  await db.schema
    .createTable("item_authors")
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("author_id", "integer", (c) => c.notNull().references("authors.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("item_authors_pk", ["item_id", "author_id"])
    .execute();
  await db.schema.createIndex("item_authors_author_id").on("item_authors").column("author_id").execute();

  await db.schema
    .createTable("item_themes")
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("theme", "text", (c) =>
      c.notNull().check(sql`theme in ('upstream', 'downstream', 'partnership')`),
    )
    .addPrimaryKeyConstraint("item_themes_pk", ["item_id", "theme"])
    .execute();
  await db.schema.createIndex("item_themes_theme").on("item_themes").column("theme").execute();

  await db.schema
    .createTable("item_tags")
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("item_tags_pk", ["item_id", "tag"])
    .execute();
  await db.schema.createIndex("item_tags_tag").on("item_tags").column("tag").execute();

  await db.schema
    .createTable("item_revisions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("meta_json", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("item_revisions_item_version", ["item_id", "version"])
    .execute();

  await db.schema
    .createTable("item_slug_redirects")
    .addColumn("slug", "text", (c) => c.primaryKey())
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .execute();

  await db.schema
    .createTable("communities")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('region', 'sector', 'topic')`))
    .addColumn("visibility", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`visibility in ('open', 'members')`),
    )
    .addColumn("created_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("community_members")
    .addColumn("community_id", "integer", (c) =>
      c.notNull().references("communities.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("community_members_pk", ["community_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("community_members_user_id")
    .on("community_members")
    .column("user_id")
    .execute();

  await db.schema
    .createTable("threads")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('item', 'discussion', 'question')`),
    )
    .addColumn("community_id", "integer", (c) => c.references("communities.id").onDelete("cascade"))
    .addColumn("item_id", "integer", (c) => c.unique().references("items.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("author_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("accepted_post_id", "integer")
    .addColumn("is_locked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_pinned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_hidden", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_activity_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "threads_home",
      sql`(kind = 'item' and item_id is not null) or (kind <> 'item' and community_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex("threads_community_activity")
    .on("threads")
    .columns(["community_id", "last_activity_at"])
    .execute();

  for (const [table, column, check] of [
    ["thread_themes", "theme", sql`theme in ('upstream', 'downstream', 'partnership')`],
    ["thread_tags", "tag", sql`1`],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn("thread_id", "integer", (c) =>
        c.notNull().references("threads.id").onDelete("cascade"),
      )
      .addColumn(column, "text", (c) => c.notNull().check(check))
      .addPrimaryKeyConstraint(`${table}_pk`, ["thread_id", column])
      .execute();
  }

  await db.schema
    .createTable("thread_items")
    .addColumn("thread_id", "integer", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("thread_items_pk", ["thread_id", "item_id"])
    .execute();

  await db.schema
    .createTable("posts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("thread_id", "integer", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("parent_post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("author_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("is_hidden", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("edited_at", "text")
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema.createIndex("posts_thread_created").on("posts").columns(["thread_id", "created_at"]).execute();
  await db.schema.createIndex("posts_author").on("posts").column("author_user_id").execute();

  await db.schema
    .createTable("post_revisions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "post_revisions",
    "posts",
    "thread_items",
    "thread_tags",
    "thread_themes",
    "threads",
    "community_members",
    "communities",
    "item_slug_redirects",
    "item_revisions",
    "item_tags",
    "item_themes",
    "item_authors",
    "items",
    "authors",
    "sessions",
    "users",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
