import { type ExpressionBuilder, sql } from "kysely";

import type { Database } from "~/db/schema";

import { hasRole, type Viewer } from "./actor.server";
import { InvalidInputError } from "./domain-errors.server";

/**
 * The posting limit's refusal (posting-limit.server.ts), which the item editor, publishing and
 * restoring still catch by this name; everything else throws InvalidInputError, which this is.
 */
export class DiscussionError extends InvalidInputError {
  constructor(
    message: string,
    readonly field: string = "form",
  ) {
    super({ [field]: message });
    this.name = "DiscussionError";
  }
}

export function canModerate(viewer: Viewer) {
  return hasRole(viewer, "moderator");
}

/**
 * The one rule for who may read a community's threads: open communities are public;
 * members-only ones are for their members (and moderators, who look after every space).
 * Every query that can reach a thread or post goes through this predicate.
 */
export function communityIsVisible(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "communities">) => {
    if (canModerate(viewer)) return sql<boolean>`1 = 1`;
    const open = eb("communities.visibility", "=", "open");
    if (!viewer) return open;
    return eb.or([
      open,
      eb.exists(
        eb
          .selectFrom("community_members")
          .select(sql`1`.as("one"))
          .whereRef("community_members.community_id", "=", "communities.id")
          .where("community_members.user_id", "=", viewer.id),
      ),
    ]);
  };
}

/** Threads the viewer may read: discussions of published items, or threads in a community they can see; hidden ones only for moderators. */
export function threadIsVisible(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "threads">) => {
    const inVisibleCommunity = eb.or([
      // An item's discussion is as public as its item.
      eb("threads.item_id", "in", eb.selectFrom("items").select("items.id").where("items.status", "=", "published")),
      eb(
        "threads.community_id",
        "in",
        eb.selectFrom("communities").select("communities.id").where(communityIsVisible(viewer)),
      ),
    ]);
    return canModerate(viewer) ? inVisibleCommunity : eb.and([inVisibleCommunity, eb("threads.is_hidden", "=", 0)]);
  };
}
