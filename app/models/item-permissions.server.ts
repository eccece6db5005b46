import type { ExpressionBuilder } from "kysely";

import { db } from "~/db/client.server";
import type { Database } from "~/db/schema";

import { hasRole, type Viewer } from "./actor.server";
import { ForbiddenError } from "./domain-errors.server";

/** Items the member created, or is credited on through their linked author row. */
export function isWrittenBy(eb: ExpressionBuilder<Database, "items">, userId: string) {
  return eb.or([
    eb("items.created_by_user_id", "=", userId),
    eb(
      "items.id",
      "in",
      eb
        .selectFrom("item_authors")
        .innerJoin("authors", "authors.id", "item_authors.author_id")
        .select("item_authors.item_id")
        .where("authors.user_id", "=", userId),
    ),
  ]);
}

/**
 * Who may change an item: its creator, a member linked to one of its authors, or a moderator
 * or admin (whose edits are recorded as such).
 */
export async function canEditItem({ user, itemId }: { user: Viewer; itemId: number }) {
  if (!user) return false;
  if (hasRole(user, "moderator")) return true;
  const row = await db
    .selectFrom("items")
    .select("items.id")
    .where("items.id", "=", itemId)
    .where((eb) => isWrittenBy(eb, user.id))
    .executeTakeFirst();
  return row !== undefined;
}

/** Throws ForbiddenError unless the actor may change the item: see canEditItem. */
export async function requireCanEditItem({ user, itemId }: { user: Viewer; itemId: number }) {
  if (!(await canEditItem({ user, itemId })))
    throw new ForbiddenError("Only the item's authors, moderators and admins can change it.");
}
