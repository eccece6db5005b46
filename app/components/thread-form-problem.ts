import { type FormReply, readReply, type ReadReply } from "~/utils/forms";

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

/** The reply if it is for the form of this intent (and post, when one is given). */
export function errorFor(actionData: ThreadFormProblem | undefined, intent: string, postId: number | null) {
  if (!actionData || actionData.intent !== intent) return undefined;
  if (postId !== null && actionData.postId !== postId) return undefined;
  return actionData;
}
