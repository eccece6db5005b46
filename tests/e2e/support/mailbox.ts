import { inject } from "vitest";

import { type ReceivedMail, readCapturedMail } from "../../support/smtp-server";

/** Waits for a message the server under test delivered to the test SMTP server. */
export async function waitForMail(matches: (mail: ReceivedMail) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readCapturedMail(inject("mailDirectory"))).filter(matches);
    if (found.length > 0) return found.at(-1)!;
    if (Date.now() > deadline) throw new Error("No matching message arrived at the test SMTP server");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function mailTo(address: string, subject: RegExp) {
  return (mail: ReceivedMail) => mail.to.toLowerCase().includes(address.toLowerCase()) && subject.test(mail.subject);
}

/** The link in the message's text part whose path starts with `prefix`, as a path for page.goto. */
export function pathOfLink(mail: ReceivedMail, prefix: string) {
  const link = mail.textLinks.find((href) => new URL(href).pathname.startsWith(prefix));
  if (!link) throw new Error(`No link to ${prefix} in "${mail.subject}"`);
  const url = new URL(link);
  return `${url.pathname}${url.search}${url.hash}`;
}
