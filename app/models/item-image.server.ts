import { createHash } from "node:crypto";

import { db } from "~/db/client.server";
import { nowIso } from "~/utils/dates";

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_ALT_MAX_LENGTH = 250;
const IMAGE_CAPTION_MAX_LENGTH = 300;

const EXTENSIONS = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as const;
export type ImageType = keyof typeof EXTENSIONS;

/** The image's type from its first bytes; the file name and the browser's claim are ignored. */
export function detectImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (signature: number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return undefined;
}

export type ImageUploadResult =
  | { ok: true; url: string; markdown: string }
  | { ok: false; field: "image" | "image_alt" | "image_caption"; message: string };

/** Alt text goes into markdown: keep it on one line and free of the brackets that end it. */
function markdownSafe(text: string) {
  return text
    .replace(/\s+/g, " ")
    .replace(/[[\]\\]/g, (character) => `\\${character}`)
    .trim();
}

/** Stores an uploaded image (content-addressed) and returns the markdown that shows it. */
export async function storeImage({
  bytes,
  alt,
  caption,
  userId,
}: {
  bytes: Uint8Array;
  alt: string;
  caption: string;
  userId: string;
}): Promise<ImageUploadResult> {
  if (bytes.byteLength === 0) return { ok: false, field: "image", message: "Choose an image file to upload" };
  if (bytes.byteLength > IMAGE_MAX_BYTES) {
    return { ok: false, field: "image", message: "The image must be smaller than 5 MB" };
  }
  const contentType = detectImageType(bytes);
  if (!contentType) return { ok: false, field: "image", message: "The image must be a PNG, JPEG or WebP file" };
  const altText = alt.trim();
  if (altText === "") {
    return { ok: false, field: "image_alt", message: "Describe the image for people who cannot see it (alt text)" };
  }
  if (altText.length > IMAGE_ALT_MAX_LENGTH) {
    return { ok: false, field: "image_alt", message: `Alt text must be at most ${IMAGE_ALT_MAX_LENGTH} characters` };
  }
  const captionText = caption.trim();
  if (captionText.length > IMAGE_CAPTION_MAX_LENGTH) {
    return {
      ok: false,
      field: "image_caption",
      message: `The caption must be at most ${IMAGE_CAPTION_MAX_LENGTH} characters`,
    };
  }
  const id = createHash("sha256").update(bytes).digest("hex").slice(0, 32);
  await db
    .insertInto("item_images")
    .values({
      id,
      item_id: null,
      content_type: contentType,
      bytes: Buffer.from(bytes),
      byte_size: bytes.byteLength,
      alt: altText,
      caption: captionText || null,
      uploaded_by_user_id: userId,
      created_at: nowIso(),
    })
    // The same bytes uploaded again restart the clock, so `npm run images:prune` gives this upload its grace period too.
    .onConflict((oc) => oc.column("id").doUpdateSet({ created_at: nowIso() }))
    .execute();
  const url = `/images/${id}.${EXTENSIONS[contentType]}`;
  const title = captionText ? ` "${captionText.replace(/"/g, "'").replace(/\s+/g, " ")}"` : "";
  return { ok: true, url, markdown: `![${markdownSafe(altText)}](${url}${title})` };
}

/** An image by its URL name (`<id>.<ext>`), if the extension matches what was stored. */
export async function getImage({ name }: { name: string }) {
  const match = /^([a-f0-9]{32})\.(png|jpg|webp)$/.exec(name);
  if (!match) return undefined;
  const row = await db
    .selectFrom("item_images")
    .select(["content_type", "bytes"])
    .where("id", "=", match[1]!)
    .executeTakeFirst();
  if (!row || EXTENSIONS[row.content_type] !== match[2]) return undefined;
  return { contentType: row.content_type, bytes: row.bytes };
}
