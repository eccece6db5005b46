import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db/client.server";
import { mailPendingNotifications, queueDigests, queueScheduledDigests } from "~/mail/notification-mail.server";
import { leaveCommunity } from "~/models/community.server";
import { getEmailPreferences } from "~/models/email-preference.server";
import { deliverQueuedNotifications, setFollowing } from "~/models/notification.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/account.notifications";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/email.unsubscribe.$token";

import { addMember, createCommunity, createEstablishedUser, createReply, createThread } from "../factories/discussions";
import { createItem } from "../factories/items";
import { sessionCookieFor } from "../factories/users";
import { linkIn, runBackgroundWork } from "../support/mail";
import { callAction, submitForm, callLoader } from "../support/remix";
import { type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from "../support/smtp-server";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});

const asMember = (user: { id: string }) => ({ id: user.id, role: "member" as const });

async function unsubscribeWith(href: string, form: Record<string, string> = { "List-Unsubscribe": "One-Click" }) {
  const token = new URL(href).pathname.split("/").at(-1)!;
  return (await callAction(unsubscribeAction, new URL(href).pathname, form, {
    params: { token },
    headers: { Origin: "" },
  })) as { data: { state: string }; init: { status?: number } | null };
}

describe("notification emails", () => {
  it("fan out after the reply's own transaction, which queues one job however many follow", async () => {
    const community = await createCommunity();
    const asker = await createEstablishedUser({ displayName: "Asha Asker" });
    const { threadId } = await createThread({
      communityId: community.id,
      author: asMember(asker),
      title: "Has anyone published a UK9?",
    });
    await deliverQueuedNotifications();
    const followers = await Promise.all(Array.from({ length: 3 }, () => createEstablishedUser()));
    for (const follower of followers)
      await setFollowing({
        viewer: asMember(follower),
        targetType: "thread",
        targetKey: String(threadId),
        follow: true,
      });

    const { postId } = await createReply({ threadId, body: "Yes, last month." });
    expect(await db.selectFrom("notifications").select("id").where("post_id", "=", postId).execute()).toHaveLength(0);
    expect(await db.selectFrom("notification_jobs").select("id").execute()).toHaveLength(1);
    await deliverQueuedNotifications();
    const notified = await db
      .selectFrom("notifications")
      .select(["user_id", "kind"])
      .where("post_id", "=", postId)
      .execute();
    expect(notified.map((row) => row.user_id).sort()).toEqual([asker.id, ...followers.map((f) => f.id)].sort());
    expect(await db.selectFrom("notification_jobs").select("id").execute()).toHaveLength(0);
  });

  it("send a reply to the person answered straight away, with both parts, why, settings and one-click unsubscribe", async () => {
    const community = await createCommunity();
    const asker = await createEstablishedUser({ displayName: "Bea Asker" });
    const replier = await createEstablishedUser({ displayName: "Cal Replier" });
    await addMember({ communityId: community.id, userId: replier.id });
    const { threadId, openingPostId } = await createThread({
      communityId: community.id,
      author: asMember(asker),
      title: "KPI wording for home care",
    });
    const { postId } = await createReply({
      threadId,
      author: asMember(replier),
      parentPostId: openingPostId,
      body: "We used **missed visits per 1,000 hours** and it worked.",
    });
    await runBackgroundWork(smtp);
    const mail = await smtp.waitFor((m) => m.envelope.to.includes(asker.email));
    expect(mail.subject).toBe("Cal Replier replied to you in “KPI wording for home care”");
    expect(mail.text).toContain("> We used missed visits per 1,000 hours and it worked.");
    const threadLink = linkIn(mail, `/communities/${community.slug}/threads/${threadId}-`);
    expect(threadLink.endsWith(`#post-${postId}`)).toBe(true);
    expect(mail.htmlLinks).toContain(threadLink);
    expect(mail.html).toContain("<blockquote");
    expect(mail.text).toMatch(/because you get an email straight away when\s+someone replies to you/);
    expect(linkIn(mail, "/account/notifications")).toBeTruthy();
    const unsubscribe = linkIn(mail, "/email/unsubscribe/");
    expect(mail.headers["list-unsubscribe"]).toBe(`<${unsubscribe}>`);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers["auto-submitted"]).toBe("auto-generated");

    // One click, no session: replies are off, and the next reply sends nothing.
    const done = await unsubscribeWith(unsubscribe);
    expect(done.data.state).toBe("done");
    expect((await getEmailPreferences({ actor: asker })).reply).toBe("never");
    await createReply({ threadId, author: asMember(replier), parentPostId: openingPostId, body: "And another thing." });
    await runBackgroundWork(smtp);
    expect(smtp.to(asker.email)).toHaveLength(1);
  });

  it("refuses an altered unsubscribe link with a 400 and changes nothing; opening a good one changes nothing either", async () => {
    const member = await createEstablishedUser();
    const { unsubscribeLink } = await import("~/mail/unsubscribe.server");
    const good = await unsubscribeLink(member.id, "mention");
    const before = await getEmailPreferences({ actor: member });
    const altered = [
      good.replace(/\.mention\./, ".reply."),
      good.slice(0, -2),
      good.replace(member.id, crypto.randomUUID()),
    ];
    for (const href of altered) {
      const result = await unsubscribeWith(href);
      expect(result.init?.status).toBe(400);
      expect(result.data.state).toBe("invalid");
    }
    const token = new URL(good).pathname.split("/").at(-1)!;
    const page = (await callLoader(unsubscribeLoader, new URL(good).pathname, { token })) as {
      data: { state: string; what: string };
    };
    expect(page.data).toEqual({ state: "confirm", what: "emails about mentions of you" });
    expect(await getEmailPreferences({ actor: member })).toEqual(before);
  });

  it("keep followed threads for the daily digest, with new library items on followed themes; the digest unsubscribes itself", async () => {
    const community = await createCommunity();
    const reader = await createEstablishedUser({ displayName: "Dee Digest" });
    const { threadId } = await createThread({ communityId: community.id, title: "Social value that was delivered" });
    await deliverQueuedNotifications();
    await setFollowing({ viewer: asMember(reader), targetType: "thread", targetKey: String(threadId), follow: true });
    await setFollowing({ viewer: asMember(reader), targetType: "theme", targetKey: "downstream", follow: true });
    const item = await createItem({ title: "Checking social value at contract end", themes: ["downstream"] });
    await db
      .updateTable("items")
      .set({ published_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where("id", "=", item.id)
      .execute();
    await createReply({ threadId, body: "We asked for evidence every quarter." });
    await runBackgroundWork(smtp);
    expect(smtp.to(reader.email)).toHaveLength(0);

    expect(await queueDigests({ frequency: "daily" })).toBeGreaterThanOrEqual(1);
    await runBackgroundWork(smtp);
    const digest: ReceivedMail = await smtp.waitFor((m) => m.envelope.to.includes(reader.email));
    expect(digest.subject).toMatch(/^Your daily digest from Procurement Commons: 2 new things$/);
    expect(digest.text).toContain("In the communities");
    expect(digest.text).toContain("replied in “Social value that was delivered”");
    expect(digest.text).toContain("New in the library on themes you follow");
    expect(linkIn(digest, `/library/${item.slug}`)).toBeTruthy();
    expect(digest.html).toContain("<h2");
    expect(digest.text).toMatch(/daily digest because you chose it for:\s+threads you\s+follow/);
    const unsubscribe = linkIn(digest, "/email/unsubscribe/");
    expect(unsubscribe).toMatch(/\.digest-daily\./);

    // The next day's digest does not repeat what this one said.
    expect(await queueDigests({ frequency: "daily", now: new Date(Date.now() + 60_000) })).toBe(0);
    await unsubscribeWith(unsubscribe);
    const after = await getEmailPreferences({ actor: reader });
    expect([after["followed-thread"], after["followed-community"], after["followed-theme"]]).toEqual([
      "never",
      "never",
      "never",
    ]);
    expect(after.reply).toBe("immediate");
  });

  it("never send members-only content to someone who has left the community", async () => {
    const community = await createCommunity({ visibility: "members" });
    const leaver = await createEstablishedUser({ displayName: "Lee Leaver" });
    const writer = await createEstablishedUser({ displayName: "Wyn Writer" });
    for (const member of [leaver, writer]) await addMember({ communityId: community.id, userId: member.id });
    const { threadId } = await createThread({
      communityId: community.id,
      author: asMember(writer),
      title: "Confidential pricing",
    });
    await setFollowing({ viewer: asMember(leaver), targetType: "thread", targetKey: String(threadId), follow: true });
    await deliverQueuedNotifications();
    // A mention is queued to go straight away; a followed-thread reply waits for the digest.
    await createReply({ threadId, author: asMember(writer), body: `@${leaver.username} what did you pay?` });
    await createReply({ threadId, author: asMember(writer), body: "Ours was £410 a week." });
    await deliverQueuedNotifications();
    await mailPendingNotifications();
    expect(
      await db.selectFrom("mail_outbox").select("id").where("recipient", "=", leaver.email).execute(),
    ).toHaveLength(1);

    await leaveCommunity({ communityId: community.id, userId: leaver.id });
    await runBackgroundWork(smtp);
    const row = await db
      .selectFrom("mail_outbox")
      .select(["status", "last_error"])
      .where("recipient", "=", leaver.email)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("withheld");
    expect(row.last_error).toMatch(/can no longer read this thread/);
    await queueDigests({ frequency: "daily" });
    await runBackgroundWork(smtp);
    expect(smtp.to(leaver.email)).toEqual([]);
  });

  it("send nothing to an address that has not been confirmed", async () => {
    const community = await createCommunity();
    const unconfirmed = await createEstablishedUser();
    const { threadId, openingPostId } = await createThread({
      communityId: community.id,
      author: asMember(unconfirmed),
    });
    // As if they had since moved to an address they have not confirmed yet.
    await db.updateTable("users").set({ email_verified_at: null }).where("id", "=", unconfirmed.id).execute();
    await createReply({ threadId, parentPostId: openingPostId, body: "An answer." });
    await runBackgroundWork(smtp);
    const states = await db
      .selectFrom("notifications")
      .select("mail_state")
      .where("user_id", "=", unconfirmed.id)
      .execute();
    expect(states.map((row) => row.mail_state)).toEqual(["skipped"]);
    expect(smtp.to(unconfirmed.email)).toEqual([]);
  });

  it("run the scheduled digests once a UK day from 7am, and the weekly one on Mondays", async () => {
    const monday0630 = new Date("2026-12-07T06:30:00Z");
    await queueScheduledDigests({ now: monday0630 });
    expect(await db.selectFrom("scheduled_runs").selectAll().execute()).toEqual([]);
    const monday0700 = new Date("2026-12-07T07:00:00Z");
    await queueScheduledDigests({ now: monday0700 });
    const runs = await db.selectFrom("scheduled_runs").select("name").orderBy("name").execute();
    expect(runs.map((run) => run.name)).toEqual(["daily-digest", "weekly-digest"]);
    await queueScheduledDigests({ now: new Date("2026-12-08T07:05:00Z") });
    const later = await db.selectFrom("scheduled_runs").selectAll().orderBy("name").execute();
    expect(later.map((run) => run.last_run_at)).toEqual(["2026-12-08T07:05:00.000Z", "2026-12-07T07:00:00.000Z"]);
  });
});

describe("the email settings page", () => {
  it("shows the defaults, and saves a member's choices", async () => {
    const member = await createEstablishedUser();
    const headers = { Cookie: await sessionCookieFor(member.id) };
    const page = (await callLoader(settingsLoader, "/account/notifications", {}, { headers })) as {
      preferences: Record<string, string>;
    };
    expect(page.preferences).toMatchObject({
      mention: "immediate",
      reply: "immediate",
      "followed-thread": "daily",
      "review-due": "weekly",
    });
    const saved = await submitForm(
      settingsAction,
      "/account/notifications",
      { mention: "weekly", "followed-thread": "never" },
      { headers },
    );
    expect(saved.headers.get("Location")).toBe("/account/notifications?saved=1");
    expect(await getEmailPreferences({ actor: member })).toMatchObject({
      mention: "weekly",
      "followed-thread": "never",
      reply: "immediate",
    });
    const bad = await submitForm(settingsAction, "/account/notifications", { mention: "hourly" }, { headers });
    expect(bad.status).toBe(400);
  });
});
