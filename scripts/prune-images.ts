// npm run images:prune [-- --older-than-hours N] [--apply]: lists uploaded images that no item,
// revision, post or profile mentions and that are older than N hours (default 24), with their
// sizes; removes them only with --apply. Safe while the app serves: each image is checked again
// under the write lock just before it is removed.
import { parseArgs } from "node:util";

import { z } from "zod";

import { IMAGE_PRUNE_GRACE_HOURS, pruneImages, type UnreferencedImage } from "~/models/image-prune.server";

import { type Command, runWhenStarted } from "./support/command";

const ArgsSchema = z.object({
  "older-than-hours": z.coerce.number({ error: "must be a number of hours" }).min(0, { error: "must be 0 or more" }),
  apply: z.boolean(),
});

const USAGE = "Usage: npm run images:prune -- [--older-than-hours 24] [--apply]";

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const totalBytes = (images: UnreferencedImage[]) => images.reduce((sum, image) => sum + image.byteSize, 0);

function parseArguments(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      "older-than-hours": { type: "string", default: String(IMAGE_PRUNE_GRACE_HOURS) },
      apply: { type: "boolean", default: false },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(
    `--${String(issue.path[0])}: ${issue.message} (got "${values[issue.path[0] as keyof typeof values]}")`,
  );
}

export const pruneImagesCommand: Command = async (args, output) => {
  let options: z.output<typeof ArgsSchema>;
  try {
    options = parseArguments(args);
  } catch (error) {
    output.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  try {
    const olderThanHours = options["older-than-hours"];
    const result = await pruneImages({ olderThanHours, apply: options.apply });
    output.log(
      `Uploaded images that nothing shows, older than ${olderThanHours} hours: ${result.found.length} (${kilobytes(totalBytes(result.found))})`,
    );
    for (const image of result.found)
      output.log(`  ${image.url}  ${kilobytes(image.byteSize)}  uploaded ${image.uploadedAt}`);
    if (!options.apply) {
      if (result.found.length > 0) output.log("Nothing removed: run again with --apply to remove them.");
    } else {
      output.log(`Removed ${result.removed.length} (${kilobytes(totalBytes(result.removed))}).`);
      for (const image of result.keptSinceListed)
        output.log(`  kept ${image.url}: used or uploaded again while this ran`);
    }
    return 0;
  } catch (error) {
    output.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
};

await runWhenStarted(import.meta.url, pruneImagesCommand);
