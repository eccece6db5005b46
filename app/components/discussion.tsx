import { Form, Link, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { type FormEvent, type MouseEvent, useCallback } from "react";

import { ErrorList, Field, TextareaField } from "~/components/form-fields";
import { FLAG_REASONS } from "~/models/discussion-vocabulary";
import type { PostView, ReplyGroup, ThreadView } from "~/models/thread.server";
import { type FormReply, readReply, type ReadReply } from "~/utils/forms";
import { memberPath } from "~/utils/paths";

const LONDON_OFFSET = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const offsetMinutesByHour = new Map<string, number>();

/** UK clock time ("24 Nov 2026, 21:35"), the same on server and browser. Intl is slow on long threads, so it only works out the offset once an hour. */
export function formatDateTime(iso: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hourKey = date.toISOString().slice(0, 13);
  let offset = offsetMinutesByHour.get(hourKey);
  if (offset === undefined) {
    const name = LONDON_OFFSET.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
    const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
    offset = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
    offsetMinutesByHour.set(hourKey, offset);
  }
  const local = new Date(date.getTime() + offset * 60_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** A thread page form's reply: which form it belongs to (by intent and post), its first message and what was sent. */
export type ThreadFormProblem = {
  intent: string;
  postId: number | null;
  field: string;
  message: string;
  sent: ReadReply;
};

/** Every form on a thread page posts to one action; this says which of them a reply is for. */
export function threadFormProblem(actionData: FormReply | undefined): ThreadFormProblem | undefined {
  if (!actionData) return undefined;
  const reply = readReply(actionData);
  const [field, message] = Object.entries(reply.fieldErrors())[0] ?? [];
  if (!field || !message) return undefined;
  const postId = Number(reply.valueOf("postId") ?? reply.valueOf("targetId") ?? reply.valueOf("parentPostId"));
  return {
    intent: reply.valueOf("intent") ?? "",
    postId: Number.isInteger(postId) && postId > 0 ? postId : null,
    field,
    message,
    sent: reply,
  };
}

type QuoteDraft = {
  postId: number;
  authorName: string;
  markdown: string;
};

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

function errorFor(actionData: ThreadFormProblem | undefined, intent: string, postId: number | null) {
  if (!actionData || actionData.intent !== intent) return undefined;
  if (postId !== null && actionData.postId !== postId) return undefined;
  return actionData;
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

/**
 * A long thread has thousands of links and small forms; rather than a router-aware component for
 * each, posts render plain <a data-nav> and <form data-enhance>, and one handler here sends them
 * through Remix when JavaScript is running. Without JavaScript they are ordinary links and forms.
 */
function useEnhancedPosts() {
  const navigate = useNavigate();
  const submit = useSubmit();
  const onClick = useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-nav]");
      if (!link) return;
      event.preventDefault();
      navigate(link.getAttribute("href")!, { preventScrollReset: true });
    },
    [navigate],
  );
  const onSubmit = useCallback(
    (event: FormEvent<HTMLElement>) => {
      const form = event.target as HTMLFormElement;
      if (event.defaultPrevented || !form.matches("form[data-enhance]")) return;
      event.preventDefault();
      const submitter = (event.nativeEvent as SubmitEvent).submitter;
      submit(submitter instanceof HTMLButtonElement && submitter.name ? submitter : form, {
        method: "post",
        preventScrollReset: true,
      });
    },
    [submit],
  );
  return { onClick, onSubmit };
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

export function HelpfulForm({
  targetType,
  targetId,
  count,
  isHelpful,
  canReact,
}: {
  targetType: "item" | "post";
  targetId: number;
  count: number;
  isHelpful: boolean;
  canReact: boolean;
}) {
  const label = `${count} found this helpful`;
  if (!canReact) return count > 0 ? <span className="helpful-count">{label}</span> : null;
  return (
    <form method="post" className="inline-form" data-enhance>
      <input type="hidden" name="intent" value="helpful" />
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="helpful" value={isHelpful ? "0" : "1"} />
      <button type="submit" className="link-button" aria-pressed={isHelpful}>
        Helpful <span className="helpful-count">({count})</span>
      </button>
    </form>
  );
}

function AcceptForm({ postId, isAccepted }: { postId: number; isAccepted: boolean }) {
  return (
    <form method="post" className="inline-form" data-enhance>
      <input type="hidden" name="intent" value="accept" />
      <input type="hidden" name="postId" value={isAccepted ? "" : postId} />
      <button type="submit" className="link-button">
        {isAccepted ? "Unaccept this answer" : "Accept as answer"}
      </button>
    </form>
  );
}

function FollowThreadForm({ isFollowing }: { isFollowing: boolean }) {
  return (
    <Form method="post" className="inline-form" preventScrollReset>
      <input type="hidden" name="intent" value="follow-thread" />
      <input type="hidden" name="follow" value={isFollowing ? "0" : "1"} />
      <button type="submit" className="button button--secondary">
        {isFollowing ? "Stop following" : "Follow this thread"}
      </button>
    </Form>
  );
}

function EditForm({ post, actionData }: { post: PostView; actionData: ThreadFormProblem | undefined }) {
  return (
    <Form method="post" className="reply-form" preventScrollReset>
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="postId" value={post.id} />
      <TextareaField
        name="body"
        id={`edit-body-${post.id}`}
        label="Edit your reply (markdown)"
        rows={8}
        error={actionData?.message}
        defaultValue={actionData?.sent.valueOf("body") ?? post.bodyMarkdown}
      />
      <div className="form-actions">
        <button type="submit" className="button">
          Save changes
        </button>
        <Link to={`.#post-${post.id}`} preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  );
}

function DeleteForm({
  post,
  actionData,
  isModerator,
}: {
  post: PostView;
  actionData: ThreadFormProblem | undefined;
  isModerator: boolean;
}) {
  const fieldId = `delete-reason-${post.id}`;
  return (
    <Form method="post" className="confirm-panel" preventScrollReset>
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="postId" value={post.id} />
      <p>
        <strong>Delete this reply?</strong> Its words are removed; a note keeps its place so replies to it still make
        sense.
      </p>
      {isModerator ? (
        <Field
          name="reason"
          id={fieldId}
          label="Reason, if it is not your own reply (for the audit log)"
          error={actionData?.message}
          defaultValue={actionData?.sent.valueOf("reason")}
        />
      ) : (
        <ErrorList id={`${fieldId}-error`} messages={[actionData?.message]} />
      )}
      <div className="form-actions">
        <button type="submit" className="button button--warning">
          Delete reply
        </button>
        <Link to={`.#post-${post.id}`} preventScrollReset>
          Keep it
        </Link>
      </div>
    </Form>
  );
}

export function FlagForm({
  targetType,
  targetId,
  actionData,
}: {
  targetType: "item" | "post";
  targetId: number;
  actionData: ThreadFormProblem | undefined;
}) {
  const prefix = `flag-${targetType}-${targetId}`;
  const field = actionData?.field;
  return (
    <Form method="post" className="confirm-panel" preventScrollReset>
      <input type="hidden" name="intent" value="flag" />
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <fieldset>
        <legend>Why should a moderator look at this {targetType === "post" ? "reply" : "item"}?</legend>
        <ErrorList id={`${prefix}-error`} messages={[field !== "note" ? actionData?.message : undefined]} />
        {Object.entries(FLAG_REASONS).map(([value, label]) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              id={`${prefix}-${value}`}
              name="reason"
              value={value}
              defaultChecked={actionData?.sent.valueOf("reason") === value}
            />
            <label htmlFor={`${prefix}-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <p className="hint">
        Moderators act on the <Link to="/house-rules">house rules</Link> and the <Link to="/terms">terms of use</Link>.
      </p>
      <TextareaField
        name="note"
        id={`${prefix}-note`}
        label="Anything the moderator should know (optional)"
        rows={2}
        error={field === "note" ? actionData?.message : undefined}
        defaultValue={actionData?.sent.valueOf("note")}
      />
      <div className="form-actions">
        <button type="submit" className="button">
          Flag for a moderator
        </button>
        <Link to="." preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  );
}

function PostModerationForm({ post, actionData }: { post: PostView; actionData: ThreadFormProblem | undefined }) {
  return (
    <Form method="post" className="confirm-panel" preventScrollReset>
      <input type="hidden" name="intent" value="moderate-post" />
      <input type="hidden" name="postId" value={post.id} />
      <input type="hidden" name="action" value={post.isHidden ? "unhide" : "hide"} />
      <Field
        name="reason"
        id={`moderate-reason-${post.id}`}
        label="Reason (recorded in the moderation log)"
        error={actionData?.message}
        defaultValue={actionData?.sent.valueOf("reason")}
      />
      <div className="form-actions">
        <button type="submit" className="button button--warning">
          {post.isHidden ? "Unhide reply" : "Hide reply"}
        </button>
      </div>
    </Form>
  );
}

function ThreadModerationForm({ view, actionData }: { view: ThreadView; actionData: ThreadFormProblem | undefined }) {
  const error = errorFor(actionData, "moderate-thread", null);
  const { thread } = view;
  const actions = [
    thread.isLocked ? ["unlock", "Unlock"] : ["lock", "Lock"],
    thread.isHidden ? ["unhide", "Unhide"] : ["hide", "Hide"],
    ...(thread.kind === "item" ? [] : [thread.isPinned ? ["unpin", "Unpin"] : ["pin", "Pin"]]),
  ];
  return (
    <details className="moderation-panel" open={Boolean(error)}>
      <summary>Moderate this thread</summary>
      <Form method="post" preventScrollReset>
        <input type="hidden" name="intent" value="moderate-thread" />
        <Field
          name="reason"
          id="thread-moderation-reason"
          label="Reason (recorded in the moderation log)"
          error={error?.message}
          defaultValue={error?.sent.valueOf("reason")}
        />
        <div className="form-actions">
          {actions.map(([value, label]) => (
            <button key={value} type="submit" name="action" value={value} className="button button--secondary">
              {label} thread
            </button>
          ))}
        </div>
      </Form>
    </details>
  );
}

function ReplyForm({
  view,
  actionData,
  isSignedIn,
  quote,
  replyTo,
  signInPath,
}: {
  view: ThreadView | null;
  actionData: ThreadFormProblem | undefined;
  isSignedIn: boolean;
  quote: QuoteDraft | null;
  replyTo: number | null;
  signInPath: string;
}) {
  const navigation = useNavigation();
  const isPosting = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply";
  if (!isSignedIn) {
    return (
      <p className="reply-form reply-form--signed-out" id="reply-form">
        <Link to={`/sign-in?redirectTo=${encodeURIComponent(signInPath)}`}>Sign in to reply</Link>
      </p>
    );
  }
  if (view && !view.viewer.canReply) {
    return (
      <p className="notice" id="reply-form">
        {view.viewer.cannotReplyBecause}
      </p>
    );
  }
  const parentId = actionData?.sent.valueOf("parentPostId")
    ? Number(actionData.sent.valueOf("parentPostId"))
    : (quote?.postId ?? replyTo);
  const parent = parentId && view ? findPost(view, parentId) : null;
  const initial = actionData?.sent.valueOf("body") ?? (quote ? quoteMarkdown(quote) : "");
  return (
    <Form
      method="post"
      className="reply-form"
      id="reply-form"
      preventScrollReset
      key={`${parentId ?? "thread"}-${quote?.postId ?? ""}-${view?.thread.latestPostId ?? ""}`}
    >
      <input type="hidden" name="intent" value="reply" />
      {parentId ? <input type="hidden" name="parentPostId" value={parentId} /> : null}
      <h3 className="reply-form__heading">
        {parent ? (
          <>
            Replying to {parent.authorName}{" "}
            <Link to="#reply-form" className="reply-form__cancel" preventScrollReset>
              (reply to the thread instead)
            </Link>
          </>
        ) : (
          "Add a reply"
        )}
      </h3>
      <TextareaField
        name="body"
        id="reply-body"
        label="Your reply"
        hint={
          <>
            Markdown works: **bold**, [links](https://example.org), &gt; quotes, lists. Mention a member with @username.
            Replies follow the <Link to="/house-rules">house rules</Link> and <Link to="/terms">terms of use</Link>.
          </>
        }
        rows={7}
        error={actionData?.message}
        defaultValue={initial}
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={isPosting}>
          {isPosting ? "Posting…" : "Post reply"}
        </button>
      </div>
    </Form>
  );
}

function findPost(view: ThreadView, id: number): PostView | null {
  if (view.openingPost?.id === id) return view.openingPost;
  for (const group of view.groups) {
    if (group.post.id === id) return group.post;
    const reply = group.replies.find((post) => post.id === id);
    if (reply) return reply;
  }
  return null;
}

function quoteMarkdown(quote: QuoteDraft) {
  const quoted = quote.markdown
    .trim()
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  return `> **${quote.authorName}** wrote:\n>\n${quoted}\n\n`;
}
