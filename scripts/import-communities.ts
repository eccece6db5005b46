import path from "node:path";

import { CommunitySeedError, importCommunities } from "~/models/community-seed.server";

import { runImport } from "./support/run-import";

const root = path.resolve(process.argv[2] ?? "content/communities");

await runImport(
  async () => {
    const report = await importCommunities({ root });
    console.log(
      `Community import: ${report.communities} communities, ${report.threads} threads, ${report.replies} replies and ${report.people} people added.`,
    );
  },
  (error) => error instanceof CommunitySeedError,
);
