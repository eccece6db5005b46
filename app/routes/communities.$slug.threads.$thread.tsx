import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { TagList, ThemeList } from "~/components/taxonomy";
import { ThreadDiscussion } from "~/components/thread-discussion";
import { threadFormProblem } from "~/components/thread-form-problem";
import { actorFrom } from "~/models/actor.server";
import { THREAD_KINDS } from "~/models/discussion-vocabulary";
import { publicThreadMeta } from "~/models/thread-meta.server";
import { loadThreadPage } from "~/models/thread.server";
import { handleThreadAction, quoteIdFrom } from "~/routes/+shared/thread-actions.server";
import { formatDateTime } from "~/utils/dates";
import { responseForDomainError } from "~/utils/forms.server";
import { pageMeta, siteUrlFrom } from "~/utils/meta";
import { communityPath, itemPath, threadPath } from "~/utils/paths";
import { threadJsonLd } from "~/utils/structured-data";

function threadIdFrom(param: string | undefined) {
  const match = /^(\d{1,12})(?:-|$)/.exec(param ?? "");
  if (!match) throw new Response("Not found", { status: 404 });
  return Number(match[1]);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await getUser(request, context));
    const url = new URL(request.url);
    const page = await loadThreadPage({
      threadId: threadIdFrom(params.thread),
      viewer: user,
      quoteId: quoteIdFrom(url),
    });
    if (page.view.thread.communitySlug !== params.slug) throw new Response("Not found", { status: 404 });
    const canonical = threadPath({ id: page.view.thread.id, slug: page.view.thread.slug, communitySlug: params.slug });
    if (url.pathname !== canonical) throw redirect(`${canonical}${url.search}`, 301);
    return { ...page, publicMeta: publicThreadMeta(page.view) };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleThreadAction({ request, context, target: { threadId: threadIdFrom(params.thread) } });
}

export default function ThreadPage() {
  const { view, quote } = useLoaderData<typeof loader>();
  const actionData = threadFormProblem(useActionData<typeof action>());
  const { thread } = view;
  return (
    <article className="thread-page">
      <p className="eyebrow">
        {thread.communitySlug !== null ? (
          <Link to={communityPath(thread.communitySlug)}>{thread.communityName}</Link>
        ) : null}
        {thread.kind !== "item" ? ` · ${THREAD_KINDS[thread.kind]}` : null}
        {thread.isMembersOnly ? " · Members only" : null}
      </p>
      <h1>{thread.title}</h1>
      <p className="thread-row__meta">
        {thread.isPinned ? <span className="badge">Pinned</span> : null}
        {thread.isLocked ? <span className="badge">Locked</span> : null}
        {thread.isHidden ? <span className="badge badge--hidden">Hidden from members</span> : null}
        {view.acceptedPost ? <span className="badge badge--accepted">Answered</span> : null} Started by{" "}
        {thread.authorName ?? "a former member"} on{" "}
        <time dateTime={thread.createdAt}>{formatDateTime(thread.createdAt)}</time>
      </p>
      <ThemeList themes={thread.themes} />
      <TagList tags={thread.tags} />
      {thread.linkedItems.length > 0 ? (
        <div className="linked-items">
          <h2>About these library items</h2>
          <ul>
            {thread.linkedItems.map((item) => (
              <li key={item.slug}>
                <Link to={itemPath(item.slug)}>{item.title}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ThreadDiscussion
        view={view}
        actionData={actionData}
        isSignedIn={view.viewer.isSignedIn}
        quote={quote}
        signInPath={`${thread.href}#reply-form`}
        showOpeningPost
      />
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = (context) => {
  const { data } = context;
  if (!data) return pageMeta({ title: "Page not found", description: "This thread could not be found." });
  const { thread } = data.view;
  const { publicMeta } = data;
  // Members-only and hidden threads say no more than their title, to their readers only.
  if (!publicMeta)
    return pageMeta({ title: thread.title, description: `A ${thread.kind} in ${thread.communityName}.` });
  const siteUrl = siteUrlFrom(context);
  return pageMeta({
    context,
    title: thread.title,
    description: publicMeta.description,
    canonicalPath: publicMeta.path,
    feeds: thread.communitySlug
      ? [{ title: `New threads in ${thread.communityName}`, scope: { kind: "community", slug: thread.communitySlug } }]
      : [],
    jsonLd: siteUrl ? threadJsonLd(publicMeta.posting, siteUrl) : undefined,
  });
};
