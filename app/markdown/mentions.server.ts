import { memberPath } from "~/utils/paths";

/** Usernames as people type them after "@": letters, digits, dots, dashes and underscores. */
const MENTION = /(^|[^\p{L}\p{N}_./@-])@([a-z0-9][a-z0-9._-]{0,38}[a-z0-9]|[a-z0-9])(?![\p{L}\p{N}_-])/giu;

/** Candidate usernames mentioned in markdown (lower-cased, unique); code spans are ignored. */
export function mentionedUsernames(markdown: string) {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, " ").replace(/`[^`\n]*`/g, " ");
  const names = new Set<string>();
  for (const match of withoutCode.matchAll(MENTION)) names.add(match[2]!.toLowerCase());
  return [...names];
}

/**
 * Links @username in already-sanitised HTML to the member's page, for known usernames only,
 * and never inside links, code or preformatted text.
 */
export function linkMentions(html: string, knownUsernames: Set<string>) {
  if (knownUsernames.size === 0) return html;
  let depth = 0;
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith("<")) {
        const tag = /^<(\/?)(a|code|pre)\b/i.exec(part);
        if (tag) depth += tag[1] ? -1 : 1;
        return part;
      }
      if (depth > 0) return part;
      return part.replace(MENTION, (whole, before: string, name: string) =>
        knownUsernames.has(name.toLowerCase())
          ? `${before}<a class="mention" href="${memberPath(name.toLowerCase())}">@${name}</a>`
          : whole,
      );
    })
    .join("");
}
