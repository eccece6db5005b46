// Crash safety: rounds of start the production server, drive concurrent writes, kill -9 at a
// random moment, then check PRAGMA integrity_check and that every acknowledged write is there.
//   npm run build && npm run crash-test [-- --rounds 60 --max-seconds 900]
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import SQLite from "better-sqlite3";

import { findForm, isReplyForm, type PageForm } from "./support/forms";
import { freePort, prepareDatabase, type RunningServer, type ServerEnv, startServer } from "./support/server-process";

const { values: options } = parseArgs({
  options: {
    rounds: { type: "string", default: "60" },
    "max-seconds": { type: "string", default: "900" },
    "min-kill-ms": { type: "string", default: "0" },
    "max-kill-ms": { type: "string", default: "1500" },
    keep: { type: "boolean", default: false },
  },
});
const rounds = Number(options.rounds);
const deadline = Date.now() + Number(options["max-seconds"]) * 1000;

/** A write the system said was done, and how to find it afterwards. */
type Ack = { driver: string; what: string; isPresent: (sqlite: SQLite.Database) => boolean };

type Round = { number: number; server: RunningServer; env: ServerEnv; directory: string; cookie: string | null; forms: Map<string, PageForm> };

type RunningDriver = { acks: () => Ack[]; processes: ChildProcess[]; stop: () => void };

/**
 * The write drivers. Each starts concurrent writers for one round, or answers null when its
 * route does not exist yet. HTTP drivers count a write as acknowledged on a 2xx or 3xx answer.
 * Add a row as a write route lands (publishing, reacting): find its form, say where a marker lands.
 */
