import { request } from "node:http";

import { baseUrl } from "./browser";

export type HttpAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One request over a fresh connection, as curl would send it: headers exactly as given (fetch
 * would add or merge some, and refuses a few a browser does send), and the answer read even if
 * the server answers before the whole body is sent.
 */
export function httpRequest(
  path: string,
  {
    method = "GET",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer | AsyncIterable<Buffer> } = {},
) {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let isAnswered = false;
    const outgoing = request(new URL(path, baseUrl()), { method, headers, agent: false }, (response) => {
      isAnswered = true;
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    // Writing on after the server has answered and closed is expected; the answer still arrives.
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    outgoing.on("close", () => {
      if (!isAnswered) reject(new Error(`${method} ${path}: the connection closed without an answer`));
    });
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) return void outgoing.end(body);
    void (async () => {
      try {
        for await (const chunk of body) if (!outgoing.write(chunk)) await new Promise((r) => outgoing.once("drain", r));
        outgoing.end();
      } catch {
        outgoing.destroy();
      }
    })();
  });
}
