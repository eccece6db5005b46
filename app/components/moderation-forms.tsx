import { Form, Link } from "@remix-run/react";

import { FLAG_REASONS } from "~/models/discussion-vocabulary";
import type { PostView, ThreadView } from "~/models/thread.server";

import { ErrorList, Field, TextareaField } from "./form-fields";
import { errorFor, type ThreadFormProblem } from "./thread-form-problem";

// Flagging something for a moderator, and a moderator's own forms for a reply and a thread.

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

export function PostModerationForm({
  post,
  actionData,
}: {
  post: PostView;
  actionData: ThreadFormProblem | undefined;
}) {
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

export function ThreadModerationForm({
  view,
  actionData,
}: {
  view: ThreadView;
  actionData: ThreadFormProblem | undefined;
}) {
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
