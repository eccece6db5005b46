import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { actorFrom } from "~/models/actor.server";
import { NOTIFICATION_LABELS } from "~/models/discussion-vocabulary";
import { listNotifications, listThemeFollows, markNotificationsRead, setFollowing } from "~/models/notification.server";
import { THEME_SLUGS, THEMES } from "~/models/vocabulary";
import { formatDateTime } from "~/utils/dates";
import { hiddenId, readReply, UNRECOGNISED_FORM } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("read-all") }),
    z.object({
      intent: z.literal("read"),
      id: hiddenId(),
    }),
    z.object({
      intent: z.literal("follow-theme"),
      theme: z.enum(THEME_SLUGS, { error: "There is no theme of that name." }),
      follow: z.enum(["1", "0"], { error: UNRECOGNISED_FORM }),
    }),
  ],
  { error: UNRECOGNISED_FORM },
);

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await requireUser(request, context));
    const [notifications, themes] = await Promise.all([
      listNotifications({ viewer: user }),
      listThemeFollows({ userId: user.id }),
    ]);
    return { notifications, followedThemes: themes };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const user = actorFrom(await requireUser(request, context));
    const submission = await parseForm(request, ActionSchema);
    if (submission.status !== "success") return rejectedForm(submission);
    const input = submission.value;
    try {
      if (input.intent === "read-all") await markNotificationsRead({ viewer: user, ids: "all" });
      else if (input.intent === "read") await markNotificationsRead({ viewer: user, ids: [input.id] });
      else
        await setFollowing({ viewer: user, targetType: "theme", targetKey: input.theme, follow: input.follow === "1" });
    } catch (error) {
      return replyToDomainError(submission, error);
    }
    return redirect("/notifications", 303);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function Notifications() {
  const { notifications, followedThemes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const unread = notifications.filter((notification) => !notification.isRead).length;
  return (
    <>
      <h1>Notifications</h1>
      {/* Every form here is a button, so a problem is never with a field to go back to. */}
      <ErrorSummary problems={replyProblems(readReply(actionData), () => undefined)} submission={actionData} />
      <p className="lede">{unread === 0 ? "You are all caught up." : `${unread} unread`}</p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="button button--secondary">
            Mark all as read
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p className="empty-state">
          Nothing yet. Follow a thread, a community or a theme, and replies and mentions will appear here.
        </p>
      ) : (
        <ol className="notification-list">
          {notifications.map((notification) => (
            <li
              key={notification.id}
              className={notification.isRead ? "notification" : "notification notification--unread"}
            >
              <p>
                {notification.isRead ? null : <strong className="badge">New</strong>}{" "}
                {notification.actorName ?? "Someone"} {NOTIFICATION_LABELS[notification.kind]}{" "}
                <Link to={notification.href}>{notification.threadTitle}</Link>
              </p>
              <p className="notification__meta">
                <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt)}</time>
              </p>
              {notification.isRead ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={notification.id} />
                  <button type="submit" className="link-button">
                    Mark as read<span className="visually-hidden">: {notification.threadTitle}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      <section aria-labelledby="themes-heading">
        <h2 id="themes-heading">Themes you follow</h2>
        <p>Hear about every new thread on a theme, in any community you can read.</p>
        <ul className="plain-list theme-follows">
          {THEME_SLUGS.map((theme) => {
            const isFollowing = followedThemes.includes(theme);
            return (
              <li key={theme}>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="follow-theme" />
                  <input type="hidden" name="theme" value={theme} />
                  <input type="hidden" name="follow" value={isFollowing ? "0" : "1"} />
                  <button type="submit" className="button button--secondary" aria-pressed={isFollowing}>
                    {isFollowing ? `Following ${THEMES[theme]}` : `Follow ${THEMES[theme]}`}
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Notifications", description: "Replies, mentions and new threads you follow." });
