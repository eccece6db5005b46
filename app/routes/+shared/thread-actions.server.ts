import { type AppLoadContext, redirect } from "@remix-run/node";
import { z } from "zod";

import { requireUser } from "~/auth/session.server";
import { actorFrom, hasRole } from "~/models/actor.server";
import { ForbiddenError, InvalidInputError } from "~/models/domain-errors.server";
import { FlagFormSchema, flagContent, moderatePost, moderateThread, ReasonSchema } from "~/models/moderation.server";
import { setFollowing } from "~/models/notification.server";
import { deleteReply, editReply, replyToThread } from "~/models/post.server";
import { setHelpful } from "~/models/reaction.server";
import { ReplyBodySchema, setAcceptedAnswer } from "~/models/thread.server";
import { parseForm, rejectedForm, replyToDomainError } from "~/utils/forms.server";

const id = z.coerce.number().int().positive();
const optionalId = z.preprocess(
  (value) => (value === "" || value === undefined || value === null ? null : value),
  id.nullable(),
);
const yesNo = z.enum(["1", "0"]).transform((value) => value === "1");
// Browsers send textarea line breaks as \r\n; what is stored and compared is \n.
const body = z.preprocess(
  (value) => (typeof value === "string" ? value.replace(/\r\n/g, "\n") : value),
  ReplyBodySchema,
);

const IntentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("reply"), body, parentPostId: optionalId }),
    z.object({ intent: z.literal("edit"), postId: id, body }),
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
  ],
  { error: "That form is not one we recognise. Reload the page and try again." },
);

export type ThreadActionTarget =
  /** A community thread: it exists. */
  | { threadId: number }
  /** An item's discussion: its thread may not exist until the first reply. */
  | { itemId: number; threadId: number | null };

/** The reply the reader asked to quote (`?quote=`), if the address names one. */
export function quoteIdFrom(url: URL) {
  const quoteId = Number(url.searchParams.get("quote"));
  return Number.isInteger(quoteId) && quoteId > 0 ? quoteId : null;
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
  const actor = actorFrom(await requireUser(request, context));
  const submission = await parseForm(request, IntentSchema);
  if (submission.status !== "success") return rejectedForm(submission);
  const page = new URL(request.url).pathname;
  const back = (anchor: string) => redirect(`${page}#${anchor}`, 303);
  const threadId = target.threadId;
  const input = submission.value;

  try {
    switch (input.intent) {
      case "reply": {
        const replyTarget =
          "itemId" in target && threadId === null ? { itemId: target.itemId } : { threadId: threadId! };
        const { postId } = await replyToThread({
          target: replyTarget,
          author: actor,
          body: input.body,
          parentPostId: input.parentPostId,
        });
        return back(`post-${postId}`);
      }
      case "edit": {
        await editReply({ postId: input.postId, editor: actor, body: input.body });
        return back(`post-${input.postId}`);
      }
      case "delete": {
        await deleteReply({ postId: input.postId, actor, reason: input.reason || undefined });
        return back(`post-${input.postId}`);
      }
      case "accept": {
        if (threadId === null) throw InvalidInputError.of("form", "Only questions have accepted answers.");
        await setAcceptedAnswer({ threadId, postId: input.postId, actor });
        return back(input.postId ? `post-${input.postId}` : "replies");
      }
      case "helpful": {
        await setHelpful({
          viewer: actor,
          targetType: input.targetType,
          targetId: input.targetId,
          helpful: input.helpful,
        });
        return back(input.targetType === "post" ? `post-${input.targetId}` : "helpful");
      }
      case "follow-thread": {
        if (threadId === null)
          throw InvalidInputError.of("form", "There is no discussion to follow yet: reply to start one.");
        await setFollowing({ viewer: actor, targetType: "thread", targetKey: String(threadId), follow: input.follow });
        return back("discussion");
      }
      case "flag": {
        await flagContent({
          targetType: input.targetType,
          targetId: input.targetId,
          reporter: actor,
          reason: input.reason,
          note: input.note,
        });
        return redirect(
          `${page}?flagged=1#${input.targetType === "post" ? `post-${input.targetId}` : "discussion"}`,
          303,
        );
      }
      case "moderate-thread": {
        if (threadId === null) {
          if (!hasRole(actor, "moderator")) throw new ForbiddenError("This needs a moderator or an admin.");
          throw InvalidInputError.of("form", "There is no discussion here yet.");
        }
        await moderateThread({ threadId, moderator: actor, action: input.action, reason: input.reason });
        return back("discussion");
      }
      case "moderate-post": {
        await moderatePost({ postId: input.postId, moderator: actor, action: input.action, reason: input.reason });
        return back(`post-${input.postId}`);
      }
    }
  } catch (error) {
    return replyToDomainError(submission, error);
  }
}
