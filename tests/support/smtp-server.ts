import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server (the smtp-server package) on a free loopback port, capturing what arrives:
// our mailer talks to it exactly as it would to a production relay.

export type ReceivedMail = {
  envelope: { from: string; to: string[] };
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Every http(s) link in the plain-text part, in order. */
  textLinks: string[];
  /** Every href in the HTML part, in order. */
  htmlLinks: string[];
  raw: string;
};

function addressText(value: AddressObject | AddressObject[] | undefined) {
  if (!value) return "";
  return (Array.isArray(value) ? value : [value]).map((entry) => entry.text).join(", ");
}

async function parseMail(raw: string, envelope = { from: "", to: [] as string[] }): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) {
    const separator = line.line.indexOf(":");
    headers[line.key] = line.line
      .slice(separator + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
  }
  const html = typeof parsed.html === "string" ? parsed.html : "";
  return {
    envelope,
    messageId: parsed.messageId ?? "",
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html,
    headers,
    textLinks: [...(parsed.text ?? "").matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]),
    htmlLinks: [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, "&")),
    raw,
  };
}

export type TestSmtpServer = {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** Waits for a message that `matches` (arrived already or yet to come). */
  waitFor: (matches: (mail: ReceivedMail) => boolean, timeoutMs?: number) => Promise<ReceivedMail>;
  /** Messages for one address. */
  to: (address: string) => ReceivedMail[];
  close: () => Promise<void>;
};

export async function startTestSmtpServer({
  port = 0,
  directory,
  refuseRecipient,
  beforeRecipient,
  beforeAccepting,
}: {
  port?: number;
  /** Also write each message there as an .eml file (browser tests read them from another process). */
  directory?: string;
  /** An SMTP reply code to refuse this recipient with (e.g. 550), or null to accept. */
  refuseRecipient?: (address: string) => number | null;
  /** Runs before the server answers RCPT TO (to hold a sender mid-conversation). */
  beforeRecipient?: (address: string) => Promise<void> | void;
  /** Runs after the message has arrived and before the server answers 250 (to hold a reply back). */
  beforeAccepting?: (mail: ReceivedMail) => Promise<void> | void;
} = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  if (directory) mkdirSync(directory, { recursive: true });
  let sequence = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const code = refuseRecipient?.(address.address) ?? null;
      if (code)
        return callback(Object.assign(new Error(`Refused ${address.address} for the test`), { responseCode: code }));
      void Promise.resolve(beforeRecipient?.(address.address)).then(() => callback());
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        void parseMail(raw, envelope)
          .then(async (mail) => {
            await beforeAccepting?.(mail);
            messages.push(mail);
            if (directory) {
              sequence += 1;
              writeFileSync(path.join(directory, `${Date.now()}-${String(sequence).padStart(6, "0")}.eml`), raw);
            }
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  // A client killed mid-conversation resets its connection: expected in the crash tests.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.server.address() as AddressInfo).port;

  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    messages,
    to: (address) => messages.filter((mail) => mail.envelope.to.includes(address.toLowerCase())),
    waitFor: (matches, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(matches);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `No matching message within ${timeoutMs} ms; received: ${messages.map((m) => m.subject).join(" | ")}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Messages a capturing server wrote to `directory` (browser tests: the server runs elsewhere). */
export async function readCapturedMail(directory: string) {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".eml"))
    .sort();
  return Promise.all(files.map((name) => parseMail(readFileSync(path.join(directory, name), "utf8"))));
}
