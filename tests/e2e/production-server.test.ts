import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import {
  freePort,
  prepareDatabase,
  type RunningServer,
  type ServerEnv,
  startServer,
} from "../../scripts/support/server-process";

const directory = mkdtempSync(path.join(tmpdir(), "commons-server-test-"));
let env: ServerEnv;

beforeAll(async () => {
  env = { DATABASE_PATH: path.join(directory, "server.sqlite"), PORT: await freePort() };
  prepareDatabase(env);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A GET on a connection of its own; `onSent` learns when the whole request has been handed to the network. */
function get(url: string, headers: Record<string, string> = {}, onSent?: (sent: Promise<void>) => void) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const outgoing = request(url, { headers, agent: false }, (response) => {
      let body = "";
      response.setEncoding("latin1").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    onSent?.(new Promise((done) => outgoing.once("finish", () => done())));
    outgoing.on("error", reject).end();
  });
}

// Compressing a page and storing a personal one happen after the response that rendered it: on a
// busy machine that can take a while, so each wait for the cache has a generous bound of its own.
const CACHE_SETTLES_MS = 10_000;

/** The server processes' pids, from their "listening" log lines. */
function listeningPids(output: string) {
  return [...output.matchAll(/"msg":"Procurement Commons listening[^\n]*"pid":(\d+)/g)].map((match) =>
    Number(match[1]),
  );
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How many connections to `port` the processes `pids` have taken from the listen queue, read from
 * Linux's /proc as `ss -p` does. A request written to the socket may still wait in the kernel's
 * queue, where no process has it yet and a shutdown rightly resets it: it is in flight only once
 * a server process has accepted it.
 */
function acceptedConnections(pids: number[], port: number) {
  const portSuffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const serverSideInodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"].filter((file) => existsSync(file))) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const [, localAddress, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (localAddress?.endsWith(portSuffix) && state === "01" && inode) serverSideInodes.add(inode);
    }
  }
  let accepted = 0;
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (socket && serverSideInodes.has(socket[1]!)) accepted += 1;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return accepted;
}

describe("start-up configuration", () => {
  it("refuses to start with a bad PORT and names it", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
      env: { ...process.env, PORT: "eighty", DATABASE_PATH: env.DATABASE_PATH, NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT: must be a port number from 1 to 65535 (got "eighty")');
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});

describe("graceful shutdown", () => {
  it("finishes in-flight requests on SIGTERM, closes the database and exits 0", async () => {
    const port = await freePort();
    const server = await startServer({ ...env, PORT: port, PAGE_CACHE_MAX_ENTRIES: 0, WEB_CONCURRENCY: 2 });
    // /healthz answers as soon as one process listens; a process still starting has no SIGTERM handler yet.
    await waitFor(() => listeningPids(server.output()).length === 2, "two server processes");
    const sent: Promise<void>[] = [];
    const inFlight = Array.from({ length: 40 }, () =>
      get(`${server.baseUrl}/library`, {}, (sentRequest) => sent.push(sentRequest)),
    );
    await Promise.all(sent);
    const workers = listeningPids(server.output());
    const answered = () => server.output().match(/"path":"\/library","status":200/g)?.length ?? 0;
    await waitFor(
      () => acceptedConnections(workers, port) + answered() >= 40,
      "the server processes to accept all 40 connections",
    );
    server.child.kill("SIGTERM");
    const responses = await Promise.all(inFlight);
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));
    expect(responses.every((response) => response.body.includes("</html>"))).toBe(true);
    await expect(server.exited).resolves.toBe(0);
    await expect(get(`${server.baseUrl}/library`)).rejects.toThrow(/ECONNREFUSED/);
    // Closing the last connection checkpoints the WAL into the database and removes it.
    expect(existsSync(`${env.DATABASE_PATH}-wal`)).toBe(false);
  });
});

describe("server processes", () => {
  it("runs WEB_CONCURRENCY of them, replaces one that dies, and stops them all on SIGTERM", async () => {
    const server = await startServer({ ...env, PORT: await freePort(), WEB_CONCURRENCY: 2 });
    await waitFor(() => listeningPids(server.output()).length === 2, "two server processes");
    const [first, second] = listeningPids(server.output());
    expect(first).not.toBe(second);

    process.kill(first!, "SIGKILL");
    await waitFor(() => listeningPids(server.output()).length === 3, "a replacement server process");
    const replacement = listeningPids(server.output())[2]!;
    expect([first, second]).not.toContain(replacement);
    expect(server.output()).toContain('"msg":"server process died: starting another"');
    for (let request = 0; request < 4; request += 1) expect((await get(`${server.baseUrl}/library`)).status).toBe(200);

    server.child.kill("SIGTERM");
    await expect(server.exited).resolves.toBe(0);
    expect(isRunning(second!) || isRunning(replacement)).toBe(false);
  });

  it("stops its server processes when the primary is killed, so a restart owns the port alone", async () => {
    const server = await startServer({ ...env, PORT: await freePort(), WEB_CONCURRENCY: 2 });
    await waitFor(() => listeningPids(server.output()).length === 2, "two server processes");
    server.child.kill("SIGKILL");
    await server.exited;
    await waitFor(
      () => listeningPids(server.output()).every((pid) => !isRunning(pid)),
      "the orphaned server processes to stop",
    );
    const restarted = await startServer({ ...env, PORT: Number(new URL(server.baseUrl).port), WEB_CONCURRENCY: 1 });
    expect((await get(`${restarted.baseUrl}/healthz`)).status).toBe(200);
    restarted.child.kill("SIGTERM");
    await expect(restarted.exited).resolves.toBe(0);
  });
});

describe("mail without SMTP_URL", () => {
  it("warns once at start-up that nothing is delivered, writes each message to a file and logs its path", async () => {
    const address = `no-smtp-${Date.now()}@example.gov.uk`;
    const sqlite = new SQLite(env.DATABASE_PATH);
    const now = new Date().toISOString();
    sqlite
      .prepare(
        "insert into users (id, email, username, display_name, password_hash, created_at, updated_at, email_verified_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      // Any hash will do: only an account that has a password is sent a reset link.
      .run(randomUUID(), address, `no-smtp-${Date.now()}`, "No Smtp", "$argon2id$not-a-real-hash", now, now, now);
    sqlite.close();
    const server = await startServer({ ...env, PORT: await freePort(), WEB_CONCURRENCY: 2 });
    await waitFor(() => listeningPids(server.output()).length === 2, "two server processes");
    const response = await fetch(`${server.baseUrl}/forgot-password`, {
      method: "POST",
      headers: { origin: server.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: address }),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    await waitFor(() => server.output().includes("mail written to a file"), "the line naming the file");
    const written = server
      .output()
      .split("\n")
      .filter((line) => line.includes("mail written to a file"))
      .map((line) => JSON.parse(line) as { file: string; kind: string });
    expect(written).toEqual([expect.objectContaining({ kind: "password-reset" })]);
    expect(written[0]!.file.startsWith(`${env.DATABASE_PATH}-mail${path.sep}`)).toBe(true);
    expect(readFileSync(written[0]!.file, "utf8")).toContain(`To: ${address}`);
    // The primary warns; its two server processes do not repeat it.
    expect(server.output().match(/mail is not being delivered: SMTP_URL is not set/g)).toHaveLength(1);
    server.child.kill("SIGTERM");
    await expect(server.exited).resolves.toBe(0);
  });
});

describe("page cache", () => {
  // Each server process keeps its own cache, and the browser suite's server runs two that take
  // connections in turn: what one process cached, the next request may not find. These tests
  // watch one cache, so they get a server of one process, on the suite's database, where the
  // factories write.
  let server: RunningServer;
  const baseUrl = () => server.baseUrl;
  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: inject("databasePath"), PORT: await freePort(), WEB_CONCURRENCY: 1 });
  });
  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
  });

  it("serves anonymous pages from memory, compressed once, and revalidates by ETag", async () => {
    const first = await get(`${baseUrl()}/library?page=1`);
    await expect
      .poll(
        async () => (await get(`${baseUrl()}/library?page=1`, { "accept-encoding": "br" })).headers["content-encoding"],
        {
          timeout: CACHE_SETTLES_MS,
        },
      )
      .toBe("br");
    const second = await get(`${baseUrl()}/library?page=1`, { "accept-encoding": "gzip, deflate, br" });
    expect(first.status).toBe(200);
    expect(second.headers["x-cache"]).toBe("hit");
    expect(second.headers["content-encoding"]).toBe("br");
    const notModified = await get(`${baseUrl()}/library?page=1`, { "if-none-match": String(second.headers.etag) });
    expect(notModified.status).toBe(304);
  });

  it("never serves an anonymous page, or any cached page, to a cookie that is not a live session", async () => {
    await get(`${baseUrl()}/about`);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const visitor = await get(`${baseUrl()}/about`, { cookie: "__Host-commons_session=not-a-real-session" });
      expect(visitor.headers["x-cache"]).toBe("miss");
      expect(visitor.headers["set-cookie"]).toBeDefined();
    }
  });

  it("keeps a member's page for their session only until anything is written or they sign out", async () => {
    const { createUser, sessionCookieFor } = await import("../factories/users");
    const { db } = await import("~/db/client.server");
    const member = await createUser({ displayName: "Cached Member" });
    const cookie = await sessionCookieFor(member.id);
    const other = await sessionCookieFor((await createUser({ displayName: "Other Member" })).id);

    const isHit = async () => (await get(`${baseUrl()}/about`, { cookie })).headers["x-cache"] === "hit";
    const first = await get(`${baseUrl()}/about`, { cookie });
    expect(first.body).toContain("Cached Member");
    await expect.poll(isHit, { timeout: CACHE_SETTLES_MS }).toBe(true);
    expect(await isHit()).toBe(true);
    const someoneElse = await get(`${baseUrl()}/about`, { cookie: other });
    expect(someoneElse.body).toContain("Other Member");
    expect(someoneElse.body).not.toContain("Cached Member");

    // Any write by anyone (here a session row, which no public page shows) re-renders it.
    await sessionCookieFor(member.id);
    expect((await get(`${baseUrl()}/about`, { cookie })).headers["x-cache"]).toBe("miss");

    await expect.poll(isHit, { timeout: CACHE_SETTLES_MS }).toBe(true);
    await db.deleteFrom("sessions").where("user_id", "=", member.id).execute();
    const signedOut = await get(`${baseUrl()}/about`, { cookie });
    expect(signedOut.headers["x-cache"]).toBe("miss");
    expect(signedOut.body).not.toContain("Cached Member");
  });

  it("shows a write from another process on the very next request", async () => {
    const { createItem } = await import("../factories/items");
    // A page only the new item will appear on, whatever else other tests have published.
    const page = `${baseUrl()}/library?type=tip&tag=cache-invalidation`;
    await get(page);
    await expect.poll(async () => (await get(page)).headers["x-cache"], { timeout: CACHE_SETTLES_MS }).toBe("hit");
    expect((await get(page)).headers["x-cache"]).toBe("hit");
    await createItem({
      type: "tip",
      slug: "cache-invalidation-check",
      title: "Fresh tip from another process",
      tags: ["cache-invalidation"],
    });
    const after = await get(page);
    expect(after.headers["x-cache"]).toBe("miss");
    expect(after.body).toContain("Fresh tip from another process");
  });
});
