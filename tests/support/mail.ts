import { mailSteps } from "~/mail/background-steps.server";
import { holdLease } from "~/mail/lease.server";
import { smtpTransport } from "~/mail/transport.server";

import type { TestSmtpServer } from "./smtp-server";

const TEST_HOLDER = "test-host:0:tests";

/** Does what the background worker does on a tick, sending through the test's SMTP server. */
export async function runBackgroundWork(smtp: TestSmtpServer, now = new Date()) {
  await holdLease({ holder: TEST_HOLDER });
  const transport = smtpTransport(smtp.url, { maxConnections: 1 });
  try {
    // Every step but the scheduled ones, which tests call themselves with the time they want.
    for (const step of mailSteps().filter((step) => !step.everyMs || step.name === "recover abandoned mail"))
      await step.run({ holder: TEST_HOLDER, transport, log: () => {}, now });
  } finally {
    transport.close();
  }
}

/** The first link in a message's text part that starts with `prefix` (a path on the site). */
export function linkIn(mail: { textLinks: string[] }, prefix: string) {
  const link = mail.textLinks.find((href) => new URL(href).pathname.startsWith(prefix));
  if (!link) throw new Error(`No link to ${prefix} in: ${mail.textLinks.join(", ")}`);
  return link;
}
