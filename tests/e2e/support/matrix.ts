// The authorisation matrix: every mutating route, tried over real HTTP by every kind of actor.
// Rows live in tests/e2e/matrix/*.ts (one file per feature), each exporting `rows: MatrixRow[]`;
// tests/e2e/authorisation-matrix.test.ts runs them all.

export type Actor = "anonymous" | "member" | "owner" | "moderator" | "admin";

export const ACTORS: Actor[] = ["anonymous", "member", "owner", "moderator", "admin"];

export type MatrixRow = {
  name: string; // e.g. "POST /account/password"
  /** Creates what the request acts on, owned by `owner`, and returns the request to send. */
  prepare: (owner: { id: string }) => Promise<{ path: string; form: Record<string, string> }>;
  allowed: Actor[];
};

/** Everyone who is signed in, whatever their role. */
export const SIGNED_IN: Actor[] = ["member", "owner", "moderator", "admin"];
