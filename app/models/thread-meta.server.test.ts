import { describe, expect, it } from "vitest";

import { publicThreadMeta, textOfHtml } from "./thread-meta.server";
import type { PostView, ThreadView } from "./thread.server";

function post(overrides: Partial<PostView> = {}): PostView {
  return {
    id: 1,
    parentPostId: null,
    parentAuthorName: null,
    authorName: "Ana",
    authorUsername: "ana",
    bodyHtml: "<p>Opening <strong>words</strong> &amp; more.</p>\n",
    bodyMarkdown: "",
    createdAt: "2026-03-01T10:00:00.000Z",
    editedAt: null,
    isDeleted: false,
    isHidden: false,
    helpfulCount: 0,
    isHelpfulToViewer: false,
    canMarkHelpful: false,
    canEdit: false,
    canDelete: false,
    ...overrides,
  };
}

function view(
  thread: Partial<ThreadView["thread"]> = {},
  openingPost: PostView | null = post(),
  replies: PostView[] = [],
): ThreadView {
  return {
    thread: {
      id: 7,
      kind: "question",
      slug: "a-question",
      title: "A question",
      href: "/communities/open/threads/7-a-question",
      communitySlug: "open",
      communityName: "Open",
      isMembersOnly: false,
      authorName: "Ana",
      createdAt: "2026-03-01T10:00:00.000Z",
      isLocked: false,
      isPinned: false,
      isHidden: false,
      replyCount: replies.length,
      latestPostId: null,
      themes: [],
      tags: [],
      linkedItems: [],
      ...thread,
    },
    openingPost,
    acceptedPost: null,
    groups: replies.map((reply) => ({ post: reply, replies: [] })),
    viewer: {
      isSignedIn: false,
      canReply: false,
      cannotReplyBecause: null,
      canAccept: false,
      canModerate: false,
      isFollowing: false,
    },
  };
}

describe("publicThreadMeta", () => {
  it("describes an open thread from its opening post, counting and dating only visible replies", () => {
    const meta = publicThreadMeta(
      view({}, post(), [
        post({ id: 2, createdAt: "2026-03-02T10:00:00.000Z" }),
        post({ id: 3, createdAt: "2026-03-09T10:00:00.000Z", isHidden: true, bodyHtml: "<p>Secret</p>" }),
        post({ id: 4, createdAt: "2026-03-08T10:00:00.000Z", isDeleted: true }),
      ]),
    );
    expect(meta).toMatchObject({
      path: "/communities/open/threads/7-a-question",
      description: "Opening words & more.",
      posting: { openingPostText: "Opening words & more.", replyCount: 1, lastActivityAt: "2026-03-02T10:00:00.000Z" },
    });
  });

  it("is null for members-only and hidden threads", () => {
    expect(publicThreadMeta(view({ isMembersOnly: true }))).toBeNull();
    expect(publicThreadMeta(view({ isHidden: true }))).toBeNull();
  });

  it("never quotes a hidden or deleted opening post, even when a moderator's view carries its body", () => {
    for (const openingPost of [
      post({ isHidden: true, bodyHtml: "<p>Libel</p>" }),
      post({ isDeleted: true, bodyHtml: "<p>Libel</p>" }),
    ]) {
      const meta = publicThreadMeta(view({}, openingPost));
      expect(JSON.stringify(meta)).not.toContain("Libel");
      expect(meta!.description).toBe("A question in Open on Procurement Commons.");
    }
  });

  it("reads text out of sanitised HTML", () => {
    expect(textOfHtml("<p>a &lt;/script&gt; b</p><ul><li>c</li></ul>")).toBe("a </script> b c");
    expect(textOfHtml("<p>caf&#233;</p>")).toBe("café");
  });
});
