// Starts Procurement Commons on the production build. In production a node:cluster primary
// supervises WEB_CONCURRENCY server processes (one per core unless told); in development the
// server runs alone, so that `remix dev` can reload it.
import cluster from "node:cluster";

import "./support/check-env";

import { getEnv } from "~/env.server";

const env = getEnv();
if (cluster.isPrimary && env.NODE_ENV === "production") {
  const { unfilledPlaceholders } = await import("~/models/site-page.server");
  const unfilled = unfilledPlaceholders();
  if (unfilled.length > 0) {
    const { log } = await import("./lib/log");
    log({
      level: "warn",
      msg: `the privacy notice, terms and contact page name no operator: set ${unfilled.join(", ")} (see the README)`,
    });
  }
}
if (cluster.isPrimary && !env.SMTP_URL) {
  const { log } = await import("./lib/log");
  log({
    level: "warn",
    msg: `mail is not being delivered: SMTP_URL is not set, so messages are written to ${env.MAIL_DIRECTORY}${env.NODE_ENV === "development" ? " (listed at /dev/mail)" : ""}`,
  });
}
if (cluster.isPrimary && env.NODE_ENV === "production") {
  const { superviseWorkers } = await import("./lib/cluster-primary");
  superviseWorkers({ workers: env.WEB_CONCURRENCY, shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS });
} else {
  await import("./lib/http-server");
}
