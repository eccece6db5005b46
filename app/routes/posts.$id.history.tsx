import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getUser } from "~/auth/session.server";
import { actorFrom } from "~/models/actor.server";
import { listPostRevisions } from "~/models/post.server";
import { findThreadAddress } from "~/models/thread.server";
import { formatDateTime } from "~/utils/dates";
import { responseForDomainError } from "~/utils/forms.server";
import { pageMeta } from "~/utils/meta";
import { postPath } from "~/utils/paths";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const user = actorFrom(await getUser(request, context));
    const postId = Number(params.id);
    if (!Number.isInteger(postId) || postId <= 0) throw new Response("Not found", { status: 404 });
    const { post, revisions } = await listPostRevisions({ postId, viewer: user });
    const thread = await findThreadAddress({ threadId: post.threadId });
    return {
      post: {
        id: post.id,
        authorName: post.authorName,
        bodyHtml: post.bodyHtml,
        editedAt: post.editedAt,
        createdAt: post.createdAt,
      },
      revisions,
      backHref: postPath(thread, post.id),
    };
  } catch (error) {
    throw responseForDomainError(error);
  }
}

export default function PostHistory() {
  const { post, revisions, backHref } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="eyebrow">
        <Link to={backHref}>Back to the thread</Link>
      </p>
      <h1>History of a reply by {post.authorName ?? "a former member"}</h1>
      <section aria-labelledby="current-heading">
        <h2 id="current-heading">
          Current version
          {post.editedAt ? (
            <>
              , edited <time dateTime={post.editedAt}>{formatDateTime(post.editedAt)}</time>
            </>
          ) : null}
        </h2>
        <div className="prose post__body" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      </section>
      {revisions.length === 0 ? (
        <p>This reply has not been edited.</p>
      ) : (
        <ol className="revision-list" reversed>
          {revisions.map((revision, index) => (
            <li key={revision.id}>
              <h2>
                Version {revisions.length - index}, replaced{" "}
                <time dateTime={revision.replacedAt}>{formatDateTime(revision.replacedAt)}</time>
                {revision.editorName ? ` by ${revision.editorName}` : null}
              </h2>
              <pre className="revision-text">{revision.bodyMarkdown}</pre>
            </li>
          ))}
        </ol>
      )}
      <p className="hint">
        First posted <time dateTime={post.createdAt}>{formatDateTime(post.createdAt)}</time>.
      </p>
    </>
  );
}

export const meta: MetaFunction = () =>
  pageMeta({ title: "Reply history", description: "Earlier versions of an edited reply." });
