// A process that queues mail for the crash test: each message through queueMail in its own write
// transaction, as a sign-up or a reset request queues one, printing "ack <subject>" only after the
// commit returns. The server's sender delivers them meanwhile. Stops after --count (0: never) or
// when killed.
//   DATABASE_PATH=... node --import tsx scripts/support/mail-writer.ts --prefix a --count 100
import { parseArgs } from "node:util";

import { closeDb, writeTransaction } from "~/db/client.server";
import { renderMail } from "~/mail/message.server";
import { queueMail } from "~/mail/outbox.server";

const { values } = parseArgs({
  options: {
    prefix: { type: "string", default: "m" },
    count: { type: "string", default: "0" },
    "pause-ms": { type: "string", default: "5" },
  },
});
const count = Number(values.count);
const pauseMs = Number(values["pause-ms"]);

for (let written = 1; count === 0 || written <= count; written += 1) {
  const subject = `${values.prefix}-mail-${written}`;
  await writeTransaction((trx) =>
    queueMail(trx, {
      to: `${values.prefix}-${written % 10}@crash.example.gov.uk`,
      userId: null,
      kind: "notification",
      message: renderMail({
        subject,
        heading: subject,
        blocks: [{ type: "paragraph", text: "Queued by the crash test, to be delivered exactly as queued." }],
        reason: "The crash test queued it.",
        footerLinks: [],
      }),
    }),
  );
  process.stdout.write(`ack ${subject}\n`);
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
await closeDb();
