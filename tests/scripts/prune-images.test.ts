import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { pruneImagesCommand } from "../../scripts/prune-images";
import { buildPngBytes, createImage } from "../factories/images";
import { createItem } from "../factories/items";
import { callCommand, runScript } from "../support/scripts";

const pruneImages = (...args: string[]) => callCommand(pruneImagesCommand, args);

const storedIds = async () => (await db.selectFrom("item_images").select("id").execute()).map((row) => row.id).sort();

describe("npm run images:prune", () => {
  it("prints what it would remove and the bytes, removes it only with --apply, and keeps what items show", async () => {
    const orphan = await createImage({ hoursAgo: 30, bytes: buildPngBytes(3072) });
    const recentOrphan = await createImage({ hoursAgo: 2 });
    const shown = await createImage({ hoursAgo: 30 });
    await createItem({ body: `## Results\n\n${shown.markdown}\n` });

    const dryRun = await pruneImages();
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toBe(
      "Uploaded images that nothing shows, older than 24 hours: 1 (3.0 KB)\n" +
        `  ${orphan.url}  3.0 KB  uploaded ${(await db.selectFrom("item_images").select("created_at").where("id", "=", orphan.id).executeTakeFirstOrThrow()).created_at}\n` +
        "Nothing removed: run again with --apply to remove them.\n",
    );
    expect(await storedIds()).toEqual([orphan.id, recentOrphan.id, shown.id].sort());

    const applied = await pruneImages("--older-than-hours", "1", "--apply");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/older than 1 hours: 2 \(/);
    expect(applied.stdout).toMatch(/Removed 2 \(/);
    expect(await storedIds()).toEqual([shown.id]);
  });

  it("explains a bad --older-than-hours and removes nothing (run as a command)", async () => {
    const orphan = await createImage({ hoursAgo: 30 });
    const result = await runScript("scripts/prune-images.ts", ["--older-than-hours", "a day", "--apply"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--older-than-hours: must be a number of hours \(got "a day"\)/);
    expect(await storedIds()).toContain(orphan.id);
  });
});
