import { useSearchParams } from "@remix-run/react";

import type { PostView, ReplyGroup, ThreadView } from "~/models/thread.server";
import { formatDateTime } from "~/utils/dates";
import { memberPath } from "~/utils/paths";

import { ErrorList } from "./form-fields";
import { FlagForm, PostModerationForm, ThreadModerationForm } from "./moderation-forms";
import { DeleteForm, EditForm } from "./post-edit-forms";
import { type QuoteDraft, ReplyForm } from "./reply-form";
import { AcceptForm, FollowThreadForm, HelpfulForm } from "./thread-buttons";
import { errorFor, type ThreadFormProblem } from "./thread-form-problem";
import { useEnhancedPosts } from "./use-enhanced-posts";

type DiscussionProps = {
  /** null for an item nobody has replied to yet. */
  view: ThreadView | null;
  actionData: ThreadFormProblem | undefined;
  isSignedIn: boolean;
  quote: QuoteDraft | null;
  /** Where "Sign in to reply" brings the reader back to. */
  signInPath: string;
  /** Community threads open with their question or post; item threads open with the item. */
  showOpeningPost?: boolean;
};

type OpenPanels = ReturnType<typeof useOpenPanels>;

/** What the page's search params ask to open: an edit box, a flag form, a confirmation. */
function useOpenPanels() {
  const [params] = useSearchParams();
  const number = (name: string) => {
    const value = Number(params.get(name));
    return Number.isInteger(value) && value > 0 ? value : null;
  };
  return {
    edit: number("edit"),
    remove: number("delete"),
    moderate: number("moderate"),
    replyTo: number("replyTo"),
    flag: params.get("flag"),
    wasFlagged: params.get("flagged") === "1",
  };
}

function panelHref(name: string, value: string | number, anchor: string) {
  return `?${name}=${encodeURIComponent(String(value))}#${anchor}`;
}

/** The thread of an item or a community: accepted answer first, then conversations in time order. */
export function ThreadDiscussion({
  view,
  actionData,
  isSignedIn,
  quote,
  signInPath,
  showOpeningPost = false,
}: DiscussionProps) {
  const panels = useOpenPanels();
  const enhance = useEnhancedPosts();
  const groups = view?.groups ?? [];
  const acceptedId = view?.acceptedPost?.id ?? null;
  const replyCount = view?.thread.replyCount ?? 0;
  return (
    // Clicks and submits bubble here from every post (see useEnhancedPosts).
    <div className="thread-body" onClick={enhance.onClick} onSubmit={enhance.onSubmit}>
      {showOpeningPost && view?.openingPost ? (
        <PostCard post={view.openingPost} view={view} actionData={actionData} panels={panels} isOpening />
      ) : null}
      <section className="discussion" id="discussion" aria-labelledby="discussion-heading">
        <div className="discussion__header">
          <h2 id="discussion-heading">
            {replyCount === 0 ? "Replies" : `${replyCount} ${replyCount === 1 ? "reply" : "replies"}`}
          </h2>
          {view && isSignedIn ? <FollowThreadForm isFollowing={view.viewer.isFollowing} /> : null}
        </div>
        {panels.wasFlagged ? (
          <p className="notice notice--success" role="status">
            Thank you. A moderator will look at what you flagged.
          </p>
        ) : null}
        {view?.thread.isLocked ? (
          <p className="notice" role="note">
            <strong>Locked.</strong> This thread is closed to new replies.
          </p>
        ) : null}
        {view?.viewer.canModerate ? <ThreadModerationForm view={view} actionData={actionData} /> : null}

        <div>
          {view?.acceptedPost ? (
            <div className="accepted-answer" aria-labelledby="accepted-heading">
              <h3 id="accepted-heading">Accepted answer</h3>
              <PostCard post={view.acceptedPost} view={view} actionData={actionData} panels={panels} isAccepted />
            </div>
          ) : null}

          {groups.length === 0 ? (
            <p className="discussion__empty">No replies yet. {isSignedIn ? "Start the conversation below." : null}</p>
          ) : (
            <ol className="reply-groups" id="replies">
              {groups.map((group) => (
                <ReplyGroupView
                  key={group.post.id}
                  group={group}
                  view={view!}
                  actionData={actionData}
                  acceptedId={acceptedId}
                  panels={panels}
                />
              ))}
            </ol>
          )}
        </div>

        <ReplyForm
          view={view}
          actionData={errorFor(actionData, "reply", null)}
          isSignedIn={isSignedIn}
          quote={quote}
          replyTo={panels.replyTo}
          signInPath={signInPath}
        />
      </section>
    </div>
  );
}

function ReplyGroupView({
  group,
  view,
  actionData,
  acceptedId,
  panels,
}: {
  group: ReplyGroup;
  view: ThreadView;
  actionData: ThreadFormProblem | undefined;
  acceptedId: number | null;
  panels: OpenPanels;
}) {
  return (
    <li className="reply-group">
      {group.post.id === acceptedId ? (
        <p className="reply-stub" id={`post-${group.post.id}-place`}>
          <a href={`#post-${group.post.id}`}>{group.post.authorName}'s accepted answer is shown at the top.</a>
        </p>
      ) : (
        <PostCard post={group.post} view={view} actionData={actionData} panels={panels} />
      )}
      {group.replies.length > 0 ? (
        <ol className="reply-group__replies">
          {group.replies.map((reply) =>
            reply.id === acceptedId ? null : (
              <li key={reply.id}>
                <PostCard post={reply} view={view} actionData={actionData} panels={panels} inReplyTo />
              </li>
            ),
          )}
        </ol>
      ) : null}
    </li>
  );
}

