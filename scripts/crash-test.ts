// Crash safety: rounds of start the production server, drive concurrent writes, kill -9 at a
// random moment, then check PRAGMA integrity_check and that every acknowledged write is there;
// the server sends mail to a local SMTP server meanwhile, and every queued message must arrive.
//   npm run build && npm run crash-test [-- --rounds 60 --max-seconds 900]
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import SQLite from "better-sqlite3";
import { SMTPServer } from "smtp-server";

import { formsIn, type PageForm, submitForm } from "./support/forms";
import type { Member } from "./support/members";
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

/** The real forms the HTTP drivers submit, as the pages offer them to a signed-in member. */
type Forms = { publish: PageForm; tipBasis: string; threadReply: PageForm; itemReply: PageForm };

type Round = {
  number: number;
  server: RunningServer;
  env: ServerEnv;
  directory: string;
  members: { publishers: Member[]; posters: Member[]; reactors: Member[] };
  forms: Forms;
  /** Item and thread pages whose Helpful buttons this round's reactors press. */
  reactionPages: string[];
};

type RunningDriver = { acks: () => Ack[]; refused?: () => number[]; processes: ChildProcess[]; stop: () => void };

/**
 * The write drivers, each starting concurrent writers for one round. HTTP drivers submit the
 * real forms as signed-in members and count a write as acknowledged on a 2xx or 3xx answer.
 * Add a row as a write route lands: find its form, say where a marker lands.
 */
