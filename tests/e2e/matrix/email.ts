import { ACTORS, type MatrixRow, SIGNED_IN } from "../support/matrix";

// Email routes. Recovery and confirmation links are for anyone holding them (the token is the
// authority), as is one-click unsubscribe; the forms are invalid so nothing changes.
export const rows: MatrixRow[] = [
  {
    name: "POST /forgot-password",
    prepare: async () => ({ path: "/forgot-password", form: { email: "" } }),
    allowed: ACTORS,
  },
  {
    name: "POST /reset-password",
    prepare: async () => ({
      path: "/reset-password",
      form: {
        token: "not-a-token",
        newPassword: "matrix checks every route",
        confirmPassword: "matrix checks every route",
      },
    }),
    allowed: ACTORS,
  },
  {
    name: "POST /verify-email",
    prepare: async () => ({ path: "/verify-email", form: { token: "not-a-token" } }),
    allowed: ACTORS,
  },
  {
    name: "POST /email/unsubscribe/:token",
    prepare: async (owner) => ({
      path: `/email/unsubscribe/${owner.id}.reply.not-the-signature`,
      form: { "List-Unsubscribe": "One-Click" },
    }),
    allowed: ACTORS,
  },
  {
    name: "POST /account/email",
    prepare: async () => ({ path: "/account/email", form: { intent: "change", newEmail: "", password: "" } }),
    allowed: SIGNED_IN,
  },
  {
    name: "POST /account/notifications",
    prepare: async () => ({ path: "/account/notifications", form: { mention: "hourly" } }),
    allowed: SIGNED_IN,
  },
  {
    name: "POST /admin/mail",
    prepare: async () => ({ path: "/admin/mail", form: { intent: "retry", id: "999999" } }),
    allowed: ["admin"],
  },
];
