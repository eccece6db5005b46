import { Form } from "@remix-run/react";

// The one-button forms of a thread page: Helpful, accepting an answer, following the thread.

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

export function AcceptForm({ postId, isAccepted }: { postId: number; isAccepted: boolean }) {
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

export function FollowThreadForm({ isFollowing }: { isFollowing: boolean }) {
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
