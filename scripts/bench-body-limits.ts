// Benchmark: what an oversized request body costs a server process (issue 13, item 4). Sends the
// two bodies from the security review, each to a fresh production server with one server
// process: a 300 MB chunked url-encoded POST to /sign-in, and 60 MB chunked to /write/tip without
// a session, url-encoded and as one multipart field. Reports the answer, how long it took, how much of the body was
// sent before the answer began, and the server process's resident memory before and at its peak
// (VmHWM, so a spike between samples is not missed). Target: a 413 within a second, and the peak
// within 64 MB of the resting size.
// Run with `npm run bench:body-limits` (after `npm run build`).
import { readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";

import { freePort, prepareDatabase, startServer } from "./support/server-process";

const MB = 1024 * 1024;
const directory = path.join(tmpdir(), `commons-bench-body-${process.pid}`);
const env = { DATABASE_PATH: path.join(directory, "bench.sqlite"), PORT: await freePort() };

function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kilobytes("VmRSS") / 1024, peakMb: kilobytes("VmHWM") / 1024 };
}

function send(baseUrl: string, target: string, contentType: string, totalBytes: number, head = "") {
  return new Promise<{ status: number; ms: number; sentMb: number }>((resolve, reject) => {
    const started = performance.now();
    const { hostname, port } = new URL(baseUrl);
    let sent = 0;
    let answered = false;
    const outgoing = request(
      {
        hostname,
        port,
        path: target,
        method: "POST",
        agent: false,
        headers: { Origin: baseUrl, "Content-Type": contentType, "Transfer-Encoding": "chunked", Accept: "text/html" },
      },
      (response) => {
        answered = true;
        const sentMb = sent / MB;
        response
          .resume()
          .on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, sentMb }));
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered && error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    if (head) outgoing.write(head);
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.byteLength;
        if (!outgoing.write(chunk)) return void outgoing.once("drain", pump);
      }
      outgoing.end();
    };
    pump();
  });
}

const BOUNDARY = "bench";
const cases = [
  {
    label: "300 MB chunked form post to /sign-in",
    target: "/sign-in",
    type: "application/x-www-form-urlencoded",
    bytes: 300 * MB,
  },
  {
    label: "60 MB chunked form post to /write/tip, no session",
    target: "/write/tip",
    type: "application/x-www-form-urlencoded",
    bytes: 60 * MB,
  },
  {
    label: "60 MB chunked multipart post (one field) to /write/tip, no session",
    target: "/write/tip",
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    bytes: 60 * MB,
    head: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="body"\r\n\r\n`,
  },
];

prepareDatabase(env);
console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}`,
);
try {
  for (const { label, target, type, bytes, head } of cases) {
    const server = await startServer({ ...env, PORT: await freePort(), WEB_CONCURRENCY: 1 });
    try {
      const pid = Number([...server.output().matchAll(/listening[^\n]*"pid":(\d+)/g)].at(-1)?.[1]);
      // A few pages first, so the resting size includes a warm process.
      for (const page of ["/", "/library", "/sign-in", "/about"])
        await (await fetch(`${server.baseUrl}${page}`)).text();
      const before = memoryOf(pid);
      const result = await send(server.baseUrl, target, type, bytes, head);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = memoryOf(pid);
      console.log(
        `${label}: ${result.status} in ${result.ms.toFixed(0)} ms after ${result.sentMb.toFixed(1)} MB sent; ` +
          `server process RSS ${before.rssMb.toFixed(0)} MB before (peak so far ${before.peakMb.toFixed(0)} MB), ` +
          `peak ${after.peakMb.toFixed(0)} MB (+${(after.peakMb - before.peakMb).toFixed(0)} MB)`,
      );
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