function PostCard({
  post,
  view,
  actionData,
  panels,
  isAccepted = false,
  inReplyTo = false,
  isOpening = false,
}: {
  post: PostView;
  view: ThreadView;
  actionData: ThreadFormProblem | undefined;
  panels: OpenPanels;
  isAccepted?: boolean;
  inReplyTo?: boolean;
  isOpening?: boolean;
}) {
  const anchor = `post-${post.id}`;
  const editing = panels.edit === post.id && post.canEdit;
  const editError = errorFor(actionData, "edit", post.id);
  const showEdit = editing || Boolean(editError);
  const thread = view.thread;
  const canReply = view.viewer.canReply;
  const isRemoved = post.isDeleted || (post.isHidden && !view.viewer.canModerate);
  return (
    <article
      className={`post${isAccepted ? " post--accepted" : ""}${post.isHidden ? " post--hidden" : ""}`}
      id={anchor}
      aria-label={`Reply by ${post.authorName}`}
    >
      <header className="post__meta">
        {post.authorUsername ? (
          <a className="post__author" href={memberPath(post.authorUsername)} data-nav>
            {post.authorName}
          </a>
        ) : (
          <span className="post__author">{post.authorName}</span>
        )}{" "}
        <a className="post__time" href={`#${anchor}`}>
          <time dateTime={post.createdAt}>{formatDateTime(post.createdAt)}</time>
        </a>
        {inReplyTo && post.parentPostId !== null ? (
          <>
            {" "}
            <a className="post__in-reply-to" href={`#post-${post.parentPostId}`}>
              in reply to {post.parentAuthorName ?? "a deleted reply"}
            </a>
          </>
        ) : null}
        {post.editedAt && !post.isDeleted ? (
          <>
            {" · "}
            <a href={`/posts/${post.id}/history`} className="post__edited" data-nav>
              edited <span className="visually-hidden">(see the history of this reply)</span>
            </a>
          </>
        ) : null}
        {isAccepted ? <strong className="badge badge--accepted">Accepted answer</strong> : null}
        {post.isHidden && view.viewer.canModerate ? (
          <strong className="badge badge--hidden">Hidden from members</strong>
        ) : null}
      </header>

      {post.isDeleted ? (
        <p className="post__tombstone">This reply was deleted by its author.</p>
      ) : post.isHidden && !view.viewer.canModerate ? (
        <p className="post__tombstone">This reply was hidden by a moderator.</p>
      ) : showEdit ? (
        <EditForm post={post} actionData={editError} />
      ) : (
        <div className="prose post__body" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      )}

      {isRemoved || showEdit ? null : (
        <footer className="post__actions">
          {!isOpening ? (
            <HelpfulForm
              targetType="post"
              targetId={post.id}
              count={post.helpfulCount}
              isHelpful={post.isHelpfulToViewer}
              canReact={post.canMarkHelpful}
            />
          ) : null}
          {canReply ? (
            <>
              <a href={panelHref("replyTo", post.id, "reply-form")} data-nav>
                Reply
                <span className="visually-hidden"> to {post.authorName}</span>
              </a>
              <a href={`?quote=${post.id}#reply-form`} data-nav>
                Quote<span className="visually-hidden"> {post.authorName}</span>
              </a>
            </>
          ) : null}
          {post.canEdit ? (
            <a href={panelHref("edit", post.id, anchor)} data-nav>
              Edit<span className="visually-hidden"> this reply</span>
            </a>
          ) : null}
          {post.canDelete && !isOpening ? (
            <a href={panelHref("delete", post.id, anchor)} data-nav>
              Delete<span className="visually-hidden"> this reply</span>
            </a>
          ) : null}
          {view.viewer.canAccept && !isOpening && thread.kind === "question" ? (
            <AcceptForm postId={post.id} isAccepted={isAccepted} />
          ) : null}
          {!view.viewer.isSignedIn ? null : (
            <a href={panelHref("flag", `post-${post.id}`, anchor)} data-nav>
              Flag<span className="visually-hidden"> this reply</span>
            </a>
          )}
          {view.viewer.canModerate ? (
            <a href={panelHref("moderate", post.id, anchor)} data-nav>
              Moderate<span className="visually-hidden"> this reply</span>
            </a>
          ) : null}
        </footer>
      )}
      {errorFor(actionData, "helpful", post.id) || errorFor(actionData, "accept", post.id) ? (
        <div role="alert">
          <ErrorList
            id={`${anchor}-error`}
            messages={[(errorFor(actionData, "helpful", post.id) ?? errorFor(actionData, "accept", post.id))!.message]}
          />
        </div>
      ) : null}
      {(panels.remove === post.id || errorFor(actionData, "delete", post.id)) && post.canDelete ? (
        <DeleteForm
          post={post}
          actionData={errorFor(actionData, "delete", post.id)}
          isModerator={view.viewer.canModerate}
        />
      ) : null}
      {panels.flag === `post-${post.id}` ||
      (errorFor(actionData, "flag", post.id) && actionData?.sent.valueOf("targetType") === "post") ? (
        <FlagForm targetType="post" targetId={post.id} actionData={errorFor(actionData, "flag", post.id)} />
      ) : null}
      {(panels.moderate === post.id || errorFor(actionData, "moderate-post", post.id)) && view.viewer.canModerate ? (
        <PostModerationForm post={post} actionData={errorFor(actionData, "moderate-post", post.id)} />
      ) : null}
    </article>
  );
}
