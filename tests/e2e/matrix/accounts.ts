import { ACTORS, type MatrixRow, SIGNED_IN } from "../support/matrix";

// Account routes act on the signed-in user's own account, so any signed-in actor may use them;
// the forms are deliberately invalid (wrong password, unticked box) so nothing is destroyed.
export const rows: MatrixRow[] = [
  {
    name: "POST /sign-up",
    prepare: async () => ({ path: "/sign-up", form: { displayName: "", email: "", password: "" } }),
    allowed: ACTORS,
  },
  {
    name: "POST /sign-in",
    prepare: async () => ({ path: "/sign-in", form: { email: "", password: "" } }),
    allowed: ACTORS,
  },
  {
    name: "POST /sign-out",
    prepare: async () => ({ path: "/sign-out", form: {} }),
    allowed: ACTORS,
  },
  {
    name: "POST /account",
    prepare: async () => ({
      path: "/account",
      form: { displayName: "Matrix Member", side: "buyer", bio: "Checking access." },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "POST /account/password",
    prepare: async () => ({
      path: "/account/password",
      form: {
        currentPassword: "not the password",
        newPassword: "matrix checks every route",
        confirmPassword: "matrix checks every route",
      },
    }),
    allowed: SIGNED_IN,
  },
  {
    name: "POST /account/delete",
    prepare: async () => ({ path: "/account/delete", form: { password: "not the password" } }),
    allowed: SIGNED_IN,
  },
];
