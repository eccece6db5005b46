import path from "node:path";

import { closeDb } from "~/db/client.server";
import { CommunitySeedError, importCommunities } from "~/models/community-seed.server";

const root = path.resolve(process.argv[2] ?? "content/communities");

try {
  const report = await importCommunities({ root });
  console.log(
    `Community import: ${report.communities} communities, ${report.threads} threads, ${report.replies} replies and ${report.people} people added.`,
  );
} catch (error) {
  if (error instanceof CommunitySeedError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await closeDb();
}
