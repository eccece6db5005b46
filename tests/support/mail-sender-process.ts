// A server process's background worker on its own, sending through SMTP_URL, so tests can kill
// it with SIGKILL at a chosen moment. Started by tests/mail/crash-window.test.ts.
import { mailSteps } from "~/mail/background-steps.server";
import { startBackgroundWorker } from "~/mail/background-worker.server";
import { smtpTransport } from "~/mail/transport.server";

const worker = startBackgroundWorker({
  transport: smtpTransport(process.env.SMTP_URL!, { maxConnections: 1 }),
  steps: mailSteps(),
  log: (fields) => process.stdout.write(`${JSON.stringify(fields)}\n`),
  pollIntervalMs: 50,
});
process.stdout.write(`started ${worker.holder}\n`);
setInterval(() => {}, 1000);
