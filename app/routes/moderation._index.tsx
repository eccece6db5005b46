import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireRole } from "~/auth/session.server";
import { formatDateTime } from "~/components/discussion";
import { actorFrom } from "~/models/actor.server";
import { listCommunitiesWithPendingRequests } from "~/models/community-join-request.server";
import { FLAG_REASONS } from "~/models/discussion-vocabulary";
import { InvalidInputError } from "~/models/domain-errors.server";
import { listOpenFlags, ReasonSchema, resolveFlag } from "~/models/moderation.server";
import { textFields } from "~/utils/forms";
import { readFormData, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityRequestsPath } from "~/utils/paths";

const ResolveSchema = z.object({
  intent: z.literal("resolve"),
  flagId: z.coerce.number().int().positive(),
  outcome: z.enum(["actioned", "dismissed"]),
  reason: ReasonSchema,
});

type ModerationActionData = { flagId: number | null; message: string; values: Record<string, string> };

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
    const values = textFields(await readFormData(request));
    const flagId = Number(values.flagId) || null;
    const parsed = ResolveSchema.safeParse(values);
    if (!parsed.success)
      return data<ModerationActionData>({ flagId, message: parsed.error.issues[0]!.message, values }, { status: 400 });
    try {
      await resolveFlag({
        flagId: parsed.data.flagId,
        moderator: user,
        outcome: parsed.data.outcome,
        reason: parsed.data.reason,
      });
    } catch (error) {
      if (error instanceof InvalidInputError)
        return data<ModerationActionData>({ flagId, message: error.message, values }, { status: 400 });
      throw error;
    }
    return redirect("/moderation", 303);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function ModerationQueue() {
  const { flags, joinRequests, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<ModerationActionData>();
  return (
    <>
      <h1>Moderation queue</h1>
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
          const error = actionData?.flagId === flag.id ? actionData : undefined;
          const reasonId = `reason-${flag.id}`;
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
                <label htmlFor={reasonId}>Reason (recorded in the moderation log)</label>
                {error ? (
                  <p className="field__error" id={`${reasonId}-error`}>
                    {error.message}
                  </p>
                ) : null}
                <input
                  id={reasonId}
                  name="reason"
                  defaultValue={error?.values.reason ?? ""}
                  aria-describedby={error ? `${reasonId}-error` : undefined}
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
