import { Form, Link, useNavigation } from "@remix-run/react";

import type { PostView, ThreadView } from "~/models/thread.server";

import { TextareaField } from "./form-fields";
import type { ThreadFormProblem } from "./thread-form-problem";

/** The reply being quoted (`?quote=`), to start the reply box with. */
export type QuoteDraft = {
  postId: number;
  authorName: string;
  markdown: string;
};

export function ReplyForm({
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