const WRITE_DRIVERS: { name: string; start: (round: Round) => RunningDriver }[] = [
  {
    // Mail queued in its own transactions by a second process while the server's sender delivers
    // it. Queued means committed: the message must be in the outbox after the crash, and one
    // marked sent must have reached the SMTP server (it is marked only after the server accepts it).
    name: "mail queued (second process)",
    start(round) {
      const writer = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/support/mail-writer.ts", "--prefix", `round${round.number}`],
        {
          env: { ...process.env, DATABASE_PATH: round.env.DATABASE_PATH, NODE_ENV: "production" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      writer.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return {
        processes: [writer],
        stop: () => writer.kill("SIGKILL"),
        acks: () =>
          [...output.matchAll(/^ack (\S+)$/gm)].map(([, subject]) => ({
            driver: "mail queued (second process)",
            what: subject!,
            isPresent: (sqlite) => {
              const row = outboxRow(sqlite, subject!);
              return row !== undefined && (row.status !== "sent" || mailbox.messageIds.has(row.message_id));
            },
          })),
      };
    },
  },
  {
    // Saves and edits through the app's own model function, in a second process.
    name: "item saves (second process)",
    start(round) {
      const writer = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/support/item-writer.ts", "--prefix", `round${round.number}`],
        {
          env: { ...process.env, DATABASE_PATH: round.env.DATABASE_PATH, NODE_ENV: "production" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      writer.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return {
        processes: [writer],
        stop: () => writer.kill("SIGKILL"),
        acks: () =>
          [...output.matchAll(/^ack (\S+) (\d+)$/gm)].map(([, slug, version]) => ({
            driver: "item saves (second process)",
            what: `${slug} v${version}`,
            isPresent: (sqlite) =>
              ((sqlite.prepare("select version from items where slug = ?").pluck().get(slug) as number | undefined) ??
                0) >= Number(version),
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
            ? [
                {
                  driver: "content import (third process)",
                  what: slug,
                  isPresent: (sqlite) => sqlite.prepare("select 1 from items where slug = ?").get(slug) !== undefined,
                },
              ]
            : [],
      };
    },
  },
  {
    // Members publishing tips through the real /write/tip form (multipart, intent "publish").
    name: "publishing (HTTP)",
    start(round) {
      const form = round.forms.publish;
      return httpDriver("publishing (HTTP)", round, round.members.publishers, async (member, marker) => {
        const response = await submitForm(round.server.baseUrl, form, {
          cookie: member.cookie,
          origin: round.server.origin,
          button: { name: "intent", value: "publish" },
          values: {
            title: `Crash tip ${marker}`,
            summary: `Written by the crash test (${marker}) to check that a published tip survives kill -9.`,
            themes: "upstream",
            tags: "crash-test",
            basis: round.forms.tipBasis,
            body: `## What we did\n\nMarker ${marker}. We read the call-off terms against the specification before award.\n`,
          },
        });
        const slug = new URL(response.headers.get("location") ?? "/", round.server.baseUrl).pathname.replace(
          /^\/library\//,
          "",
        );
        return {
          status: response.status,
          isPresent: (sqlite) =>
            sqlite
              .prepare("select 1 from items where slug = ? and status = 'published' and instr(title, ?) > 0")
              .get(slug, marker) !== undefined,
        };
      });
    },
  },
  {
    // Replies through the real reply forms: on a community thread, and on an item page.
    name: "replies (HTTP)",
    start(round) {
      const targets = [round.forms.threadReply, round.forms.itemReply];
      return httpDriver("replies (HTTP)", round, round.members.posters, async (member, marker, worker) => {
        const form = targets[worker % targets.length]!;
        const response = await submitForm(round.server.baseUrl, form, {
          cookie: member.cookie,
          origin: round.server.origin,
          values: { body: `Reply ${marker}: we saw the same with our framework, and the standstill letter helped.` },
        });
        return {
          status: response.status,
          isPresent: (sqlite) =>
            sqlite.prepare("select 1 from posts where instr(body_markdown, ?) > 0").get(marker) !== undefined,
        };
      });
    },
  },
  {
    // "Helpful" on items and replies: fresh members each round read pages and press every Helpful
    // button they are offered (one reaction per member and target, so each press is a new row).
    name: "reactions (HTTP)",
    start(round) {
      const pending = round.members.reactors.map(() => [...round.reactionPages]);
      const queues = new Map<string, PageForm[]>();
      return httpDriver("reactions (HTTP)", round, round.members.reactors, async (member, _marker, worker) => {
        let queue = queues.get(member.id) ?? [];
        while (queue.length === 0) {
          const page = pending[worker]!.shift();
          if (!page) return null;
          const html = await (await fetch(round.server.baseUrl + page, { headers: { cookie: member.cookie } })).text();
          queue = formsIn(html, page).filter((form) => form.fields.intent === "helpful" && form.fields.helpful === "1");
        }
        queues.set(member.id, queue);
        const form = queue.shift()!;
        const response = await submitForm(round.server.baseUrl, form, {
          cookie: member.cookie,
          origin: round.server.origin,
        });
        const { targetType, targetId } = form.fields;
        return {
          status: response.status,
          isPresent: (sqlite) =>
            sqlite
              .prepare("select 1 from reactions where user_id = ? and target_type = ? and target_id = ?")
              .get(member.id, targetType, Number(targetId)) !== undefined,
        };
      });
    },
  },
];

/**
 * One concurrent submitter per member, until stopped or out of work (`write` answers null). A
 * 2xx or 3xx answer is an acknowledged write, checked after the crash; anything else is counted
 * as refused (a driver whose writes are refused is broken, and the run says so).
 */
function httpDriver(
  name: string,
  round: Round,
  members: Member[],
  write: (
    member: Member,
    marker: string,
    worker: number,
  ) => Promise<{ status: number; isPresent: Ack["isPresent"] } | null>,
): RunningDriver {
  const acks: Ack[] = [];
  const refused: number[] = [];
  let isStopped = false;
  let sequence = 0;
  const submitter = async (member: Member, worker: number) => {
    while (!isStopped) {
      sequence += 1;
      const marker = `crash-r${round.number}-${name.split(" ")[0]}-${sequence}`;
      try {
        const outcome = await write(member, marker, worker);
        if (!outcome) return;
        if (outcome.status >= 200 && outcome.status < 400)
          acks.push({ driver: name, what: marker, isPresent: outcome.isPresent });
        else if (!isStopped) refused.push(outcome.status);
      } catch {
        return; // the server is gone
      }
    }
  };
  members.forEach((member, worker) => void submitter(member, worker));
  return { processes: [], acks: () => acks, refused: () => refused, stop: () => (isStopped = true) };
}

/** Anonymous readers keep the server busy, so the kill lands mid-request. */
function startReaders(baseUrl: string) {
  let isStopped = false;
  const read = async () => {
    for (let index = 0; !isStopped; index += 1) {
      try {
        await (
          await fetch(
            `${baseUrl}${["/", "/library", "/library?theme=upstream", "/search?q=social+value", "/communities", "/healthz"][index % 6]}`,
          )
        ).arrayBuffer();
      } catch {
        return;
      }
    }
  };
  for (let index = 0; index < 4; index += 1) void read();
  return () => (isStopped = true);
}

/**
 * The SMTP server the crashing servers send to (the smtp-server package, on loopback), counting
 * arrivals by subject and Message-ID. It answers after a few random milliseconds, so kills land
 * while conversations are open.
 */
async function startMailbox() {
  const messageIds = new Set<string>();
  const arrivals = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        const header = raw.slice(0, raw.indexOf("\r\n\r\n"));
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(header)?.[1] ?? "";
        const subject = /^Subject:\s*(.+)$/im.exec(header)?.[1]?.trim() ?? "";
        setTimeout(() => {
          messageIds.add(messageId);
          arrivals.set(subject, (arrivals.get(subject) ?? 0) + 1);
          callback();
        }, Math.random() * 20);
      });
    },
  });
  server.on("error", () => {}); // a sender killed mid-conversation resets its connection
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `smtp://127.0.0.1:${port}`, messageIds, arrivals, close: () => server.close(() => {}) };
}

/** The outbox as one crash left it, read once per check. */
const outboxes = new WeakMap<SQLite.Database, Map<string, { status: string; message_id: string }>>();
function outboxRow(sqlite: SQLite.Database, subject: string) {
  let rows = outboxes.get(sqlite);
  if (!rows) {
    const all = sqlite.prepare("select subject, status, message_id from mail_outbox").all() as {
      subject: string;
      status: string;
      message_id: string;
    }[];
    rows = new Map(all.map((row) => [row.subject, row]));
    outboxes.set(sqlite, rows);
  }
  return rows.get(subject);
}

const mailbox = await startMailbox();
const directory = mkdtempSync(path.join(tmpdir(), "commons-crash-"));
const env: ServerEnv = {
  DATABASE_PATH: path.join(directory, "crash.sqlite"),
  PORT: await freePort(),
  SMTP_URL: mailbox.url,
};
mkdirSync(path.join(directory, "content"), { recursive: true });
cpSync("content", path.join(directory, "content"), { recursive: true });
prepareDatabase(env);

// Signed-in members for the HTTP drivers (accounts a month old, sessions made in the database:
// the sign-in rate limit and the new-account posting limit are not what this checks), then let go.
// Reactors are fresh each round, so every Helpful they press is a new row.
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = env.DATABASE_PATH;
const { closeDb } = await import("~/db/client.server");
const { createEstablishedMembers } = await import("./support/members");
const publishers = await createEstablishedMembers(2, "crash-publisher");
const posters = await createEstablishedMembers(4, "crash-poster");
const reactorPool = await createEstablishedMembers(rounds * 2, "crash-reactor");
await closeDb();

const setup = new SQLite(env.DATABASE_PATH, { readonly: true });
const threadPaths = setup
  .prepare(
    `select '/communities/' || communities.slug || '/threads/' || threads.id || '-' || threads.slug from threads
       join communities on communities.id = threads.community_id
       where communities.visibility = 'open' and threads.is_locked = 0 and threads.is_hidden = 0 order by threads.id limit 3`,
  )
  .pluck()
  .all() as string[];
const firstItemPath = `/library/${setup.prepare("select slug from items where status = 'published' order by id limit 1").pluck().get() as string}`;
setup.close();
if (threadPaths.length === 0) throw new Error("No open community thread to reply to: did the communities import run?");

/** The page's form that `matches`, as `member` sees it; a missing form stops the run (the route changed). */
async function formOn(
  baseUrl: string,
  page: string,
  member: Member,
  what: string,
  matches: (form: PageForm) => boolean,
) {
  const html = await (await fetch(baseUrl + page, { headers: { cookie: member.cookie } })).text();
  const form = formsIn(html, page).find(matches);
  if (!form) throw new Error(`No ${what} on ${page} for a signed-in member.`);
  return form;
}
const isReply = (form: PageForm) =>
  form.method === "post" && form.fields.intent === "reply" && form.textareas.includes("body");

let forms: Forms | null = null;
const started = Date.now();
const totals = {
  rounds: 0,
  acked: 0,
  lost: 0,
  corrupt: 0,
  byDriver: new Map<string, number>(),
  refused: new Map<string, number[]>(),
  roundsKilledMidSend: 0,
};
/** Subjects of every message the mail driver saw committed, across rounds. */
const queuedMail: string[] = [];

for (let number = 1; number <= rounds && Date.now() < deadline; number += 1) {
  // Pages to react on: a sample of the published items (their discussions included) and threads.
  const before = new SQLite(env.DATABASE_PATH, { readonly: true });
  const itemPaths = before
    .prepare("select '/library/' || slug from items where status = 'published' order by random() limit 30")
    .pluck()
    .all() as string[];
  before.close();
  env.PORT = await freePort();
  const server = await startServer(env, { ownProcessGroup: true });
  if (!forms) {
    const publish = await formOn(
      server.baseUrl,
      "/write/tip",
      publishers[0]!,
      "publishing form",
      (form) => form.action === "/write/tip" && form.buttons.some((button) => button.value === "publish"),
    );
    forms = {
      publish,
      tipBasis: publish.selects.basis?.find((value) => value !== "") ?? "",
      threadReply: await formOn(server.baseUrl, threadPaths[0]!, posters[0]!, "reply form", isReply),
      itemReply: await formOn(server.baseUrl, firstItemPath, posters[0]!, "reply form", isReply),
    };
  }
  const round: Round = {
    number,
    server,
    env,
    directory,
    members: { publishers, posters, reactors: reactorPool.slice((number - 1) * 2, number * 2) },
    forms,
    reactionPages: [...threadPaths, ...itemPaths].sort(() => Math.random() - 0.5),
  };
  const stopReaders = startReaders(server.baseUrl);
  const running = WRITE_DRIVERS.map((driver) => ({ name: driver.name, run: driver.start(round) }));

  // Writers load the app first; the random moment is counted from when every writer's writes are
  // flowing (or it has finished), so a quick starter does not leave the slow ones out of the round.
  const warmUpUntil = Date.now() + 15_000;
  const writersOf = running.filter(({ run }) => run.processes.length > 0);
  while (
    Date.now() < warmUpUntil &&
    writersOf.some(({ run }) => run.acks().length === 0 && run.processes.every((child) => child.exitCode === null))
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const min = Number(options["min-kill-ms"]);
  const killAfter = min + Math.floor(Math.random() * (Number(options["max-kill-ms"]) - min));
  await new Promise((resolve) => setTimeout(resolve, killAfter));
  // kill -9 the server and every writer at the same moment.
  // Why writes were refused, if any were: the server's first error lines, before they go with it.
  const serverErrors = running.some(({ run }) => (run.refused?.().length ?? 0) > 0)
    ? server
        .output()
        .split("\n")
        .filter((line) => line.includes('"level":"error"'))
        .slice(0, 3)
    : [];
  // The whole server at once: the cluster primary and every server process.
  process.kill(-server.child.pid!, "SIGKILL");
  for (const { run } of running) for (const child of run.processes) child.kill("SIGKILL");
  stopReaders();
  for (const { run } of running) run.stop();
  await server.exited;
  await Promise.all(
    running
      .flatMap(({ run }) => run.processes)
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((resolve) => child.once("exit", resolve))),
  );

  const sqlite = new SQLite(env.DATABASE_PATH);
  let integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[])
    .map((row) => row.integrity_check)
    .join("; ");
  // Atomicity, beyond the file's structure: no item without the revision saved in its transaction.
  const torn = sqlite
    .prepare(
      "select count(*) from items where version <> (select max(version) from item_revisions where item_id = items.id)",
    )
    .pluck()
    .get() as number;
  if (torn > 0) integrity += `; ${torn} items without their revision`;
  const acks = running.flatMap(({ run }) => run.acks());
  const lost = acks.filter((ack) => !ack.isPresent(sqlite));
  const mailMidSend = sqlite
    .prepare("select count(*) from mail_outbox where status = 'sending'")
    .pluck()
    .get() as number;
  sqlite.close();
  queuedMail.push(...acks.filter((ack) => ack.driver.startsWith("mail")).map((ack) => ack.what));
  if (mailMidSend > 0) totals.roundsKilledMidSend += 1;

  totals.rounds += 1;
  totals.acked += acks.length;
  totals.lost += lost.length;
  if (integrity !== "ok") totals.corrupt += 1;
  for (const ack of acks) totals.byDriver.set(ack.driver, (totals.byDriver.get(ack.driver) ?? 0) + 1);
  for (const { name, run } of running)
    totals.refused.set(name, [...(totals.refused.get(name) ?? []), ...(run.refused?.() ?? [])]);
  const counts = running
    .map(({ name }) => `${name.split(" ")[0]} ${acks.filter((ack) => ack.driver === name).length}`)
    .join(", ");
  console.log(
    `round ${String(number).padStart(2)}: killed at ${killAfter} ms; acknowledged ${counts}; lost ${lost.length}; mail mid-send ${mailMidSend}; integrity ${integrity}`,
  );
  for (const ack of lost.slice(0, 5)) console.log(`  LOST ${ack.driver}: ${ack.what}`);
  for (const line of serverErrors) console.log(`  server: ${line.slice(0, 400)}`);
}

