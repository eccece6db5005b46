import { EmailSchema } from "~/models/account-schema.server";
import { promoteToAdmin } from "~/models/user.server";

import { type Command, runWhenStarted } from "./support/command";

// Usage: npm run user:admin -- someone@example.gov.uk
// Promotes an existing account; there is no default admin and no default password.

export const makeAdmin: Command = async (args, output) => {
  const parsed = EmailSchema.safeParse(args[0] ?? "");
  if (!parsed.success) {
    output.error("Usage: npm run user:admin -- email@example.gov.uk (the person must have signed up first)");
    return 2;
  }
  if (!(await promoteToAdmin({ email: parsed.data }))) {
    output.error(`No account uses ${parsed.data}. Ask them to create an account first, then run this again.`);
    return 1;
  }
  output.log(`${parsed.data} is now an admin.`);
  return 0;
};

await runWhenStarted(import.meta.url, makeAdmin);
