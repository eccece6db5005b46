import type { Viewer } from "./discussion-access.server";
import { getItemHelpful } from "./reaction.server";
import { findItemThreadId, getQuoteDraft, getThreadView } from "./thread.server";

/** An item page's discussion: its thread (if anyone has replied) and its Helpful count. */
export async function loadItemDiscussion({ itemId, viewer, url }: { itemId: number; viewer: Viewer; url: URL }) {
  const threadId = await findItemThreadId({ itemId });
  const [view, helpful] = await Promise.all([
    threadId === null
      ? null
      : getThreadView({ threadId, viewer }).catch((error: unknown) =>
          error instanceof Response && error.status === 404 ? null : Promise.reject(error),
        ),
    getItemHelpful({ itemId, viewer }),
  ]);
  const quoteId = Number(url.searchParams.get("quote"));
  const quote =
    viewer && threadId !== null && Number.isInteger(quoteId) && quoteId > 0
      ? await getQuoteDraft({ threadId, postId: quoteId, viewer })
      : null;
  return {
    itemId,
    threadId,
    isThreadHidden: threadId !== null && view === null,
    view,
    helpful,
    quote,
    isSignedIn: viewer !== null,
    signInPath: `${url.pathname}#reply-form`,
  };
}

export type ItemDiscussionData = Awaited<ReturnType<typeof loadItemDiscussion>>;
