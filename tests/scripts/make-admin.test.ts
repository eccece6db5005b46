import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { makeAdmin } from "../../scripts/make-admin";
import { createUser } from "../factories/users";
import { callCommand, runScript } from "../support/scripts";

describe("npm run user:admin", () => {
  it("promotes an existing member, matching the email in any letter case (run as a command)", async () => {
    const user = await createUser({ email: "first.admin@example.gov.uk" });
    const result = await runScript("scripts/make-admin.ts", ["First.Admin@Example.gov.uk"]);
    expect(result).toMatchObject({ code: 0, stdout: "first.admin@example.gov.uk is now an admin.\n" });
    const row = await db.selectFrom("users").select("role").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.role).toBe("admin");
  });

  it("creates nobody when no account has the email", async () => {
    const result = await callCommand(makeAdmin, ["nobody@example.gov.uk"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No account uses nobody@example.gov.uk/);
    expect(
      await db.selectFrom("users").select("id").where("email", "=", "nobody@example.gov.uk").executeTakeFirst(),
    ).toBeUndefined();
  });

  it("explains its usage without an email", async () => {
    const result = await callCommand(makeAdmin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run user:admin -- email/);
  });
});
