import { type Kysely, type RawBuilder, sql } from "kysely";

// Notifications grow a kind about the member's own account, which belongs to no thread and no
// join request: "someone tried several wrong passwords for your account". SQLite cannot relax a
// CHECK in place, so the table is rebuilt (as 202611260010 did) with the kind allowed and the
// "about something" check widened to let account notifications stand alone.

const OLD_KINDS =
  "'reply', 'mention', 'followed-thread', 'followed-community', 'followed-theme', 'accepted', 'join-request', 'join-approved', 'join-declined'";
const NEW_KINDS = `${OLD_KINDS}, 'failed-sign-ins'`;

export async function up(db: Kysely<any>): Promise<void> {
  await rebuildNotifications(db, { kinds: NEW_KINDS, aboutSomething: sql`thread_id is not null or join_request_id is not null or kind = 'failed-sign-ins'` });
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where kind = 'failed-sign-ins'`.execute(db);
  await rebuildNotifications(db, { kinds: OLD_KINDS, aboutSomething: sql`thread_id is not null or join_request_id is not null` });
}

async function rebuildNotifications(db: Kysely<any>, { kinds, aboutSomething }: { kinds: string; aboutSomething: RawBuilder<unknown> }) {
  await db.schema
    .createTable("notifications_rebuilt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql.raw(`kind in (${kinds})`)))
    .addColumn("actor_user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("thread_id", "integer", (c) => c.references("threads.id").onDelete("cascade"))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("join_request_id", "integer", (c) => c.references("community_join_requests.id").onDelete("cascade"))
    .addCheckConstraint("notifications_about_something", aboutSomething)
    .execute();
  const columns = "id, user_id, kind, actor_user_id, thread_id, post_id, read_at, created_at, join_request_id";
  await sql.raw(`insert into notifications_rebuilt (${columns}) select ${columns} from notifications`).execute(db);
  await db.schema.dropTable("notifications").execute();
  await sql`alter table notifications_rebuilt rename to notifications`.execute(db);
  await db.schema.createIndex("notifications_user_unread").on("notifications").columns(["user_id", "read_at", "created_at"]).execute();
}
