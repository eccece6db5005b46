import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { createUser } from "../factories/users";

const run = promisify(execFile);

async function makeAdmin(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/make-admin.ts", ...args], {
      env: process.env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("npm run user:admin", () => {
  it("promotes an existing member, matching the email in any letter case", async () => {
    const user = await createUser({ email: "first.admin@example.gov.uk" });
    const result = await makeAdmin("First.Admin@Example.gov.uk");
    expect(result).toMatchObject({ code: 0, stdout: "first.admin@example.gov.uk is now an admin.\n" });
    const row = await db.selectFrom("users").select("role").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.role).toBe("admin");
  });

  it("creates nobody when no account has the email", async () => {
    const result = await makeAdmin("nobody@example.gov.uk");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No account uses nobody@example.gov.uk/);
    expect(
      await db.selectFrom("users").select("id").where("email", "=", "nobody@example.gov.uk").executeTakeFirst(),
    ).toBeUndefined();
  });

  it("explains its usage without an email", async () => {
    const result = await makeAdmin();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run user:admin -- email/);
  });
});
