// Where things live on the site, in one place so pages, feeds, the sitemap and the API agree.

export function itemPath(slug: string) {
  return `/library/${slug}`;
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

export function threadPath({ communitySlug, id, slug }: { communitySlug: string; id: number; slug: string }) {
  return `/communities/${communitySlug}/threads/${id}-${slug}`;
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
