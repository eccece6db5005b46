import { describe, expect, it } from "vitest";

import { db } from "~/db/client.server";

import { createCommunity, createEstablishedUser, createThread } from "../../tests/factories/discussions";
import { buildPngBytes, createImage } from "../../tests/factories/images";
import { createItem } from "../../tests/factories/items";
import { deleteImageIfUnreferenced, listUnreferencedImages, pruneImages } from "./image-prune.server";
import { editReply } from "./post.server";

const storedIds = async () => (await db.selectFrom("item_images").select("id").execute()).map((row) => row.id);

/** Each test starts from no images, so what is listed is only what that test made. */
async function clearImages() {
  await db.deleteFrom("item_images").execute();
}

describe("listing unreferenced images", () => {
  it("lists an old image nothing mentions, with its URL and size, and leaves it stored on a dry run", async () => {
    await clearImages();
    const orphan = await createImage({ hoursAgo: 30, bytes: buildPngBytes(2048) });
    const result = await pruneImages({ olderThanHours: 24 });
    expect(result.found).toEqual([{ id: orphan.id, url: orphan.url, byteSize: 2048, uploadedAt: expect.any(String) }]);
    expect(result.removed).toEqual([]);
    expect(await storedIds()).toEqual([orphan.id]);
  });

  it("gives an upload its grace period, counted from when it was uploaded again", async () => {
    await clearImages();
    const recent = await createImage({ hoursAgo: 23 });
    const old = await createImage({ hoursAgo: 25 });
    expect((await listUnreferencedImages({ olderThanHours: 24 })).map((image) => image.id)).toEqual([old.id]);
    expect((await listUnreferencedImages({ olderThanHours: 22 })).map((image) => image.id).sort()).toEqual(
      [old.id, recent.id].sort(),
    );

    const reuploadBytes = buildPngBytes();
    const first = await createImage({ hoursAgo: 48, bytes: reuploadBytes });
    await createImage({ bytes: reuploadBytes });
    expect((await listUnreferencedImages({ olderThanHours: 24 })).map((image) => image.id)).not.toContain(first.id);
  });

  it("keeps images shown by an item, a draft, an earlier revision only, a reply, a reply's earlier version, or an absolute link", async () => {
    await clearImages();
    const user = await createEstablishedUser();
    const inBody = await createImage({ hoursAgo: 72, userId: user.id });
    const inDraft = await createImage({ hoursAgo: 72, userId: user.id });
    const inRevisionOnly = await createImage({ hoursAgo: 72, userId: user.id });
    const inReply = await createImage({ hoursAgo: 72, userId: user.id });
    const inReplyRevisionOnly = await createImage({ hoursAgo: 72, userId: user.id });
    const absolute = await createImage({ hoursAgo: 72, userId: user.id });
    const orphan = await createImage({ hoursAgo: 72, userId: user.id });

    await createItem({ body: `## Results\n\n${inBody.markdown}\n` });
    await createItem({ status: "draft", body: `Work in progress.\n\n${inDraft.markdown}\n` });
    const edited = await createItem({ body: `First version.\n\n${inRevisionOnly.markdown}\n` });
    await createItem({ slug: edited.slug, body: "Second version, without the picture.\n" });
    const current = await db
      .selectFrom("items")
      .select("body_markdown")
      .where("slug", "=", edited.slug)
      .executeTakeFirstOrThrow();
    expect(current.body_markdown).not.toContain(inRevisionOnly.id);

    const community = await createCommunity();
    await createThread({ communityId: community.id, author: user, body: `See the chart:\n\n${inReply.markdown}` });
    const thread = await createThread({
      communityId: community.id,
      author: user,
      body: `Before:\n\n${inReplyRevisionOnly.markdown}`,
    });
    await editReply({ postId: thread.openingPostId, editor: user, body: "Removed the chart." });
    await createItem({ body: `[Full size](https://commons.example${absolute.url})\n` });

    expect((await listUnreferencedImages({ olderThanHours: 24 })).map((image) => image.id)).toEqual([orphan.id]);
    const result = await pruneImages({ olderThanHours: 24, apply: true });
    expect(result.removed.map((image) => image.id)).toEqual([orphan.id]);
    expect((await storedIds()).sort()).toEqual(
      [inBody.id, inDraft.id, inRevisionOnly.id, inReply.id, inReplyRevisionOnly.id, absolute.id].sort(),
    );
  });
});

describe("deleting", () => {
  it("removes only what is still unmentioned and still old when its turn comes", async () => {
    await clearImages();
    const savedMeanwhile = await createImage({ hoursAgo: 30 });
    const uploadedAgainMeanwhile = await createImage({ hoursAgo: 30, bytes: buildPngBytes(1500) });
    const orphan = await createImage({ hoursAgo: 30 });
    const listed = await listUnreferencedImages({ olderThanHours: 24 });
    expect(listed).toHaveLength(3);

    // Between listing and deleting, an editor saves one image into an item and uploads another again.
    await createItem({ body: savedMeanwhile.markdown });
    const reuploaded = await db
      .selectFrom("item_images")
      .select("bytes")
      .where("id", "=", uploadedAgainMeanwhile.id)
      .executeTakeFirstOrThrow();
    await createImage({ bytes: new Uint8Array(reuploaded.bytes) });

    expect(await deleteImageIfUnreferenced({ id: savedMeanwhile.id, olderThanHours: 24 })).toBe(false);
    expect(await deleteImageIfUnreferenced({ id: uploadedAgainMeanwhile.id, olderThanHours: 24 })).toBe(false);
    expect(await deleteImageIfUnreferenced({ id: orphan.id, olderThanHours: 24 })).toBe(true);
    expect(await deleteImageIfUnreferenced({ id: orphan.id, olderThanHours: 24 })).toBe(false);
    expect((await storedIds()).sort()).toEqual([savedMeanwhile.id, uploadedAgainMeanwhile.id].sort());
  });
});
