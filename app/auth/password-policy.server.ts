import { dictionary } from "@zxcvbn-ts/language-common";

// NIST SP 800-63B / ASVS: length and a blocklist, no composition rules. The list is zxcvbn-ts's
// common-password dictionary (MIT): about 49,000 passwords seen most often in breaches.
const COMMON_PASSWORDS = new Set(dictionary["passwords-common"]);

const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 256;

/** Why a new password cannot be used, or null when it can. Lengths count characters, not bytes. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Your password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (length > PASSWORD_MAX_LENGTH) return `Your password must be ${PASSWORD_MAX_LENGTH} characters or fewer.`;
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return "This password is on a list of common passwords that attackers try first. Choose another: three or four random words work well.";
  }
  return null;
}
