import { type Kysely, sql } from "kysely";

// What discussions need beyond the foundation: reactions, follows, notifications, flags,
// the moderators' audit log, and the indexes the thread and community pages read by.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reactions")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("target_type", "text", (c) => c.notNull().check(sql`target_type in ('item', 'post')`))
    .addColumn("target_id", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("helpful").check(sql`kind in ('helpful')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reactions_pk", ["user_id", "target_type", "target_id", "kind"])
    .execute();
  await db.schema.createIndex("reactions_target").on("reactions").columns(["target_type", "target_id"]).execute();

  await db.schema
    .createTable("follows")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("target_type", "text", (c) =>
      c.notNull().check(sql`target_type in ('thread', 'community', 'theme')`),
    )
    .addColumn("target_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("follows_pk", ["user_id", "target_type", "target_key"])
    .execute();
  await db.schema.createIndex("follows_target").on("follows").columns(["target_type", "target_key"]).execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('reply', 'mention', 'followed-thread', 'followed-community', 'followed-theme', 'accepted')`),
    )
    .addColumn("actor_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("thread_id", "integer", (c) => c.notNull().references("threads.id").onDelete("cascade"))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("notifications_user_unread")
    .on("notifications")
    .columns(["user_id", "read_at", "created_at"])
    .execute();

  await db.schema
    .createTable("flags")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("target_type", "text", (c) => c.notNull().check(sql`target_type in ('item', 'post')`))
    .addColumn("target_id", "integer", (c) => c.notNull())
    .addColumn("reporter_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("reason", "text", (c) =>
      c.notNull().check(sql`reason in ('spam', 'abusive', 'off-topic', 'personal-data', 'inaccurate', 'other')`),
    )
    .addColumn("note", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`status in ('open', 'actioned', 'dismissed')`),
    )
    .addColumn("resolved_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolved_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("flags_status_created").on("flags").columns(["status", "created_at"]).execute();
  await sql`create unique index flags_one_open_per_reporter on flags (target_type, target_id, reporter_user_id) where status = 'open'`.execute(db);

  await db.schema
    .createTable("moderation_actions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("moderator_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("moderation_actions_created").on("moderation_actions").column("created_at").execute();

  await db.schema.createIndex("posts_parent").on("posts").column("parent_post_id").execute();
  await db.schema.createIndex("posts_author_created").on("posts").columns(["author_user_id", "created_at"]).execute();
  await sql`create unique index threads_community_slug on threads (community_id, slug) where community_id is not null`.execute(db);
  await db.schema.createIndex("threads_author").on("threads").column("author_user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("threads_author").execute();
  await db.schema.dropIndex("threads_community_slug").execute();
  await db.schema.dropIndex("posts_author_created").execute();
  await db.schema.dropIndex("posts_parent").execute();
  for (const table of ["moderation_actions", "flags", "notifications", "follows", "reactions"]) {
    await db.schema.dropTable(table).execute();
  }
}
