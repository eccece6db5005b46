import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";

import { PRIVATE_PAGE_HEADERS, redirectWithCookies, requireUser } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { actorFrom } from "~/models/actor.server";
import { getMailQueue, retryDeadMail } from "~/models/mail-queue.server";
import { formatDateTime } from "~/utils/dates";
import { readReply } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";

const RetrySchema = z.object({ intent: z.literal("retry"), id: z.coerce.number().int().positive() });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  try {
    return await getMailQueue({ actor: actorFrom(user) });
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = await parseForm(request, RetrySchema);
  if (submission.status !== "success") return rejectedForm(submission);
  try {
    const retried = await retryDeadMail({ actor: actorFrom(user), id: submission.value.id });
    return redirectWithCookies(`/admin/mail?${retried ? "retried" : "gone"}=${submission.value.id}`, context);
  } catch (error) {
    return replyToDomainError(submission, error);
  }
}

export default function MailQueueRoute() {
  const { summary, dead, retrying } = useLoaderData<typeof loader>();
  const reply = readReply(useActionData<typeof action>());
  const [searchParams] = useSearchParams();
  return (
    <div className="prose-page">
      <p className="eyebrow">Admin</p>
      <h1>Mail queue</h1>
      <ErrorSummary problems={replyProblems(reply, () => undefined)} />
      {searchParams.get("retried") ? (
        <p className="notice notice--success" role="status">
          Message {searchParams.get("retried")} is back in the queue and will be sent shortly.
        </p>
      ) : null}
      <p>
        Waiting to be sent: <strong>{summary.counts.queued}</strong>
        {summary.oldestQueuedAt ? ` (the oldest since ${formatDateTime(summary.oldestQueuedAt)})` : ""}. Being sent:{" "}
        {summary.counts.sending}. Sent: {summary.counts.sent}. Held back (the recipient should no longer get it):{" "}
        {summary.counts.withheld}. Could not be delivered: <strong>{summary.counts.dead}</strong>.
      </p>
      <h2>Could not be delivered</h2>
      {dead.length === 0 ? (
        <p>Nothing. Every message has been delivered or is still being tried.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Messages that could not be delivered, newest first</caption>
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Tries</th>
              <th scope="col">Last error</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {dead.map((mail) => (
              <tr key={mail.id}>
                <td>{mail.recipient}</td>
                <td>{mail.subject}</td>
                <td>{mail.attempts}</td>
                <td>{mail.last_error}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="id" value={mail.id} />
                    <button type="submit" className="button button--secondary">
                      Send again<span className="visually-hidden"> to {mail.recipient}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Being retried</h2>
      {retrying.length === 0 ? (
        <p>Nothing is waiting for another try.</p>
      ) : (
        <ul>
          {retrying.map((mail) => (
            <li key={mail.id}>
              {mail.subject} to {mail.recipient}: tried {mail.attempts} times, next at{" "}
              {formatDateTime(mail.next_attempt_at)}. {mail.last_error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const headers: HeadersFunction = () => PRIVATE_PAGE_HEADERS;

export const meta: MetaFunction = () =>
  pageMeta({ title: "Mail queue", description: "Mail waiting and undeliverable." });
