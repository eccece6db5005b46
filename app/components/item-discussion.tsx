import { Link, useSearchParams } from "@remix-run/react";

import { ErrorList } from "~/components/form-fields";
import type { ItemDiscussionData } from "~/models/item-discussion.server";
import type { FormReply } from "~/utils/forms";

import { FlagForm } from "./moderation-forms";
import { HelpfulForm } from "./thread-buttons";
import { ThreadDiscussion } from "./thread-discussion";
import { threadFormProblem } from "./thread-form-problem";

/**
 * The foot of an item page: Helpful, flagging, and the item's discussion. `reply` is what the
 * page's action (the thread action, app/routes/+shared/thread-actions.server.ts) answered.
 */
export function ItemDiscussion({ data, reply }: { data: ItemDiscussionData; reply: FormReply | undefined }) {
  const actionData = threadFormProblem(reply);
  const [params] = useSearchParams();
  const itemError = actionData?.sent.valueOf("targetType") === "item" ? actionData : undefined;
  const isFlagging = params.get("flag") === "item" || (itemError?.intent === "flag" && Boolean(itemError));
  return (
    <div className="item-discussion">
      <div className="item-reactions" id="helpful">
        <HelpfulForm
          targetType="item"
          targetId={data.itemId}
          count={data.helpful.count}
          isHelpful={data.helpful.isHelpfulToViewer}
          canReact={data.isSignedIn}
        />
        {data.isSignedIn ? (
          <Link to="?flag=item#helpful" preventScrollReset>
            Flag this item<span className="visually-hidden"> for a moderator</span>
          </Link>
        ) : null}
        {itemError && itemError.intent === "helpful" ? (
          <div role="alert">
            <ErrorList id="helpful-error" messages={[itemError.message]} />
          </div>
        ) : null}
      </div>
      {isFlagging && data.isSignedIn ? (
        <FlagForm
          targetType="item"
          targetId={data.itemId}
          actionData={itemError?.intent === "flag" ? itemError : undefined}
        />
      ) : null}
      {data.isThreadHidden ? (
        <section className="discussion" id="discussion" aria-labelledby="discussion-heading">
          <h2 id="discussion-heading">Replies</h2>
          <p className="notice">A moderator has hidden this discussion.</p>
        </section>
      ) : (
        <ThreadDiscussion
          view={data.view}
          actionData={actionData && actionData.sent.valueOf("targetType") !== "item" ? actionData : undefined}
          isSignedIn={data.isSignedIn}
          quote={data.quote}
          signInPath={data.signInPath}
        />
      )}
    </div>
  );
}
