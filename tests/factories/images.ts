import { randomBytes } from "node:crypto";

import { db } from "~/db/client.server";
import { storeImage } from "~/models/item-image.server";

import { createUser } from "./users";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Distinct PNG-typed bytes of the given size (the image is stored, not decoded). */
export function buildPngBytes(byteSize = 1000) {
  const bytes = new Uint8Array(byteSize);
  bytes.set(PNG_SIGNATURE);
  bytes.set(randomBytes(byteSize - PNG_SIGNATURE.length), PNG_SIGNATURE.length);
  return bytes;
}

/**
 * Uploads an image through the model, as the editor does; `hoursAgo` moves its upload time back.
 * Returns its id, URL and the markdown that shows it.
 */
export async function createImage({
  hoursAgo = 0,
  bytes = buildPngBytes(),
  userId,
}: { hoursAgo?: number; bytes?: Uint8Array; userId?: string } = {}) {
  const uploader = userId ?? (await createUser()).id;
  const stored = await storeImage({ bytes, alt: "A chart of spend by quarter", caption: "", userId: uploader });
  if (!stored.ok) throw new Error(`createImage: ${stored.message}`);
  const id = /\/images\/([a-f0-9]{32})\./.exec(stored.url)![1]!;
  if (hoursAgo > 0) {
    await db
      .updateTable("item_images")
      .set({ created_at: new Date(Date.now() - hoursAgo * 3600 * 1000).toISOString() })
      .where("id", "=", id)
      .execute();
  }
  return { id, url: stored.url, markdown: stored.markdown, byteSize: bytes.byteLength, userId: uploader };
}
