import { type Kysely, sql } from "kysely";

// Password reset and email confirmation. Tokens are kept only as SHA-256 hashes; a row records
// when its token was used or revoked (by a newer request, a password change or an email change),
// so the page can say why a link no longer works. Accounts made before confirmation existed are
// treated as confirmed: they cannot be asked to prove an address nobody asked them to prove.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("email_verified_at", "text").execute();
  await sql`update users set email_verified_at = created_at`.execute(db);

  await db.schema
    .createTable("account_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('password-reset', 'verify-email')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // The address the link was sent to: for a change of address, the new one being confirmed.
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("revoked_at", "text")
    .addColumn("revoked_because", "text")
    .execute();
  await db.schema.createIndex("account_tokens_user").on("account_tokens").columns(["user_id", "purpose"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("account_tokens").execute();
  await db.schema.alterTable("users").dropColumn("email_verified_at").execute();
}
