// Signed-in members for the crash and load scripts, made in the database directly (as
// tests/factories/discussions.ts createEstablishedUser does) so that neither the sign-in rate
// limits nor the new-account posting limit decide what the scripts measure.
// Import it only after DATABASE_PATH points at the script's database.
import { randomUUID } from "node:crypto";

import { startSession } from "~/auth/session.server";
import { db } from "~/db/client.server";

export type Member = { id: string; username: string; cookie: string };

/** `count` members whose accounts are a month old (past the new-account posting limit), each with a session. */
export async function createEstablishedMembers(count: number, prefix: string): Promise<Member[]> {
  const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const rows = Array.from({ length: count }, (_, index) => {
    const id = randomUUID();
    return {
      id,
      email: `${prefix}-${index}-${id.slice(0, 6)}@example.gov.uk`,
      username: `${prefix}-${index}-${id.slice(0, 6)}`,
      display_name: `${prefix} member ${index}`,
      organisation: "Testshire County Council",
      password_hash: null,
      created_at: lastMonth,
      updated_at: lastMonth,
      email_verified_at: lastMonth,
    };
  });
  for (let start = 0; start < rows.length; start += 200)
    await db
      .insertInto("users")
      .values(rows.slice(start, start + 200))
      .execute();
  const members: Member[] = [];
  for (const row of rows)
    members.push({ id: row.id, username: row.username, cookie: (await startSession(row.id)).split(";")[0]! });
  return members;
}
