import type { Role } from "~/auth/lucia.server";

/** Who is acting or looking: every model function that checks permission takes one. */
export type Actor = { id: string; role: Role };

/** Someone reading, who may be signed out. */
export type Viewer = Actor | null;

const ROLE_RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

/** The acting member as models see them, from the signed-in user (or nobody). */
export function actorFrom(user: { id: string; role: Role }): Actor;
export function actorFrom(user: { id: string; role: Role } | null | undefined): Viewer;
export function actorFrom(user: { id: string; role: Role } | null | undefined): Viewer {
  return user ? { id: user.id, role: user.role } : null;
}

export function hasRole(actor: { role: Role } | null | undefined, role: Role) {
  return actor != null && ROLE_RANK[actor.role] >= ROLE_RANK[role];
}
