import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { formatDateTime } from "~/components/discussion";
import { ErrorSummary } from "~/components/error-summary";
import { actorFrom } from "~/models/actor.server";
import {
  decideJoinRequest,
  DeclineFormSchema,
  findCommunityForStewards,
  listPendingJoinRequests,
} from "~/models/community-join-request.server";
import { InvalidInputError } from "~/models/domain-errors.server";
import { textFields } from "~/utils/forms";
import { readFormData, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath, communityRequestsPath, memberPath } from "~/utils/paths";

const DecisionSchema = z.object({
  intent: z.enum(["approve", "decline"]),
  requestId: z.coerce.number().int().positive(),
  reason: z.string().optional(),
});

type RequestsActionData = { requestId: number | null; message: string; field?: "reason"; values: { reason?: string } };

async function requireSteward({
  request,
  params,
  context,
}: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const user = actorFrom(await requireUser(request, context));
  const community = await findCommunityForStewards({ slug: params.slug ?? "", viewer: user });
  if (!community.canDecide)
    throw new Response("Only this community's stewards and the site's moderators decide requests to join.", {
      status: 403,
    });
  return { user, community };
}

export async function loader(args: LoaderFunctionArgs) {
  try {
    const { community } = await requireSteward(args);
    const requests = await listPendingJoinRequests({ communityId: community.id });
    return { community: { slug: community.slug, name: community.name, visibility: community.visibility }, requests };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action(args: ActionFunctionArgs) {
  try {
    const { user, community } = await requireSteward(args);
    const values = textFields(await readFormData(args.request));
    const requestId = Number(values.requestId) || null;
    const parsed = DecisionSchema.safeParse(values);
    if (!parsed.success) {
      return data<RequestsActionData>(
        { requestId, message: "That form is not one we recognise. Reload the page and try again.", values },
        { status: 400 },
      );
    }
    const reason = DeclineFormSchema.safeParse({ reason: parsed.data.reason });
    if (!reason.success)
      return data<RequestsActionData>(
        { requestId, message: reason.error.issues[0]!.message, field: "reason", values },
        { status: 400 },
      );
    try {
      await decideJoinRequest({
        requestId: parsed.data.requestId,
        communityId: community.id,
        decider: user,
        decision: parsed.data.intent,
        reason: parsed.data.intent === "decline" ? reason.data.reason : "",
      });
    } catch (error) {
      if (error instanceof InvalidInputError)
        return data<RequestsActionData>({ requestId, message: error.message, values }, { status: 400 });
      throw error;
    }
    return redirect(communityRequestsPath(community.slug), 303);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function JoinRequests() {
  const { community, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<RequestsActionData>();
  const problemHref = actionData?.field && actionData.requestId ? `#reason-${actionData.requestId}` : undefined;
  return (
    <>
      <p className="eyebrow">
        <Link to="/communities">Communities</Link> · <Link to={communityPath(community.slug)}>{community.name}</Link>
      </p>
      <h1>Requests to join {community.name}</h1>
      <ErrorSummary
        problems={actionData ? [{ key: "decision", message: actionData.message, href: problemHref }] : []}
        submission={actionData}
      />
      <p className="lede">
        {requests.length === 0
          ? "No requests waiting."
          : `${requests.length} ${requests.length === 1 ? "request" : "requests"} waiting, oldest first.`}{" "}
        Approving makes the member part of the community at once; declining tells them, with your reason if you give
        one.
      </p>
      {community.visibility === "open" ? (
        <p className="notice">This community is open to everyone now: members join it directly.</p>
      ) : null}
      <ol className="flag-queue">
        {requests.map((joinRequest) => {
          const error = actionData?.requestId === joinRequest.id ? actionData : undefined;
          const reasonId = `reason-${joinRequest.id}`;
          const hintId = `${reasonId}-hint`;
          const errorId = `${reasonId}-error`;
          return (
            <li key={joinRequest.id} className="flag-card" aria-labelledby={`request-${joinRequest.id}-title`}>
              <h2 id={`request-${joinRequest.id}-title`}>
                <Link to={memberPath(joinRequest.requesterUsername)}>{joinRequest.requesterName}</Link>
                {joinRequest.requesterOrganisation ? (
                  <span className="member-list__org">, {joinRequest.requesterOrganisation}</span>
                ) : null}
              </h2>
              <p className="flag-card__meta">
                Asked on <time dateTime={joinRequest.createdAt}>{formatDateTime(joinRequest.createdAt)}</time>
              </p>
              {joinRequest.message ? (
                <blockquote className="flag-card__note">{joinRequest.message}</blockquote>
              ) : (
                <p>No message.</p>
              )}
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="requestId" value={joinRequest.id} />
                <button type="submit" className="button">
                  Approve<span className="visually-hidden"> {joinRequest.requesterName}</span>
                </button>
              </Form>
              <Form method="post" className="stacked-form" noValidate>
                <input type="hidden" name="intent" value="decline" />
                <input type="hidden" name="requestId" value={joinRequest.id} />
                <label htmlFor={reasonId}>Reason for declining {joinRequest.requesterName} (optional)</label>
                <p className="field__hint" id={hintId}>
                  They will see it. Up to 500 characters.
                </p>
                {error?.field === "reason" ? (
                  <p className="field__error" id={errorId}>
                    <span className="visually-hidden">Error:</span> {error.message}
                  </p>
                ) : null}
                <textarea
                  id={reasonId}
                  name="reason"
                  rows={2}
                  maxLength={500}
                  defaultValue={error?.values.reason ?? ""}
                  aria-invalid={error?.field === "reason" ? true : undefined}
                  aria-describedby={error?.field === "reason" ? `${hintId} ${errorId}` : hintId}
                />
                <div className="form-actions">
                  <button type="submit" className="button button--warning">
                    Decline<span className="visually-hidden"> {joinRequest.requesterName}</span>
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

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `Requests to join ${data.community.name}` : "Requests to join",
    description: "Members asking to join, waiting for a steward.",
  });
