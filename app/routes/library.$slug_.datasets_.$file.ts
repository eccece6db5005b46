import type { LoaderFunctionArgs } from "@remix-run/node";

import { getDatasetDownload } from "~/models/dataset.server";

/** A data story's dataset file, byte for byte as stored, with its checksum as the ETag. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const dataset = await getDatasetDownload({ slug: params.slug ?? "", fileName: params.file ?? "" });
  if (!dataset) throw new Response("There is no dataset with that name on this story.", { status: 404 });
  const etag = `"${dataset.sha256}"`;
  const headers = {
    ETag: etag,
    "Cache-Control": "public, max-age=300, must-revalidate",
    "X-Content-Type-Options": "nosniff",
  };
  if (
    request.headers
      .get("If-None-Match")
      ?.split(/\s*,\s*/)
      .includes(etag)
  )
    return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(dataset.content), {
    headers: {
      ...headers,
      "Content-Type": dataset.media_type,
      "Content-Length": String(dataset.content.byteLength),
      "Content-Disposition": `attachment; filename="${dataset.file_name}"`,
      "Last-Modified": new Date(dataset.updated_at).toUTCString(),
    },
  });
}
