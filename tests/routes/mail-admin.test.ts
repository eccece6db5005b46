import path from "node:path";

import { describe, expect, it, vi } from "vitest";

import { db, writeTransaction } from "~/db/client.server";
import { renderMail } from "~/mail/message.server";
import { queueMail } from "~/mail/outbox.server";
import { action as mailQueueAction, loader as mailQueueLoader } from "~/routes/admin.mail";
import { loader as devMailLoader } from "~/routes/dev.mail";
import { loader as devMailFileLoader } from "~/routes/dev.mail.$file";

import { createUser, sessionCookieFor } from "../factories/users";
import { submitForm, callLoader, thrownResponse } from "../support/remix";

async function asUser(role: "member" | "moderator" | "admin") {
  const user = await createUser({ role });
  return { headers: { Cookie: await sessionCookieFor(user.id) } };
}

describe("the mail queue for admins", () => {
  it("lists dead letters to admins only, and sends one again on request", async () => {
    await writeTransaction((trx) =>
      queueMail(trx, {
        to: "bounced@example.gov.uk",
        userId: null,
        kind: "notification",
        message: renderMail({ subject: "Undeliverable", heading: "x", blocks: [], reason: "A test.", footerLinks: [] }),
      }),
    );
    await db.updateTable("mail_outbox").set({ status: "dead", attempts: 8, last_error: "550 no such user" }).execute();
    const anonymous = await thrownResponse(() => callLoader(mailQueueLoader, "/admin/mail"));
    expect(anonymous.status).toBe(302);
    for (const role of ["member", "moderator"] as const) {
      const forbidden = await thrownResponse(async () =>
        callLoader(mailQueueLoader, "/admin/mail", {}, await asUser(role)),
      );
      expect(forbidden.status).toBe(403);
    }
    const page = (await callLoader(mailQueueLoader, "/admin/mail", {}, await asUser("admin"))) as {
      summary: { counts: { dead: number } };
      dead: { id: number; subject: string; last_error: string }[];
    };
    expect(page.summary.counts.dead).toBe(1);
    expect(page.dead[0]).toMatchObject({ subject: "Undeliverable", last_error: "550 no such user" });
    const retried = await submitForm(
      mailQueueAction,
      "/admin/mail",
      { intent: "retry", id: String(page.dead[0]!.id) },
      await asUser("admin"),
    );
    expect(retried.headers.get("Location")).toBe(`/admin/mail?retried=${page.dead[0]!.id}`);
    expect(await db.selectFrom("mail_outbox").select(["status", "attempts"]).executeTakeFirstOrThrow()).toEqual({
      status: "queued",
      attempts: 0,
    });
  });
});

describe("/dev/mail", () => {
  it("is not there outside development", async () => {
    expect((await thrownResponse(() => callLoader(devMailLoader, "/dev/mail"))).status).toBe(404);
    expect(
      (await thrownResponse(() => callLoader(devMailFileLoader, "/dev/mail/x.eml", { file: "x.eml" }))).status,
    ).toBe(404);
  });
  it("lists in development the messages written to files, and shows one without letting a name leave the folder", async () => {
    // The environment is read once per process: load the routes afresh under NODE_ENV=development.
    vi.stubEnv("NODE_ENV", "development");
    vi.resetModules();
    try {
      const { getEnv } = await import("~/env.server");
      const { fileTransport } = await import("~/mail/transport.server");
      const development = {
        list: (await import("~/routes/dev.mail")).loader,
        one: (await import("~/routes/dev.mail.$file")).loader,
      };
      const transport = fileTransport(getEnv().MAIL_DIRECTORY);
      const { file } = await transport.send({
        messageId: "<dev-mail-test@example.gov.uk>",
        from: "Procurement Commons <no-reply@example.gov.uk>",
        to: "reader@example.gov.uk",
        ...renderMail({
          subject: "Written for /dev/mail",
          heading: "Written for /dev/mail",
          blocks: [{ type: "action", label: "Choose a new password", href: "http://localhost/reset-password?token=t" }],
          reason: "A test.",
          footerLinks: [],
        }),
        headers: {},
      });
      transport.close();
      const name = path.basename(file!);

      const listed = (await callLoader(development.list, "/dev/mail")) as {
        directory: string;
        messages: { file: string; subject: string; to: string }[];
      };
      expect(listed.directory).toBe(getEnv().MAIL_DIRECTORY);
      expect(listed.messages).toContainEqual(
        expect.objectContaining({ file: name, subject: "Written for /dev/mail", to: "reader@example.gov.uk" }),
      );
      const shown = (await callLoader(development.one, `/dev/mail/${name}`, { file: name })) as {
        subject: string;
        links: string[];
      };
      expect(shown.subject).toBe("Written for /dev/mail");
      expect(shown.links).toContain("http://localhost/reset-password?token=t");
      for (const escape of ["../../etc/passwd", "..%2Fsecret.eml", "missing.eml"])
        expect(
          (await thrownResponse(() => callLoader(development.one, `/dev/mail/${escape}`, { file: escape }))).status,
        ).toBe(404);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
