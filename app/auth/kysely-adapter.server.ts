import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";

import { db } from "~/db/client.server";

// Lucia's own SQLite adapter refuses better-sqlite3 12, so this is ours: the same contract
// over the one Kysely connection. Times are stored as Unix seconds.

const toSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

type SessionRow = { id: string; user_id: string; expires_at: number; created_at: number };

function toDatabaseSession(row: SessionRow): DatabaseSession {
  return {
    id: row.id,
    userId: row.user_id,
    expiresAt: new Date(row.expires_at * 1000),
    attributes: { created_at: row.created_at },
  };
}

export const kyselyAdapter: Adapter = {
  async getSessionAndUser(sessionId) {
    const row = await db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select([
        "sessions.id",
        "sessions.user_id",
        "sessions.expires_at",
        "sessions.created_at",
        "users.email",
        "users.username",
        "users.display_name",
        "users.role",
        "users.organisation",
        "users.side",
        "users.email_verified_at",
      ])
      .where("sessions.id", "=", sessionId)
      .where("users.deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return [null, null];
    const user: DatabaseUser = {
      id: row.user_id,
      attributes: {
        email: row.email,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        organisation: row.organisation,
        side: row.side,
        email_verified_at: row.email_verified_at,
      },
    };
    return [toDatabaseSession(row), user];
  },

  async getUserSessions(userId) {
    const rows = await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
    return rows.map(toDatabaseSession);
  },

  async setSession(session) {
    await db
      .insertInto("sessions")
      .values({
        id: session.id,
        user_id: session.userId,
        expires_at: toSeconds(session.expiresAt),
        created_at: session.attributes.created_at ?? toSeconds(new Date()),
      })
      .execute();
  },

  async updateSessionExpiration(sessionId, expiresAt) {
    await db
      .updateTable("sessions")
      .set({ expires_at: toSeconds(expiresAt) })
      .where("id", "=", sessionId)
      .execute();
  },

  async deleteSession(sessionId) {
    await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
  },

  async deleteUserSessions(userId) {
    await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  },

  async deleteExpiredSessions() {
    await db.deleteFrom("sessions").where("expires_at", "<=", toSeconds(new Date())).execute();
  },
};
