import { type Kysely, sql } from "kysely";

// Notifications by email. Each member chooses, per kind, straight away, a daily or weekly digest,
// or never; a missing row means the default for that kind (app/models/email-vocabulary.ts).
//
// A notification's mail_state says what email has done with it: new rows start 'pending'; the
// background worker sends it ('emailed'), keeps it for a digest ('digest', then 'digested'), or
// decides against it ('skipped'). Notifications from before email existed are never mailed.
//
// Review reminders are mailed the same way, one per item, review date and author. The secret
// signs one-click unsubscribe links; it lives in the database so the quick start needs no setup.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("email_preferences")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("frequency", "text", (c) =>
      c.notNull().check(sql`frequency in ('immediate', 'daily', 'weekly', 'never')`),
    )
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("email_preferences_pk", ["user_id", "category"])
    .execute();

  await db.schema
    .createTable("email_digests")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("frequency", "text", (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    // Everything up to this moment has been in a digest of this frequency (or was not wanted).
    .addColumn("covered_until", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("email_digests_pk", ["user_id", "frequency"])
    .execute();

  await db.schema
    .alterTable("notifications")
    .addColumn("mail_state", "text", (c) => c.notNull().defaultTo("pending"))
    .execute();
  await sql`update notifications set mail_state = 'skipped'`.execute(db);
  await sql`create index notifications_mail_pending on notifications (mail_state, id) where mail_state in ('pending', 'digest')`.execute(
    db,
  );

  await db.schema
    .createTable("review_reminders")
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("review_by", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("mail_state", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("review_reminders_pk", ["item_id", "review_by", "user_id"])
    .execute();
  await sql`create index review_reminders_mail_pending on review_reminders (mail_state) where mail_state in ('pending', 'digest')`.execute(
    db,
  );

  // When each scheduled run (daily digest, weekly digest, review scan) last happened.
  await db.schema
    .createTable("scheduled_runs")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("last_run_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("app_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  await sql`insert into app_secrets (name, value) values ('unsubscribe-links', lower(hex(randomblob(32))))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("app_secrets").execute();
  await db.schema.dropTable("scheduled_runs").execute();
  await db.schema.dropTable("review_reminders").execute();
  await sql`drop index if exists notifications_mail_pending`.execute(db);
  await db.schema.alterTable("notifications").dropColumn("mail_state").execute();
  await db.schema.dropTable("email_digests").execute();
  await db.schema.dropTable("email_preferences").execute();
}
