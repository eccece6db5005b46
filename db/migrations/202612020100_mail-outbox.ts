import { type Kysely, sql } from "kysely";

// Mail is queued in the same transaction as the change that causes it and sent later by the one
// process holding the "background" lease (docs/decisions/0012-mail-outbox-and-one-sender.md).
// A message is marked sent only after the SMTP server has accepted it; `claimed_by`/`claimed_at`
// record the sender that is trying it, so a crash mid-send leaves a claim another can take over.
//
// Notification fan-out (a reply's followers, mentions, the author answered) is queued the same
// way, as one job per post, so the reply's own transaction stays small however many follow.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // Stable across retries, so a message sent again after a crash is recognisably the same one.
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("headers_json", "text", (c) => c.notNull().defaultTo("{}"))
    // A message about a thread goes only to someone who can still read it when it is sent.
    .addColumn("about_thread_id", "integer")
    // A notification is held back if its member has since turned this kind of email off.
    .addColumn("preference_category", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("queued").check(sql`status in ('queued', 'sending', 'sent', 'dead', 'withheld')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("claimed_by", "text")
    .addColumn("claimed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("mail_outbox_due").on("mail_outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("mail_outbox_user").on("mail_outbox").columns(["user_id", "created_at"]).execute();

  // One row per kind of background work; whoever holds it (and only they) does that work.
  await db.schema
    .createTable("worker_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    /** Unix milliseconds. */
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("notification_jobs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('post')`))
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notification_jobs").execute();
  await db.schema.dropTable("worker_leases").execute();
  await db.schema.dropTable("mail_outbox").execute();
}