// One last restart: the server must come up healthy on what the last crash left.
env.PORT = await freePort();
const last = await startServer(env);
// It takes the sender's lease from the killed one and sends what every crash left: each queued
// message must arrive, and more than once only for a kill inside the crash window (docs/decisions/0012).
const drainDeadline = Date.now() + 120_000;
const undelivered = () => queuedMail.filter((subject) => !mailbox.arrivals.has(subject));
while (undelivered().length > 0 && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 250));
last.child.kill("SIGTERM");
const lastExit = await last.exited;
mailbox.close();
const mailLost = undelivered();
const mailTwice = queuedMail.filter((subject) => (mailbox.arrivals.get(subject) ?? 0) > 1).length;

const drivers = WRITE_DRIVERS.map(({ name }) => `${name} ${totals.byDriver.get(name) ?? 0}`).join(", ");
const refusals = [...totals.refused].filter(([, statuses]) => statuses.length > 0);
const idle = WRITE_DRIVERS.filter(({ name }) => !totals.byDriver.get(name)).map(({ name }) => name);
console.log(
  `\n${totals.rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s: ${totals.acked} acknowledged writes (${drivers}), ` +
    `${totals.lost} lost, ${totals.corrupt} corrupt; final restart healthy, SIGTERM exit ${lastExit}.`,
);
console.log(
  `mail: ${queuedMail.length} messages queued, ${queuedMail.length - mailLost.length} delivered after the crashes, ${mailLost.length} never delivered, ` +
    `${mailTwice} delivered twice (killed between the SMTP server's acceptance and our commit); ` +
    `${totals.roundsKilledMidSend} of ${totals.rounds} kills landed with messages mid-send.`,
);
for (const subject of mailLost.slice(0, 5)) console.log(`  NEVER DELIVERED: ${subject}`);
console.log(
  `load average: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(", ")} on ${cpus().length} CPUs`,
);
// A refused write means a driver no longer submits what the form wants; a driver with no
// acknowledged write at all checked nothing. Either way the run does not count.
for (const [name, statuses] of refusals)
  console.log(`${name}: ${statuses.length} writes refused (HTTP ${[...new Set(statuses)].join(", ")})`);
if (idle.length > 0) console.log(`No acknowledged writes from: ${idle.join(", ")}`);
if (
  totals.lost > 0 ||
  mailLost.length > 0 ||
  totals.corrupt > 0 ||
  totals.rounds < rounds ||
  lastExit !== 0 ||
  refusals.length > 0 ||
  idle.length > 0
)
  process.exitCode = 1;
if (!options.keep) rmSync(directory, { recursive: true, force: true });
else console.log(`Kept ${directory}`);
