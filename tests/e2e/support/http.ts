import { request } from "node:http";

import { baseUrl } from "./browser";

export type HttpAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** How much of a streamed body had been written when the answer began (the rest is never sent). */
  bytesSentBeforeAnswer: number;
};

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
    let bytesSent = 0;
    const { hostname, port } = new URL(baseUrl());
    // The path goes out as written (no dot segments resolved), as an attacker's client would send it.
    const outgoing = request({ hostname, port, path, method, headers, agent: false }, (response) => {
      isAnswered = true;
      const bytesSentBeforeAnswer = bytesSent;
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, bytesSentBeforeAnswer }),
      );
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
        for await (const chunk of body) {
          if (isAnswered || outgoing.destroyed) break;
          bytesSent += chunk.byteLength;
          if (!outgoing.write(chunk)) await new Promise((resolve) => outgoing.once("drain", resolve));
        }
        outgoing.end();
      } catch {
        outgoing.destroy();
      }
    })();
  });
}
