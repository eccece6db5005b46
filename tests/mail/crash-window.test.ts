import { type ChildProcess, spawn } from "node:child_process";

import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";

import { db, writeTransaction } from "~/db/client.server";
import { renderMail } from "~/mail/message.server";
import { queueMail } from "~/mail/outbox.server";

import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

// kill -9 of a real sending process on each side of the one crash window: the SMTP server's
// "250 OK" to the message's data, and our commit of "sent" (docs/decisions/0012).

const children: ChildProcess[] = [];
const servers: TestSmtpServer[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const server of servers.splice(0)) await server.close();
  await db.deleteFrom("mail_outbox").execute();
  await db.deleteFrom("worker_leases").execute();
});

function startSender(smtpUrl: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/mail-sender-process.ts"], {
    env: { ...process.env, SMTP_URL: smtpUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

async function queueOne(subject: string) {
  await writeTransaction((trx) =>
    queueMail(trx, {
      to: "crash@example.gov.uk",
      userId: null,
      kind: "notification",
      message: renderMail({ subject, heading: subject, blocks: [], reason: "A crash test.", footerLinks: [] }),
    }),
  );
}

const statusOf = async (subject: string) =>
  (await db.selectFrom("mail_outbox").select("status").where("subject", "=", subject).executeTakeFirstOrThrow()).status;

// A sender process loads the app before it starts, which takes a while on a busy machine.
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a sender killed with SIGKILL", { timeout: 150_000 }, () => {
  it("before the server has the message: it is sent once, by the next sender", async () => {
    let holdRecipient: (() => void) | null = null;
    let isHolding = true;
    const smtp = await startTestSmtpServer({
      refuseRecipient: () => null,
      beforeRecipient: () =>
        isHolding ? new Promise<void>((resolve) => (holdRecipient = resolve)) : Promise.resolve(),
    });
    servers.push(smtp);
    await queueOne("Killed mid-conversation");
    const first = startSender(smtp.url);
    await until(() => holdRecipient !== null, "the sender to reach RCPT TO");
    expect(await statusOf("Killed mid-conversation")).toBe("sending");
    await first.kill();
    isHolding = false;
    holdRecipient!();

    startSender(smtp.url);
    await until(async () => (await statusOf("Killed mid-conversation")) === "sent", "the next sender to send it");
    expect(smtp.messages.filter((mail) => mail.subject === "Killed mid-conversation")).toHaveLength(1);
  });

  it("after the server accepted it but before it was marked sent: it is sent again, with the same Message-ID", async () => {
    // Hold the database's write lock from the moment the server has the data, so the sender,
    // having read "250", cannot commit "sent"; then kill it inside that window.
    const lock = new SQLite(process.env.DATABASE_PATH);
    let isLocked = false;
    let accepted = 0;
    const smtp = await startTestSmtpServer({
      beforeAccepting: () => {
        accepted += 1;
        if (accepted === 1) {
          lock.exec("begin immediate");
          isLocked = true;
        }
      },
    });
    servers.push(smtp);
    await queueOne("Killed after acceptance");
    const first = startSender(smtp.url);
    await until(() => isLocked && smtp.messages.length === 1, "the server to accept the message");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.kill();
    lock.exec("rollback");
    lock.close();
    expect(await statusOf("Killed after acceptance")).toBe("sending");

    startSender(smtp.url);
    await until(async () => (await statusOf("Killed after acceptance")) === "sent", "the next sender to send it again");
    const copies = smtp.messages.filter((mail) => mail.subject === "Killed after acceptance");
    expect(copies).toHaveLength(2);
    expect(copies[0]!.messageId).toBe(copies[1]!.messageId);
    const row = await db.selectFrom("mail_outbox").select(["attempts"]).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
  });
});
