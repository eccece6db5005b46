import { deliverQueuedNotifications } from "~/models/notification.server";

import { withholdReason } from "./audience.server";
import type { BackgroundContext, BackgroundStep } from "./background-worker.server";
import { mailPendingNotifications, queueReviewReminders, queueScheduledDigests } from "./notification-mail.server";
import { deliverDueMail, pruneMailRecords, recoverAbandonedClaims } from "./outbox.server";

/** How long one tick may spend sending before it lets the worker renew its lease. */
const SEND_BUDGET_MS = 4_000;

/** Sends due mail in batches until none is due, the server is unreachable, or the budget is spent. */
export async function sendDueMail({ holder, transport, log }: BackgroundContext, budgetMs = SEND_BUDGET_MS) {
  const startedAt = Date.now();
  const totals = { sent: 0, retried: 0, dead: 0, withheld: 0 };
  for (;;) {
    const outcome = await deliverDueMail({
      transport,
      holder,
      audience: withholdReason,
      onSent: (mail, delivery) => {
        if (delivery.file)
          log({
            level: "info",
            msg: "mail written to a file, not delivered (SMTP_URL is not set)",
            file: delivery.file,
            kind: mail.kind,
          });
      },
    });
    totals.sent += outcome.sent;
    totals.retried += outcome.retried;
    totals.dead += outcome.dead;
    totals.withheld += outcome.withheld;
    const handled = outcome.sent + outcome.retried + outcome.dead + outcome.withheld;
    if (handled === 0 || outcome.untried > 0 || Date.now() - startedAt > budgetMs) break;
  }
  if (totals.retried > 0 || totals.dead > 0)
    log({
      level: totals.dead > 0 ? "error" : "warn",
      msg: "mail delivery problems",
      transport: transport.description,
      ...totals,
    });
  return totals;
}

export function mailSteps(): BackgroundStep[] {
  return [
    { name: "fan out notifications", run: () => deliverQueuedNotifications() },
    { name: "email notifications", run: () => mailPendingNotifications() },
    { name: "review reminders", everyMs: 60 * 60_000, run: ({ now }) => queueReviewReminders({ now }) },
    { name: "digests", everyMs: 60_000, run: ({ now }) => queueScheduledDigests({ now }) },
    {
      name: "recover abandoned mail",
      everyMs: 10_000,
      run: ({ holder, now }) => recoverAbandonedClaims({ holder, now }),
    },
    { name: "send mail", run: (context) => sendDueMail(context) },
    // What the privacy notice promises about how long mail, links and counters are kept.
    { name: "prune mail records", everyMs: 60 * 60_000, run: ({ now }) => pruneMailRecords({ now }) },
  ];
}
