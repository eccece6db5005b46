import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { getUser, requireUser } from "~/auth/session.server";
import { formatDateTime } from "~/components/discussion";
import { TagList } from "~/components/taxonomy";
import { findCommunityBySlug, getCommunity, joinCommunity, leaveCommunity, listCommunityMembers, listCommunityThreads, type ThreadListFilter } from "~/models/community.server";
import { COMMUNITY_KINDS, THREAD_KINDS } from "~/models/discussion-vocabulary";
import { setFollowing } from "~/models/notification.server";
import { pageMeta } from "~/utils/meta";
import { communityPath } from "~/utils/paths";

const VIEWS: { value: ThreadListFilter; label: string }[] = [
  { value: "latest", label: "Latest activity" },
  { value: "unanswered", label: "Unanswered" },
  { value: "pinned", label: "Pinned" },
];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("join") }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("follow"), follow: z.enum(["1", "0"]) }),
]);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const community = await getCommunity({ slug: params.slug ?? "", viewer: user });
  const requested = new URL(request.url).searchParams.get("view");
  const filter = VIEWS.find((view) => view.value === requested)?.value ?? "latest";
  const [threads, members] = await Promise.all([
    listCommunityThreads({ communityId: community.id, viewer: user, filter }),
    listCommunityMembers({ communityId: community.id }),
  ]);
  const canStartThread = user !== null && (community.visibility === "open" || community.isMember || community.canRead);
  return { community, threads, members, filter, isSignedIn: user !== null, canStartThread };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries([...(await request.formData())].map(([key, value]) => [key, String(value)]));
  const parsed = ActionSchema.safeParse(form);
  if (!parsed.success) return data({ message: "That form is not one we recognise. Reload the page and try again." }, { status: 400 });
  if (parsed.data.intent === "join") {
    // Joining is the one thing a non-member may do to a members-only community whose page they cannot read.
    const community = await findCommunityBySlug({ slug: params.slug ?? "" });
    const { alreadyMember } = await joinCommunity({ communityId: community.id, userId: user.id });
    if (alreadyMember) return data({ message: `You are already a member of ${community.name}.` }, { status: 400 });
    return redirect(`/communities/${community.slug}`, 303);
  }
  const community = await getCommunity({ slug: params.slug ?? "", viewer: user });
  if (parsed.data.intent === "leave") {
    await leaveCommunity({ communityId: community.id, userId: user.id });
  } else {
    await setFollowing({ viewer: user, targetType: "community", targetKey: String(community.id), follow: parsed.data.follow === "1" });
  }
  return redirect(`/communities/${community.slug}`, 303);
}

export default function CommunityPage() {
  const { community, threads, members, filter, isSignedIn, canStartThread } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ message: string }>();
  return (
    <>
      <p className="eyebrow">
        <Link to="/communities">Communities</Link> · {COMMUNITY_KINDS[community.kind]}
      </p>
      <h1>{community.name}</h1>
      <p className="lede">{community.description}</p>
      <p className="community-card__meta">
        {community.visibility === "members" ? <strong className="badge">Members only</strong> : <span>Open to everyone</span>} ·{" "}
        {community.memberCount} {community.memberCount === 1 ? "member" : "members"}
      </p>
      {actionData ? (
        <p className="field__error" role="alert">
          {actionData.message}
        </p>
      ) : null}
      {isSignedIn ? (
        <div className="form-actions">
          <Form method="post">
            <input type="hidden" name="intent" value={community.isMember ? "leave" : "join"} />
            <button type="submit" className={community.isMember ? "button button--secondary" : "button"}>
              {community.isMember ? "Leave community" : "Join community"}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="follow" />
            <input type="hidden" name="follow" value={community.isFollowing ? "0" : "1"} />
            <button type="submit" className="button button--secondary">
              {community.isFollowing ? "Stop following new threads" : "Follow new threads"}
            </button>
          </Form>
          {canStartThread ? (
            <Link className="button" to={`/communities/${community.slug}/threads/new`}>
              Start a thread
            </Link>
          ) : null}
        </div>
      ) : (
        <p>
          <Link to={`/sign-in?redirectTo=${encodeURIComponent(`/communities/${community.slug}`)}`}>Sign in</Link> to join and post.
        </p>
      )}

      <div className="community-layout">
        <section aria-labelledby="threads-heading">
          <h2 id="threads-heading">Threads</h2>
          <nav aria-label="Thread views" className="tabs">
            <ul>
              {VIEWS.map((view) => (
                <li key={view.value}>
                  <Link to={view.value === "latest" ? "." : `?view=${view.value}`} aria-current={filter === view.value ? "page" : undefined}>
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
                    <Link to={`/communities/${community.slug}/threads/${thread.id}-${thread.slug}`}>{thread.title}</Link>
                  </h3>
                  <p className="thread-row__meta">
                    {thread.kind !== "item" ? <span className="badge">{THREAD_KINDS[thread.kind]}</span> : null}
                    {thread.isAnswered ? <span className="badge badge--accepted">Answered</span> : null}
                    {thread.isPinned ? <span className="badge">Pinned</span> : null}
                    {thread.isLocked ? <span className="badge">Locked</span> : null}
                    {thread.isHidden ? <span className="badge badge--hidden">Hidden</span> : null} {thread.authorName ? `Started by ${thread.authorName} · ` : null}
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
                  <Link to={`/members/${member.username}`}>{member.displayName}</Link>
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
