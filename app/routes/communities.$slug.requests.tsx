import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { TextareaField } from "~/components/form-fields";
import { actorFrom } from "~/models/actor.server";
import {
  decideJoinRequest,
  DeclineFormSchema,
  findCommunityForStewards,
  listPendingJoinRequests,
} from "~/models/community-join-request.server";
import { ForbiddenError } from "~/models/domain-errors.server";
import { formatDateTime } from "~/utils/dates";
import { hiddenId, readReply, UNRECOGNISED_FORM } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath, communityRequestsPath, memberPath } from "~/utils/paths";

// A function, because DeclineFormSchema (a .server import) is empty in the browser bundle.
const decisionSchema = () =>
  z.discriminatedUnion(
    "intent",
    [
      z.object({ intent: z.literal("approve"), requestId: hiddenId() }),
      z.object({ intent: z.literal("decline"), requestId: hiddenId() }).extend(DeclineFormSchema.shape),
    ],
    { error: UNRECOGNISED_FORM },
  );

async function requireSteward({
  request,
  params,
  context,
}: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const user = actorFrom(await requireUser(request, context));
  const community = await findCommunityForStewards({ slug: params.slug ?? "", viewer: user });
  if (!community.canDecide)
    throw new ForbiddenError("Only this community's stewards and the site's moderators decide requests to join.");
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
    const submission = await parseForm(args.request, decisionSchema());
    if (submission.status !== "success") return rejectedForm(submission);
    const input = submission.value;
    try {
      await decideJoinRequest({
        requestId: input.requestId,
        communityId: community.id,
        decider: user,
        decision: input.intent,
        reason: input.intent === "decline" ? input.reason : "",
      });
    } catch (error) {
      return replyToDomainError(submission, error);
    }
    return redirect(communityRequestsPath(community.slug), 303);
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function JoinRequests() {
  const { community, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  // Each request has its own forms: the reply belongs to the one whose id it sent back.
  const repliedTo = Number(reply.valueOf("requestId")) || null;
  return (
    <>
      <p className="eyebrow">
        <Link to="/communities">Communities</Link> · <Link to={communityPath(community.slug)}>{community.name}</Link>
      </p>
      <h1>Requests to join {community.name}</h1>
      <ErrorSummary
        problems={replyProblems(reply, (field) =>
          field === "reason" && repliedTo ? `#reason-${repliedTo}` : undefined,
        )}
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
          const isRepliedTo = repliedTo === joinRequest.id;
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
                <TextareaField
                  name="reason"
                  id={`reason-${joinRequest.id}`}
                  label={`Reason for declining ${joinRequest.requesterName} (optional)`}
                  hint="They will see it. Up to 500 characters."
                  rows={2}
                  maxLength={500}
                  error={isRepliedTo ? reply.errorOf("reason") : undefined}
                  defaultValue={isRepliedTo ? reply.valueOf("reason") : undefined}
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
