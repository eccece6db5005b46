import { closeDb } from "~/db/client.server";
import { EmailSchema } from "~/models/account-schema.server";
import { promoteToAdmin } from "~/models/user.server";

// Usage: npm run user:admin -- someone@example.gov.uk
// Promotes an existing account; there is no default admin and no default password.

const parsed = EmailSchema.safeParse(process.argv[2] ?? "");
if (!parsed.success) {
  console.error("Usage: npm run user:admin -- email@example.gov.uk (the person must have signed up first)");
  process.exit(2);
}
const promoted = await promoteToAdmin({ email: parsed.data });
await closeDb();
if (!promoted) {
  console.error(`No account uses ${parsed.data}. Ask them to create an account first, then run this again.`);
  process.exit(1);
}
console.log(`${parsed.data} is now an admin.`);
