import { describe, expect, it } from "vitest";

import { db, writeTransaction } from "~/db/client.server";
import { renderMail } from "~/mail/message.server";
import { queueMail } from "~/mail/outbox.server";
import { action as mailQueueAction, loader as mailQueueLoader } from "~/routes/admin.mail";
import { loader as devMailLoader } from "~/routes/dev.mail";
import { loader as devMailFileLoader } from "~/routes/dev.mail.$file";

import { createUser, sessionCookieFor } from "../factories/users";
import { callAction, callLoader, thrownResponse } from "../support/remix";

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
    const retried = (await callAction(
      mailQueueAction,
      "/admin/mail",
      { intent: "retry", id: String(page.dead[0]!.id) },
      await asUser("admin"),
    )) as Response;
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
});
