import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireRole } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { Field } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import { listCommunitiesWithPendingRequests } from "~/models/community-join-request.server";
import { FLAG_REASONS } from "~/models/discussion-vocabulary";
import { listOpenFlags, ReasonSchema, resolveFlag } from "~/models/moderation.server";
import { formatDateTime } from "~/utils/dates";
import { hiddenId, readReply, UNRECOGNISED_FORM } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityRequestsPath } from "~/utils/paths";

// A function, because ReasonSchema (a .server import) is empty in the browser bundle.
const resolveSchema = () =>
  z.object({
    intent: z.literal("resolve", { error: UNRECOGNISED_FORM }),
    flagId: hiddenId(),
    outcome: z.enum(["actioned", "dismissed"], { error: UNRECOGNISED_FORM }),
    reason: ReasonSchema,
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await requireRole(request, context, "moderator"));
    const [flags, joinRequests] = await Promise.all([listOpenFlags(), listCommunitiesWithPendingRequests()]);
    return { flags, joinRequests, isAdmin: user.role === "admin" };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const user = actorFrom(await requireRole(request, context, "moderator"));
    const submission = await parseForm(request, resolveSchema());
    if (submission.status !== "success") return rejectedForm(submission);
    const { flagId, outcome, reason } = submission.value;
    try {
      await resolveFlag({ flagId, moderator: user, outcome, reason });
    } catch (error) {
      return replyToDomainError(submission, error);
    }
    return redirect("/moderation", 303);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function ModerationQueue() {
  const { flags, joinRequests, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  // Each flag has its own form: the reply belongs to the one whose id it sent back.
  const repliedTo = Number(reply.valueOf("flagId")) || null;
  return (
    <>
      <h1>Moderation queue</h1>
      <ErrorSummary
        problems={replyProblems(reply, (field) =>
          field === "reason" && repliedTo ? `#reason-${repliedTo}` : undefined,
        )}
        submission={actionData}
      />
      <p className="lede">
        {flags.length === 0
          ? "No open flags. Thank you."
          : `${flags.length} open ${flags.length === 1 ? "flag" : "flags"}, oldest first.`}{" "}
        <Link to="/moderation/log">See the moderation log</Link>
        {isAdmin ? (
          <>
            {" "}
            · <Link to="/admin/mail">Mail queue</Link>
          </>
        ) : null}
      </p>
      {joinRequests.length > 0 ? (
        <section aria-labelledby="join-requests-heading">
          <h2 id="join-requests-heading">Requests to join</h2>
          <ul className="plain-list">
            {joinRequests.map((entry) => (
              <li key={entry.slug}>
                <Link to={communityRequestsPath(entry.slug)}>
                  {entry.name}: {entry.pending} {entry.pending === 1 ? "request" : "requests"} waiting
                </Link>{" "}
                (oldest <time dateTime={entry.oldestAt}>{formatDateTime(entry.oldestAt)}</time>)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ol className="flag-queue">
        {flags.map((flag) => {
          const isRepliedTo = repliedTo === flag.id;
          return (
            <li key={flag.id} className="flag-card" aria-labelledby={`flag-${flag.id}-title`}>
              <h2 id={`flag-${flag.id}-title`}>
                <Link to={flag.href}>{flag.title}</Link>
              </h2>
              <p className="flag-card__meta">
                <strong>{FLAG_REASONS[flag.reason]}</strong>, flagged by {flag.reporterName ?? "a former member"} on{" "}
                <time dateTime={flag.createdAt}>{formatDateTime(flag.createdAt)}</time>
                {flag.isHidden ? " · already hidden" : null}
              </p>
              {flag.note ? <blockquote className="flag-card__note">{flag.note}</blockquote> : null}
              <div className="prose flag-card__excerpt" dangerouslySetInnerHTML={{ __html: flag.excerptHtml }} />
              <Form method="post" className="stacked-form">
                <input type="hidden" name="intent" value="resolve" />
                <input type="hidden" name="flagId" value={flag.id} />
                <Field
                  name="reason"
                  id={`reason-${flag.id}`}
                  label="Reason (recorded in the moderation log)"
                  error={isRepliedTo ? reply.errorOf("reason") : undefined}
                  defaultValue={isRepliedTo ? reply.valueOf("reason") : undefined}
                />
                <div className="form-actions">
                  <button type="submit" name="outcome" value="actioned" className="button button--warning">
                    {flag.targetType === "post" ? "Hide the reply" : "Mark as dealt with"}
                  </button>
                  <button type="submit" name="outcome" value="dismissed" className="button button--secondary">
                    Dismiss the flag
                  </button>
                </div>
              </Form>
            </li>
          );
        })}
      </ol>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Moderation queue", description: "Flags waiting for a moderator." });
