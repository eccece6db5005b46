import type { ThreadPosting } from "~/utils/structured-data";

import type { ThreadView } from "./thread.server";

// What a thread page may say about itself to crawlers and link previews (description, canonical,
// JSON-LD). Built on the server and only for threads anyone may read: a members-only or hidden
// thread gets null, and a removed opening post is never quoted, whoever is looking.

export type PublicThreadMeta = {
  path: string;
  description: string;
  posting: ThreadPosting;
};

const DESCRIPTION_LENGTH = 200;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** The words of sanitised post HTML, for a description or JSON-LD (React escapes them again). */
export function textOfHtml(html: string) {
  return html
    .replace(/<[^>]{0,2000}>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/&#(\d{1,6});/g, (_, code: string) =>
      String.fromCodePoint(Number(code) <= 0x10ffff ? Number(code) : 0xfffd),
    )
    .replace(/\s+/g, " ")
    .replace(/ ([.,;:!?])/g, "$1")
    .trim();
}

export function publicThreadMeta(view: ThreadView): PublicThreadMeta | null {
  const { thread, openingPost } = view;
  if (thread.isMembersOnly || thread.isHidden || thread.communitySlug === null) return null;
  const openingPostIsPublic = openingPost !== null && !openingPost.isDeleted && !openingPost.isHidden;
  // Built from the HTML anyone may see: a moderator's view also carries hidden bodies, so the flags decide.
  const openingPostText = openingPostIsPublic ? textOfHtml(openingPost.bodyHtml) : "";
  const publicPosts = view.groups
    .flatMap((group) => [group.post, ...group.replies])
    .filter((post) => !post.isDeleted && !post.isHidden);
  const lastActivityAt = publicPosts.reduce(
    (latest, post) => [post.createdAt, post.editedAt ?? ""].reduce((a, b) => (b > a ? b : a), latest),
    thread.createdAt,
  );
  const excerpt =
    openingPostText.length > DESCRIPTION_LENGTH
      ? `${openingPostText.slice(0, DESCRIPTION_LENGTH - 1).trimEnd()}…`
      : openingPostText;
  const kind = thread.kind === "question" ? "A question" : "A discussion";
  return {
    path: thread.href,
    description: excerpt || `${kind} in ${thread.communityName ?? "a community"} on Procurement Commons.`,
    posting: {
      id: thread.id,
      slug: thread.slug,
      communitySlug: thread.communitySlug,
      title: thread.title,
      authorName: thread.authorName,
      createdAt: thread.createdAt,
      lastActivityAt,
      replyCount: publicPosts.length,
      openingPostText: openingPostText.slice(0, 2_000),
    },
  };
}
