import type { Viewer } from "./actor.server";
import { NotFoundError } from "./domain-errors.server";
import { getItemHelpful } from "./reaction.server";
import { findItemThreadId, getQuoteDraft, getThreadView } from "./thread.server";

/** An item page's discussion: its thread (if anyone has replied) and its Helpful count. */
export async function loadItemDiscussion({
  itemId,
  viewer,
  quoteId,
  pagePath,
}: {
  itemId: number;
  viewer: Viewer;
  /** The reply the reader asked to start a quote from, if any. */
  quoteId: number | null;
  /** The item page's path, for signing in and coming back to the reply form. */
  pagePath: string;
}) {
  const threadId = await findItemThreadId({ itemId });
  const [view, helpful] = await Promise.all([
    threadId === null
      ? null
      : getThreadView({ threadId, viewer }).catch((error: unknown) =>
          // A thread hidden by a moderator is not found for the viewer: the page says it is hidden.
          error instanceof NotFoundError ? null : Promise.reject(error),
        ),
    getItemHelpful({ itemId, viewer }),
  ]);
  const quote =
    viewer && threadId !== null && quoteId !== null ? await getQuoteDraft({ threadId, postId: quoteId, viewer }) : null;
  return {
    itemId,
    threadId,
    isThreadHidden: threadId !== null && view === null,
    view,
    helpful,
    quote,
    isSignedIn: viewer !== null,
    signInPath: `${pagePath}#reply-form`,
  };
}

export type ItemDiscussionData = Awaited<ReturnType<typeof loadItemDiscussion>>;
