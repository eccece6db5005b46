import { Form, Link } from "@remix-run/react";

import type { PostView } from "~/models/thread.server";

import { ErrorList, Field, TextareaField } from "./form-fields";
import type { ThreadFormProblem } from "./thread-form-problem";

// A reply's own forms, for its author (and moderators): editing it and deleting it.

export function EditForm({ post, actionData }: { post: PostView; actionData: ThreadFormProblem | undefined }) {
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

export function DeleteForm({
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
