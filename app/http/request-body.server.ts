import type { IncomingMessage } from "node:http";

// Request bodies are read here, within a limit, before Remix parses anything: a form post needs
// far less than a megabyte, and only the editor's multipart forms carry files.

const FORM_BODY_MAX_BYTES = 1024 * 1024;
/** The editor's documented limit for a whole submission (text and attached files). */
export const UPLOAD_BODY_MAX_BYTES = 16 * 1024 * 1024;

// Routes whose actions read multipart uploads: the editor (/write/$type, /library/$slug/edit),
// the markdown file upload (/write) and a data story's datasets.
const UPLOAD_ROUTES = [/^\/write(\/[^/]+)?$/, /^\/library\/[^/]+\/(edit|datasets)$/];

type BodyLimit = { maxBytes: number; isUpload: boolean };

/** How much a request to this routed path (see routedPath) may send. */
export function bodyLimitFor({ path, contentType }: { path: string | null; contentType: string | undefined }) {
  const isMultipart = /^multipart\/form-data\b/i.test(contentType ?? "");
  const isUpload = isMultipart && path !== null && UPLOAD_ROUTES.some((route) => route.test(path));
  return { maxBytes: isUpload ? UPLOAD_BODY_MAX_BYTES : FORM_BODY_MAX_BYTES, isUpload } satisfies BodyLimit;
}

type BodyReading = { kind: "read"; body: Buffer } | { kind: "too-large" } | { kind: "gone" };

/**
 * The whole body, or "too-large" as soon as it passes maxBytes: a declared Content-Length is
 * refused before a byte is read, and a chunked body is counted as it arrives and never kept
 * past the limit. "gone" when the client went away first.
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<BodyReading> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (reading: BodyReading) => {
      request.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onClose);
      resolve(reading);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.pause();
      chunks.length = 0;
      finish({ kind: "too-large" });
    };
    const onEnd = () => finish({ kind: "read", body: Buffer.concat(chunks, size) });
    const onGone = () => finish({ kind: "gone" });
    const onClose = () => {
      if (!request.complete) onGone();
    };
    request.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onClose);
  });
}

/**
 * For an answer sent before the body was read: once it is written, stop sending but keep
 * discarding what the client is still uploading for a moment, then close. Closing at once would
 * reset the connection under a client still writing, and many then report the reset instead of
 * the answer. The wait is bounded, so an endless body cannot hold the connection.
 */
export function closeAfterAnswer(request: IncomingMessage, { lingerMs = 2000 } = {}) {
  const { socket } = request;
  // Node calls destroySoon once a "Connection: close" answer has been written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    socket.once("close", () => clearTimeout(timer));
    request.once("end", () => socket.destroy());
    request.resume();
  };
}
