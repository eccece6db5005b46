// npm run images:prune [-- --older-than-hours N] [--apply]: lists uploaded images that no item,
// revision, post or profile mentions and that are older than N hours (default 24), with their
// sizes; removes them only with --apply. Safe while the app serves: each image is checked again
// under the write lock just before it is removed.
import { parseArgs } from "node:util";

import { z } from "zod";

import { closeDb } from "~/db/client.server";
import { IMAGE_PRUNE_GRACE_HOURS, pruneImages, type UnreferencedImage } from "~/models/image-prune.server";

const ArgsSchema = z.object({
  "older-than-hours": z.coerce.number({ error: "must be a number of hours" }).min(0, { error: "must be 0 or more" }),
  apply: z.boolean(),
});

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const totalBytes = (images: UnreferencedImage[]) => images.reduce((sum, image) => sum + image.byteSize, 0);

let args: z.output<typeof ArgsSchema>;
try {
  const { values } = parseArgs({
    options: {
      "older-than-hours": { type: "string", default: String(IMAGE_PRUNE_GRACE_HOURS) },
      apply: { type: "boolean", default: false },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `--${String(issue.path[0])}: ${issue.message} (got "${values[issue.path[0] as keyof typeof values]}")`,
    );
  }
  args = parsed.data;
} catch (error) {
  console.error(
    `${error instanceof Error ? error.message : String(error)}\nUsage: npm run images:prune -- [--older-than-hours 24] [--apply]`,
  );
  process.exit(2);
}

try {
  const olderThanHours = args["older-than-hours"];
  const result = await pruneImages({ olderThanHours, apply: args.apply });
  console.log(
    `Uploaded images that nothing shows, older than ${olderThanHours} hours: ${result.found.length} (${kilobytes(totalBytes(result.found))})`,
  );
  for (const image of result.found)
    console.log(`  ${image.url}  ${kilobytes(image.byteSize)}  uploaded ${image.uploadedAt}`);
  if (!args.apply) {
    if (result.found.length > 0) console.log("Nothing removed: run again with --apply to remove them.");
  } else {
    console.log(`Removed ${result.removed.length} (${kilobytes(totalBytes(result.removed))}).`);
    for (const image of result.keptSinceListed)
      console.log(`  kept ${image.url}: used or uploaded again while this ran`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeDb();
}