const WRITE_DRIVERS: { name: string; start: (round: Round) => RunningDriver | null }[] = [
  {
    // Saves and edits through the app's own model function, in a second process.
    name: "item saves (second process)",
    start(round) {
      const writer = spawn(process.execPath, ["--import", "tsx", "scripts/support/item-writer.ts", "--prefix", `round${round.number}`], {
        env: { ...process.env, DATABASE_PATH: round.env.DATABASE_PATH, NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      writer.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return {
        processes: [writer],
        stop: () => writer.kill("SIGKILL"),
        acks: () =>
          [...output.matchAll(/^ack (\S+) (\d+)$/gm)].map(([, slug, version]) => ({
            driver: "item saves (second process)",
            what: `${slug} v${version}`,
            isPresent: (sqlite) => ((sqlite.prepare("select version from items where slug = ?").pluck().get(slug) as number | undefined) ?? 0) >= Number(version),
          })),
      };
    },
  },
  {
    // `npm run content:import` of a folder with one new file per round, in a third process.
    name: "content import (third process)",
    start(round) {
      const root = path.join(round.directory, "content");
      const slug = `crash-round-${round.number}`;
      writeFileSync(
        path.join(root, "tips", `${slug}.md`),
        `---\ntype: tip\ntitle: "Crash round ${round.number}"\nsummary: "Written by the crash test in round ${round.number}."\nthemes: [upstream]\nauthors:\n  - name: Crash Tester\npublished: 2026-01-15\nbasis: practitioner-experience\n---\n\nRound ${round.number}.\n`,
      );
      const importer = spawn(process.execPath, ["--import", "tsx", "scripts/import-content.ts", root], {
        env: { ...process.env, DATABASE_PATH: round.env.DATABASE_PATH, NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      importer.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return {
        processes: [importer],
        stop: () => importer.kill("SIGKILL"),
        acks: () =>
          /Content import: /.test(output)
            ? [{ driver: "content import (third process)", what: slug, isPresent: (sqlite) => sqlite.prepare("select 1 from items where slug = ?").get(slug) !== undefined }]
            : [],
      };
    },
  },
  {
    // Replies posted over HTTP by a signed-in member, once a thread page offers a reply form.
    name: "replies (HTTP)",
    start(round) {
      const form = round.forms.get("reply");
      if (!form || !round.cookie) return null;
      return httpFormDriver("replies (HTTP)", round, form, (sqlite, marker) =>
        sqlite.prepare("select 1 from posts where instr(body_markdown, ?) > 0").get(marker) !== undefined,
      );
    },
  },
];

/** Four concurrent submitters of one form, each text box carrying a unique marker. */
function httpFormDriver(name: string, round: Round, form: PageForm, isMarkerPresent: (sqlite: SQLite.Database, marker: string) => boolean): RunningDriver {
  const acks: Ack[] = [];
  let isStopped = false;
  let sequence = 0;
  const submitter = async () => {
    while (!isStopped) {
      sequence += 1;
      const marker = `crash-r${round.number}-${sequence}`;
      const body = new URLSearchParams(form.fields);
      for (const field of form.textareas) body.set(field, `Reply ${marker}: we saw the same with our framework.`);
      try {
        const response = await fetch(round.server.baseUrl + form.action, {
          method: "POST",
          body,
          redirect: "manual",
          headers: { cookie: round.cookie!, origin: round.server.baseUrl, "content-type": "application/x-www-form-urlencoded" },
        });
        if (response.status >= 200 && response.status < 400) acks.push({ driver: name, what: marker, isPresent: (sqlite) => isMarkerPresent(sqlite, marker) });
      } catch {
        return; // the server is gone
      }
    }
  };
  for (let index = 0; index < 4; index += 1) void submitter();
  return { processes: [], acks: () => acks, stop: () => (isStopped = true) };
}

/** Anonymous readers keep the server busy, so the kill lands mid-request. */
function startReaders(baseUrl: string) {
  let isStopped = false;
  const read = async () => {
    for (let index = 0; !isStopped; index += 1) {
      try {
        await (await fetch(`${baseUrl}${["/", "/library", "/library?theme=upstream", "/healthz"][index % 4]}`)).arrayBuffer();
      } catch {
        return;
      }
    }
  };
  for (let index = 0; index < 4; index += 1) void read();
  return () => (isStopped = true);
}

const directory = mkdtempSync(path.join(tmpdir(), "commons-crash-"));
const env: ServerEnv = { DATABASE_PATH: path.join(directory, "crash.sqlite"), PORT: await freePort() };
mkdirSync(path.join(directory, "content"), { recursive: true });
cpSync("content", path.join(directory, "content"), { recursive: true });
prepareDatabase(env);

// A signed-in member for HTTP drivers, made through the app's own factory, then let go.
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = env.DATABASE_PATH;
const { closeDb } = await import("~/db/client.server");
const { createUser, sessionCookieFor } = await import("../tests/factories/users");
const member = await createUser({ displayName: "Crash Tester" });
const cookie = await sessionCookieFor(member.id);
await closeDb();

const forms = new Map<string, PageForm>();
const started = Date.now();
const totals = { rounds: 0, acked: 0, lost: 0, corrupt: 0, byDriver: new Map<string, number>() };

for (let number = 1; number <= rounds && Date.now() < deadline; number += 1) {
  env.PORT = await freePort();
  const server = await startServer(env);
  if (number === 1) {
    const reply = await findForm(server.baseUrl, { cookie, matches: isReplyForm });
    if (reply) forms.set("reply", reply);
  }
  const round: Round = { number, server, env, directory, cookie, forms };
  const stopReaders = startReaders(server.baseUrl);
  const running = WRITE_DRIVERS.map((driver) => ({ name: driver.name, run: driver.start(round) }));

  // Writers load the app first; the random moment is counted from when writes are flowing.
  const warmUpUntil = Date.now() + 15_000;
  const writersOf = running.filter(({ run }) => run && run.processes.length > 0);
  while (Date.now() < warmUpUntil && writersOf.every(({ run }) => run!.acks().length === 0 && run!.processes.every((child) => child.exitCode === null))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const min = Number(options["min-kill-ms"]);
  const killAfter = min + Math.floor(Math.random() * (Number(options["max-kill-ms"]) - min));
  await new Promise((resolve) => setTimeout(resolve, killAfter));
  // kill -9 the server and every writer at the same moment.
  server.child.kill("SIGKILL");
  for (const { run } of running) for (const child of run?.processes ?? []) child.kill("SIGKILL");
  stopReaders();
  for (const { run } of running) run?.stop();
  await server.exited;
  await Promise.all(running.flatMap(({ run }) => run?.processes ?? []).map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((resolve) => child.once("exit", resolve)))));

  const sqlite = new SQLite(env.DATABASE_PATH);
  let integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check).join("; ");
  // Atomicity, beyond the file's structure: no item without the revision saved in its transaction.
  const torn = sqlite.prepare("select count(*) from items where version <> (select max(version) from item_revisions where item_id = items.id)").pluck().get() as number;
  if (torn > 0) integrity += `; ${torn} items without their revision`;
  const acks = running.flatMap(({ run }) => run?.acks() ?? []);
  const lost = acks.filter((ack) => !ack.isPresent(sqlite));
  sqlite.close();

  totals.rounds += 1;
  totals.acked += acks.length;
  totals.lost += lost.length;
  if (integrity !== "ok") totals.corrupt += 1;
  for (const ack of acks) totals.byDriver.set(ack.driver, (totals.byDriver.get(ack.driver) ?? 0) + 1);
  const counts = running.map(({ name, run }) => `${name}: ${run ? acks.filter((ack) => ack.driver === name).length : "n/a"}`).join(", ");
  console.log(`round ${String(number).padStart(2)}: killed at ${killAfter} ms; acknowledged ${counts}; lost ${lost.length}; integrity ${integrity}`);
  for (const ack of lost.slice(0, 5)) console.log(`  LOST ${ack.driver}: ${ack.what}`);
}

// One last restart: the server must come up healthy on what the last crash left.
env.PORT = await freePort();
const last = await startServer(env);
last.child.kill("SIGTERM");
const lastExit = await last.exited;

const drivers = WRITE_DRIVERS.map(({ name }) => `${name} ${totals.byDriver.get(name) ?? (name === "replies (HTTP)" && !forms.has("reply") ? "n/a (no reply route yet)" : 0)}`).join(", ");
console.log(
  `\n${totals.rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s: ${totals.acked} acknowledged writes (${drivers}), ` +
    `${totals.lost} lost, ${totals.corrupt} corrupt; final restart healthy, SIGTERM exit ${lastExit}.`,
);
if (totals.lost > 0 || totals.corrupt > 0 || totals.rounds < rounds || lastExit !== 0) process.exitCode = 1;
if (!options.keep) rmSync(directory, { recursive: true, force: true });
else console.log(`Kept ${directory}`);
