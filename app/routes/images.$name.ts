import type { LoaderFunctionArgs } from "@remix-run/node";

import { getImage } from "~/models/item-image.server";

/** Uploaded images. Their names are hashes of their bytes, so they can be cached forever. */
export async function loader({ params }: LoaderFunctionArgs) {
  const image = await getImage({ name: params.name ?? "" });
  if (!image) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.bytes.byteLength),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
