import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { readFormData } from "~/utils/forms.server";

import { canModerate, DiscussionError, type Viewer } from "./discussion-access.server";
import { FlagFormSchema, flagContent, moderatePost, moderateThread, ReasonSchema } from "./moderation.server";
import { setFollowing } from "./notification.server";
import { deleteReply, editReply, replyToThread } from "./post.server";
import { setHelpful } from "./reaction.server";
import { ReplyBodySchema, setAcceptedAnswer } from "./thread.server";

const id = z.coerce.number().int().positive();
const optionalId = z.preprocess(
  (value) => (value === "" || value === undefined || value === null ? null : value),
  id.nullable(),
);
const yesNo = z.enum(["1", "0"]).transform((value) => value === "1");

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: ReplyBodySchema, parentPostId: optionalId }),
  z.object({ intent: z.literal("edit"), postId: id, body: ReplyBodySchema }),
  z.object({ intent: z.literal("delete"), postId: id, reason: z.string().trim().max(500).optional() }),
  z.object({ intent: z.literal("accept"), postId: optionalId }),
  z.object({ intent: z.literal("helpful"), targetType: z.enum(["item", "post"]), targetId: id, helpful: yesNo }),
  z.object({ intent: z.literal("follow-thread"), follow: yesNo }),
  z
    .object({ intent: z.literal("flag"), targetType: z.enum(["item", "post"]), targetId: id })
    .extend(FlagFormSchema.shape),
  z.object({
    intent: z.literal("moderate-thread"),
    action: z.enum(["hide", "unhide", "lock", "unlock", "pin", "unpin"]),
    reason: ReasonSchema,
  }),
  z.object({
    intent: z.literal("moderate-post"),
    postId: id,
    action: z.enum(["hide", "unhide"]),
    reason: ReasonSchema,
  }),
]);

export type ThreadActionData = {
  intent: string;
  postId: number | null;
  error: { field: string; message: string };
  values: Record<string, string>;
};

export type ThreadActionTarget =
  /** A community thread: it exists. */
  | { threadId: number }
  /** An item's discussion: its thread may not exist until the first reply. */
  | { itemId: number; threadId: number | null };

function failure(intent: string, values: Record<string, string>, field: string, message: string, status = 400) {
  const postId = Number(values.postId ?? values.targetId ?? values.parentPostId);
  return data<ThreadActionData>(
    { intent, postId: Number.isInteger(postId) && postId > 0 ? postId : null, error: { field, message }, values },
    { status },
  );
}

/**
 * Every form on a thread page (an item's discussion or a community thread) posts here by
 * `intent`. Success redirects back to the page (Post/Redirect/Get); a problem the person can
 * fix comes back as 400 with their text, so nothing typed is lost.
 */
export async function handleThreadAction({
  request,
  context,
  target,
}: {
  request: Request;
  context: AppLoadContext;
  target: ThreadActionTarget;
}) {
  const user = await requireUser(request, context);
  const viewer: NonNullable<Viewer> = { id: user.id, role: user.role };
  const form = await readFormData(request);
  const values = Object.fromEntries([...form].map(([key, value]) => [key, typeof value === "string" ? value : ""]));
  values.body &&= values.body.replace(/\r\n/g, "\n");
  const intent = values.intent ?? "";
  const parsed = IntentSchema.safeParse({ ...values, parentPostId: values.parentPostId ?? null });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "form");
    const message =
      field === "intent" ? "That form is not one we recognise. Reload the page and try again." : issue.message;
    return failure(intent, values, field, message);
  }
  const page = new URL(request.url).pathname;
  const back = (anchor: string) => redirect(`${page}#${anchor}`, 303);
  const threadId = target.threadId;
  const input = parsed.data;

  try {
    switch (input.intent) {
      case "reply": {
        const replyTarget = threadId !== null ? { threadId } : { itemId: (target as { itemId: number }).itemId };
        const { postId } = await replyToThread({
          target: replyTarget,
          author: viewer,
          body: input.body,
          parentPostId: input.parentPostId,
        });
        return back(`post-${postId}`);
      }
      case "edit": {
        await editReply({ postId: input.postId, editor: viewer, body: input.body });
        return back(`post-${input.postId}`);
      }
      case "delete": {
        await deleteReply({ postId: input.postId, actor: viewer, reason: input.reason || undefined });
        return back(`post-${input.postId}`);
      }
      case "accept": {
        if (threadId === null) throw new DiscussionError("Only questions have accepted answers.");
        await setAcceptedAnswer({ threadId, postId: input.postId, actor: viewer });
        return back(input.postId ? `post-${input.postId}` : "replies");
      }
      case "helpful": {
        await setHelpful({ viewer, targetType: input.targetType, targetId: input.targetId, helpful: input.helpful });
        return back(input.targetType === "post" ? `post-${input.targetId}` : "helpful");
      }
      case "follow-thread": {
        if (threadId === null) throw new DiscussionError("There is no discussion to follow yet: reply to start one.");
        await setFollowing({ viewer, targetType: "thread", targetKey: String(threadId), follow: input.follow });
        return back("discussion");
      }
      case "flag": {
        await flagContent({
          targetType: input.targetType,
          targetId: input.targetId,
          reporter: viewer,
          reason: input.reason,
          note: input.note,
        });
        return redirect(
          `${page}?flagged=1#${input.targetType === "post" ? `post-${input.targetId}` : "discussion"}`,
          303,
        );
      }
      case "moderate-thread": {
        if (!canModerate(viewer)) throw new Response("This needs a moderator or an admin.", { status: 403 });
        if (threadId === null) throw new DiscussionError("There is no discussion here yet.");
        await moderateThread({ threadId, moderator: viewer, action: input.action, reason: input.reason });
        return back("discussion");
      }
      case "moderate-post": {
        if (!canModerate(viewer)) throw new Response("This needs a moderator or an admin.", { status: 403 });
        await moderatePost({ postId: input.postId, moderator: viewer, action: input.action, reason: input.reason });
        return back(`post-${input.postId}`);
      }
    }
  } catch (error) {
    if (error instanceof DiscussionError) return failure(intent, values, error.field, error.message);
    throw error;
  }
}
