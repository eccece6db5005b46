import { type Kysely, sql } from "kysely";

// Members-only communities admit members by request: a member asks, a steward (a moderator, an
// admin or the community's creator) approves or declines. Requests are private to the requester
// and the deciders, so no public page shows them and they need no content-epoch triggers (the
// membership an approval creates is a community_members row, which already has them).
//
// Notifications grow three kinds about requests, which belong to no thread: SQLite cannot relax
// NOT NULL or a CHECK in place, so the table is rebuilt with thread_id nullable and a request link.

const OLD_KINDS = "'reply', 'mention', 'followed-thread', 'followed-community', 'followed-theme', 'accepted'";
const NEW_KINDS = `${OLD_KINDS}, 'join-request', 'join-approved', 'join-declined'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("community_join_requests")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("message", "text", (c) => c.check(sql`length(message) <= 500`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'approved', 'declined', 'withdrawn')`),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_at", "text")
    .addColumn("decided_by_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decline_reason", "text", (c) => c.check(sql`length(decline_reason) <= 500`))
    .execute();
  await sql`create unique index community_join_requests_one_pending on community_join_requests (community_id, user_id) where status = 'pending'`.execute(db);
  await db.schema
    .createIndex("community_join_requests_community_status")
    .on("community_join_requests")
    .columns(["community_id", "status", "created_at"])
    .execute();
  await db.schema.createIndex("community_join_requests_user").on("community_join_requests").columns(["user_id", "community_id"]).execute();

  await rebuildNotifications(db, { kinds: NEW_KINDS, withJoinRequests: true });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where thread_id is null`.execute(db);
  await rebuildNotifications(db, { kinds: OLD_KINDS, withJoinRequests: false });
  await db.schema.dropTable("community_join_requests").execute();
}

async function rebuildNotifications(db: Kysely<any>, { kinds, withJoinRequests }: { kinds: string; withJoinRequests: boolean }) {
  let table = db.schema
    .createTable("notifications_rebuilt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql.raw(`kind in (${kinds})`)))
    .addColumn("actor_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("thread_id", "integer", (c) =>
      withJoinRequests ? c.references("threads.id").onDelete("cascade") : c.notNull().references("threads.id").onDelete("cascade"),
    )
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull());
  if (withJoinRequests) {
    table = table
      .addColumn("join_request_id", "integer", (c) => c.references("community_join_requests.id").onDelete("cascade"))
      .addCheckConstraint("notifications_about_something", sql`thread_id is not null or join_request_id is not null`);
  }
  await table.execute();
  const columns = "id, user_id, kind, actor_user_id, thread_id, post_id, read_at, created_at";
  await sql.raw(`insert into notifications_rebuilt (${columns}) select ${columns} from notifications`).execute(db);
  await db.schema.dropTable("notifications").execute();
  await sql`alter table notifications_rebuilt rename to notifications`.execute(db);
  await db.schema.createIndex("notifications_user_unread").on("notifications").columns(["user_id", "read_at", "created_at"]).execute();
}
