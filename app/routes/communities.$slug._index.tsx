import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { getUser, requireUser } from "~/auth/session.server";
import { ErrorSummary, replyProblems } from "~/components/error-summary";
import { TextareaField } from "~/components/form-fields";
import { TagList } from "~/components/taxonomy";
import { actorFrom } from "~/models/actor.server";
import {
  countPendingJoinRequests,
  findCommunityForStewards,
  getOwnJoinRequest,
  JoinRequestFormSchema,
  type OwnJoinRequest,
  requestToJoin,
  withdrawJoinRequest,
} from "~/models/community-join-request.server";
import {
  findCommunityBySlug,
  getCommunity,
  joinCommunity,
  leaveCommunity,
  listCommunityMembers,
  listCommunityThreads,
  type ThreadListEntry,
  type ThreadListFilter,
} from "~/models/community.server";
import { COMMUNITY_KINDS, THREAD_KINDS } from "~/models/discussion-vocabulary";
import { setFollowing } from "~/models/notification.server";
import { formatDateTime } from "~/utils/dates";
import { readReply, type ReadReply, UNRECOGNISED_FORM } from "~/utils/forms";
import { parseForm, rejectedForm, replyToDomainError, responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { communityPath, communityRequestsPath, memberPath, newThreadPath, threadPath } from "~/utils/paths";

const VIEWS: { value: ThreadListFilter; label: string }[] = [
  { value: "latest", label: "Latest activity" },
  { value: "unanswered", label: "Unanswered" },
  { value: "pinned", label: "Pinned" },
];

// A function, because JoinRequestFormSchema (a .server import) is empty in the browser bundle.
const communityActionSchema = () =>
  z.discriminatedUnion(
    "intent",
    [
      z.object({ intent: z.literal("join") }),
      z.object({ intent: z.literal("ask") }).extend(JoinRequestFormSchema.shape),
      z.object({ intent: z.literal("withdraw") }),
      z.object({ intent: z.literal("leave") }),
      z.object({ intent: z.literal("follow"), follow: z.enum(["1", "0"]) }),
    ],
    { error: UNRECOGNISED_FORM },
  );

/** Only the join request's message is a field to go back to; the rest are about the form as a whole. */
const problemHref = (field: string) => (field === "message" ? "#message" : undefined);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await getUser(request, context));
    const community = await getCommunity({ slug: params.slug ?? "", viewer: user, outsideView: true });
    const requested = new URL(request.url).searchParams.get("view");
    const filter = VIEWS.find((view) => view.value === requested)?.value ?? "latest";
    const stewards = await findCommunityForStewards({ slug: community.slug, viewer: user });
    if (!community.canRead) {
      // An outsider of a members-only community sees only what the list shows, and how to ask to join.
      const joinRequest = user ? await getOwnJoinRequest({ communityId: community.id, userId: user.id }) : null;
      const threads: ThreadListEntry[] = [];
      const members: Awaited<ReturnType<typeof listCommunityMembers>> = [];
      return {
        community,
        threads,
        members,
        filter,
        isSignedIn: user !== null,
        canStartThread: false,
        joinRequest,
        canDecide: false,
        pendingRequests: 0,
      };
    }
    const [threads, members, pendingRequests] = await Promise.all([
      listCommunityThreads({ communityId: community.id, viewer: user, filter }),
      listCommunityMembers({ communityId: community.id }),
      stewards.canDecide && community.visibility === "members"
        ? countPendingJoinRequests({ communityId: community.id })
        : 0,
    ]);
    const canStartThread =
      user !== null && (community.visibility === "open" || community.isMember || community.canRead);
    return {
      community,
      threads,
      members,
      filter,
      isSignedIn: user !== null,
      canStartThread,
      joinRequest: null,
      canDecide: stewards.canDecide,
      pendingRequests,
    };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  try {
    const user = actorFrom(await requireUser(request, context));
    const submission = await parseForm(request, communityActionSchema());
    if (submission.status !== "success") return rejectedForm(submission);
    const input = submission.value;
    try {
      if (input.intent === "join" || input.intent === "ask" || input.intent === "withdraw") {
        // Joining, asking to join and withdrawing are what a non-member may do to a members-only community whose threads they cannot read.
        const community = await findCommunityBySlug({ slug: params.slug ?? "" });
        if (input.intent === "join") await joinCommunity({ communityId: community.id, user });
        else if (input.intent === "withdraw") await withdrawJoinRequest({ communityId: community.id, userId: user.id });
        else await requestToJoin({ communityId: community.id, requester: user, message: input.message });
        return redirect(communityPath(community.slug), 303);
      }
      const community = await getCommunity({ slug: params.slug ?? "", viewer: user });
      if (input.intent === "leave") {
        await leaveCommunity({ communityId: community.id, userId: user.id });
      } else {
        await setFollowing({
          viewer: user,
          targetType: "community",
          targetKey: String(community.id),
          follow: input.follow === "1",
        });
      }
      return redirect(communityPath(community.slug), 303);
    } catch (error) {
      return replyToDomainError(submission, error);
    }
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function CommunityPage() {
  const { community, threads, members, filter, isSignedIn, canStartThread, joinRequest, canDecide, pendingRequests } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = readReply(actionData);
  if (!community.canRead)
    return (
      <OutsideCommunity
        community={community}
        isSignedIn={isSignedIn}
        joinRequest={joinRequest}
        reply={reply}
        submission={actionData}
      />
    );
  return (
    <>
      <CommunityHeading community={community} />
      <ErrorSummary problems={replyProblems(reply, problemHref)} submission={actionData} />
      {canDecide && community.visibility === "members" ? (
        <p>
          <Link to={communityRequestsPath(community.slug)}>Requests to join ({pendingRequests})</Link>
        </p>
      ) : null}
      {isSignedIn ? (
        <div className="form-actions">
          {community.isMember || community.visibility === "open" || canDecide ? (
            <Form method="post">
              <input type="hidden" name="intent" value={community.isMember ? "leave" : "join"} />
              <button type="submit" className={community.isMember ? "button button--secondary" : "button"}>
                {community.isMember ? "Leave community" : "Join community"}
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="follow" />
            <input type="hidden" name="follow" value={community.isFollowing ? "0" : "1"} />
            <button type="submit" className="button button--secondary">
              {community.isFollowing ? "Stop following new threads" : "Follow new threads"}
            </button>
          </Form>
          {canStartThread ? (
            <Link className="button" to={newThreadPath(community.slug)}>
              Start a thread
            </Link>
          ) : null}
        </div>
      ) : (
        <p>
          <Link to={`/sign-in?redirectTo=${encodeURIComponent(communityPath(community.slug))}`}>Sign in</Link> to join
          and post.
        </p>
      )}

      <div className="community-layout">
        <section aria-labelledby="threads-heading">
          <h2 id="threads-heading">Threads</h2>
          <nav aria-label="Thread views" className="tabs">
            <ul>
              {VIEWS.map((view) => (
                <li key={view.value}>
                  <Link
                    to={view.value === "latest" ? "." : `?view=${view.value}`}
                    aria-current={filter === view.value ? "page" : undefined}
                  >
                    {view.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {threads.length === 0 ? (
            <p className="empty-state">No threads here yet.</p>
          ) : (
            <ul className="thread-list">
              {threads.map((thread) => (
                <li key={thread.id} className="thread-row">
                  <h3 className="thread-row__title">
                    <Link to={threadPath({ id: thread.id, slug: thread.slug, communitySlug: community.slug })}>
                      {thread.title}
                    </Link>
                  </h3>
                  <p className="thread-row__meta">
                    {thread.kind !== "item" ? <span className="badge">{THREAD_KINDS[thread.kind]}</span> : null}
                    {thread.isAnswered ? <span className="badge badge--accepted">Answered</span> : null}
                    {thread.isPinned ? <span className="badge">Pinned</span> : null}
                    {thread.isLocked ? <span className="badge">Locked</span> : null}
                    {thread.isHidden ? <span className="badge badge--hidden">Hidden</span> : null}{" "}
                    {thread.authorName ? `Started by ${thread.authorName} · ` : null}
                    {thread.replyCount} {thread.replyCount === 1 ? "reply" : "replies"} · last activity{" "}
                    <time dateTime={thread.lastActivityAt}>{formatDateTime(thread.lastActivityAt)}</time>
                  </p>
                  <TagList tags={thread.tags} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <aside aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          {members.length === 0 ? (
            <p>No members yet.</p>
          ) : (
            <ul className="member-list">
              {members.map((member) => (
                <li key={member.username}>
                  <Link to={memberPath(member.username)}>{member.displayName}</Link>
                  {member.organisation ? <span className="member-list__org">, {member.organisation}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </>
  );
}

type CommunitySummary = {
  name: string;
  description: string;
  kind: keyof typeof COMMUNITY_KINDS;
  visibility: "open" | "members";
  memberCount: number;
};

/** The community's name, kind, description and size, as members and outsiders both see them. */
function CommunityHeading({ community }: { community: CommunitySummary }) {
  return (
    <>
      <p className="eyebrow">
        <Link to="/communities">Communities</Link> · {COMMUNITY_KINDS[community.kind]}
      </p>
      <h1>{community.name}</h1>
      <p className="lede">{community.description}</p>
      <p className="community-card__meta">
        {community.visibility === "members" ? (
          <strong className="badge">Members only</strong>
        ) : (
          <span>Open to everyone</span>
        )}{" "}
        · {community.memberCount} {community.memberCount === 1 ? "member" : "members"}
      </p>
    </>
  );
}

function OutsideCommunity({
  community,
  isSignedIn,
  joinRequest,
  reply,
  submission,
}: {
  community: {
    slug: string;
    name: string;
    description: string;
    kind: keyof typeof COMMUNITY_KINDS;
    memberCount: number;
  };
  isSignedIn: boolean;
  joinRequest: OwnJoinRequest | null;
  reply: ReadReply;
  /** The action's answer, so the summary takes focus after each one. */
  submission: unknown;
}) {
  if (!isSignedIn) {
    return (
      <>
        <CommunityHeading community={{ ...community, visibility: "members" }} />
        <p>Only members can read and post in this community. Its stewards decide who joins.</p>
        <p>
          <Link className="button" to={`/sign-in?redirectTo=${encodeURIComponent(communityPath(community.slug))}`}>
            Sign in to ask to join
          </Link>
        </p>
        <p>
          No account? <Link to="/sign-up">Create an account</Link>, then ask to join from this page.
        </p>
      </>
    );
  }
  const isPending = joinRequest?.status === "pending";
  const wasDeclined = joinRequest?.status === "declined";
  return (
    <>
      <CommunityHeading community={{ ...community, visibility: "members" }} />
      <ErrorSummary problems={replyProblems(reply, problemHref)} submission={submission} />
      {isPending ? (
        <section aria-labelledby="request-heading">
          <h2 id="request-heading">Your request to join is waiting for approval</h2>
          <p>
            You asked on <time dateTime={joinRequest.createdAt}>{formatDateTime(joinRequest.createdAt)}</time>. The
            community&rsquo;s stewards will decide, and you will get a notification either way.
          </p>
          {joinRequest.message ? (
            <>
              <h3>Your message</h3>
              <blockquote className="flag-card__note">{joinRequest.message}</blockquote>
            </>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button button--secondary">
              Withdraw request
            </button>
          </Form>
        </section>
      ) : (
        <section aria-labelledby="request-heading">
          <h2 id="request-heading">Ask to join</h2>
          {wasDeclined ? (
            <div className="notice" role="status">
              <p>
                Your request to join was declined on{" "}
                <time dateTime={joinRequest.decidedAt ?? joinRequest.createdAt}>
                  {formatDateTime(joinRequest.decidedAt ?? joinRequest.createdAt)}
                </time>
                .
              </p>
              {joinRequest.declineReason ? <p>Reason given: {joinRequest.declineReason}</p> : null}
              <p>You may ask again.</p>
            </div>
          ) : null}
          <p>Only members can read and post in this community. Its stewards decide who joins.</p>
          <Form method="post" className="stacked-form" noValidate>
            <input type="hidden" name="intent" value="ask" />
            <TextareaField
              name="message"
              label="Message to the stewards (optional)"
              hint="Say who you are and why you would like to join, in up to 500 characters."
              error={reply.errorOf("message")}
              defaultValue={reply.valueOf("message")}
              maxLength={500}
            />
            <div className="form-actions">
              <button type="submit" className="button">
                Ask to join
              </button>
            </div>
          </Form>
        </section>
      )}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = (context) => {
  const { data } = context;
  if (!data) return pageMeta({ title: "Page not found", description: "This community could not be found." });
  const { community } = data;
  // A members-only community has no public address, feed or card: its members just see its name.
  if (community.visibility !== "open") return pageMeta({ title: community.name, description: community.description });
  return pageMeta({
    context,
    title: community.name,
    description: community.description,
    canonicalPath: communityPath(community.slug),
    feeds: [{ title: `New threads in ${community.name}`, scope: { kind: "community", slug: community.slug } }],
  });
};
