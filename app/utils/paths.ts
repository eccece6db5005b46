// Where things live on the site, in one place so pages, feeds, the sitemap and the API agree.

export function itemPath(slug: string) {
  return `/library/${slug}`;
}

export function itemEditPath(slug: string) {
  return `${itemPath(slug)}/edit`;
}

export function itemHistoryPath(slug: string) {
  return `${itemPath(slug)}/history`;
}

export function itemDownloadPath(slug: string) {
  return `${itemPath(slug)}/download`;
}

export function itemDatasetsPath(slug: string) {
  return `${itemPath(slug)}/datasets`;
}

export function itemDatasetPath(slug: string, fileName: string) {
  return `${itemDatasetsPath(slug)}/${encodeURIComponent(fileName)}`;
}

export function authorPath(slug: string) {
  return `/authors/${slug}`;
}

export function memberPath(username: string) {
  return `/members/${encodeURIComponent(username)}`;
}

export function themePath(theme: string) {
  return `/themes/${theme}`;
}

export function tagPath(tag: string) {
  return `/tags/${encodeURIComponent(tag)}`;
}

export function communityPath(slug: string) {
  return `/communities/${slug}`;
}

export function communityRequestsPath(slug: string) {
  return `${communityPath(slug)}/requests`;
}

export function newThreadPath(communitySlug: string) {
  return `${communityPath(communitySlug)}/threads/new`;
}

/** A thread lives in a community or (as an item's discussion) on the item's page. */
export type ThreadAddress = { id: number; slug: string; communitySlug: string | null; itemSlug?: string | null };

/** Where a thread is read: its page in its community, or the discussion on its item's page. */
export function threadPath(thread: ThreadAddress) {
  return `${threadPagePath(thread)}${thread.itemSlug ? "#discussion" : ""}`;
}

/** One post, where its thread is read. */
export function postPath(thread: ThreadAddress, postId: number) {
  return `${threadPagePath(thread)}#post-${postId}`;
}

/** What a notification is about, as its row names it. */
export type NotificationTarget = {
  kind: string;
  requestCommunitySlug: string | null;
  threadId: number | null;
  threadSlug: string | null;
  communitySlug: string | null;
  itemSlug: string | null;
  postId: number | null;
};

/** Where a notification (on the site or in an email) takes its reader. */
export function notificationPath(target: NotificationTarget) {
  if (target.kind === "failed-sign-ins") return "/account#sessions";
  const { requestCommunitySlug, threadId, threadSlug, postId } = target;
  if (requestCommunitySlug !== null) {
    return target.kind === "join-request"
      ? communityRequestsPath(requestCommunitySlug)
      : communityPath(requestCommunitySlug);
  }
  if (threadId === null || threadSlug === null) return "/notifications";
  const thread = { id: threadId, slug: threadSlug, communitySlug: target.communitySlug, itemSlug: target.itemSlug };
  return postId === null ? threadPath(thread) : postPath(thread, postId);
}

function threadPagePath({ id, slug, communitySlug, itemSlug }: ThreadAddress) {
  if (itemSlug) return itemPath(itemSlug);
  if (communitySlug === null) throw new Error(`Thread ${id} has neither a community nor an item`);
  return `${communityPath(communitySlug)}/threads/${id}-${slug}`;
}

export type FeedFormat = "atom" | "rss";

/** The Atom or RSS feed for a scope: everything, one type, theme or tag, or one community. */
export function feedPath(scope: FeedScope, format: FeedFormat) {
  switch (scope.kind) {
    case "everything":
      return `/feeds/everything.${format}`;
    case "type":
      return `/feeds/types/${scope.type}.${format}`;
    case "theme":
      return `/feeds/themes/${scope.theme}.${format}`;
    case "tag":
      return `/feeds/tags/${encodeURIComponent(scope.tag)}.${format}`;
    case "community":
      return `/feeds/communities/${scope.slug}.${format}`;
  }
}

export type FeedScope =
  | { kind: "everything" }
  | { kind: "type"; type: string }
  | { kind: "theme"; theme: string }
  | { kind: "tag"; tag: string }
  | { kind: "community"; slug: string };

/** Reads a feed address (the part after /feeds/) back into its scope and format. */
export function parseFeedPath(splat: string): { scope: FeedScope; format: FeedFormat } | null {
  const match = /^(?:(types|themes|tags|communities)\/)?([^/]+)\.(atom|rss)$/.exec(splat);
  if (!match) return null;
  const [, folder, rawName, format] = match as unknown as [string, string | undefined, string, FeedFormat];
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return null;
  }
  if (!folder) return name === "everything" ? { scope: { kind: "everything" }, format } : null;
  if (folder === "types") return { scope: { kind: "type", type: name }, format };
  if (folder === "themes") return { scope: { kind: "theme", theme: name }, format };
  if (folder === "tags") return { scope: { kind: "tag", tag: name }, format };
  return { scope: { kind: "community", slug: name }, format };
}
