import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import nodemailer from "nodemailer";

// How a message leaves us: over SMTP when SMTP_URL is set, otherwise written as an .eml file in
// a folder next to the database (the quick start's default: nothing to install, nothing sent).

type OutgoingMail = {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

type Delivery = { response: string; file?: string };

/** Why a message did not go. `isPermanent`: the server refused it for good (a 5xx reply). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly isPermanent: boolean,
    /** The connection failed (nothing was said about this message): the next ones would fail too. */
    readonly isConnectionProblem: boolean,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

export interface MailTransport {
  /** For the logs and the admin page: where messages go. */
  readonly description: string;
  /** False when messages are only written to files. */
  readonly isDelivering: boolean;
  send(mail: OutgoingMail): Promise<Delivery>;
  close(): void;
}

type NodemailerFailure = Error & { code?: string; responseCode?: number; permanent?: boolean; response?: string };

function deliveryError(error: unknown): DeliveryError {
  const failure = error as NodemailerFailure;
  const reply = failure.response ? `: ${failure.response}` : "";
  const message = `${failure.code ?? "ERROR"} ${failure.message ?? String(error)}${reply}`.slice(0, 1000);
  return new DeliveryError(message, failure.permanent === true, failure.responseCode === undefined);
}

/** Timeouts kept well inside the outbox's claim timeout, so a stuck send never outlives its claim. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function smtpTransport(url: string, { maxConnections = 4 }: { maxConnections?: number } = {}): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections,
    maxMessages: 500,
    ...SMTP_TIMEOUTS,
  });
  const target = new URL(url);
  return {
    description: `SMTP ${target.protocol}//${target.host}`,
    isDelivering: true,
    async send(mail) {
      try {
        const info = await transporter.sendMail({ ...mail, envelope: { from: addressOf(mail.from), to: mail.to } });
        if (info.rejected.length > 0)
          throw Object.assign(new Error("The server refused the recipient"), { permanent: true });
        return { response: info.response };
      } catch (error) {
        throw deliveryError(error);
      }
    },
    close: () => transporter.close(),
  };
}

function addressOf(from: string) {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/** Writes each message to `directory` as <time>-<id>.eml (nodemailer builds the same bytes SMTP would carry). */
export function fileTransport(directory: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    description: `files in ${directory}`,
    isDelivering: false,
    async send(mail) {
      try {
        const info = await transporter.sendMail(mail);
        mkdirSync(directory, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${mail.messageId.replace(/[^a-z0-9]/gi, "").slice(0, 24)}.eml`;
        const file = path.join(directory, name);
        writeFileSync(file, info.message as Buffer);
        return { response: `written to ${file}`, file };
      } catch (error) {
        throw deliveryError(error);
      }
    },
    close: () => transporter.close(),
  };
}

export function transportFromEnv(env: { SMTP_URL?: string; MAIL_DIRECTORY: string }): MailTransport {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : fileTransport(env.MAIL_DIRECTORY);
}
