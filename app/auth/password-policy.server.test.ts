import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";

import { passwordProblem } from "./password-policy.server";

describe("passwordProblem", () => {
  it("checks against a list of at least 10,000 common passwords", () => {
    expect(dictionary["passwords-common"].length).toBeGreaterThanOrEqual(10_000);
  });

  it.each(["password", "Password1", "qwertyuiop", "iloveyou", "12345678", "trustno1"])(
    "rejects the common password %s and says why",
    (password) => {
      expect(passwordProblem(password)).toMatch(/list of common passwords/);
    },
  );

  it("rejects fewer than 8 characters", () => {
    expect(passwordProblem("k7#pQ2z")).toBe("Your password must be at least 8 characters long.");
  });

  it("counts characters, not bytes", () => {
    expect(passwordProblem("ééééééé")).toMatch(/at least 8/);
    expect(passwordProblem("🔒🔒🔒🔒🔒🔒🔒🔒")).toBeNull();
  });

  it("accepts long passphrases up to 256 characters with no composition rules", () => {
    expect(passwordProblem("all lower case words here")).toBeNull();
    expect(passwordProblem("a".repeat(63) + "b")).toBeNull();
    expect(passwordProblem("x".repeat(255) + "y")).toBeNull();
    expect(passwordProblem("x".repeat(257))).toBe("Your password must be 256 characters or fewer.");
  });
});
