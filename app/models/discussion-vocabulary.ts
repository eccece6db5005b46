import type { FlagReason, NotificationKind } from "~/db/schema";

// Labels shared by the server and the browser for discussions, communities and moderation.

export const COMMUNITY_KINDS = { region: "Region", sector: "Sector", topic: "Topic" } as const;
export type CommunityKind = keyof typeof COMMUNITY_KINDS;

export const COMMUNITY_VISIBILITIES = { open: "Open to everyone", members: "Members only" } as const;

export const THREAD_KINDS = { discussion: "Discussion", question: "Question" } as const;

export const FLAG_REASONS: Record<FlagReason, string> = {
  spam: "Spam or advertising",
  abusive: "Rude, abusive or discriminatory",
  "off-topic": "Off topic",
  "personal-data": "Shares someone's personal data",
  inaccurate: "Misleading about the law or guidance",
  other: "Something else",
};

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  mention: "mentioned you in",
  reply: "replied to you in",
  "followed-thread": "replied in",
  "followed-community": "started a thread in a community you follow:",
  "followed-theme": "started a thread on a theme you follow:",
  accepted: "accepted your answer in",
  "join-request": "asked to join",
  "join-approved": "approved your request to join",
  "join-declined": "declined your request to join",
  "failed-sign-ins": "tried several wrong passwords to sign in to",
};

export const MODERATION_ACTION_LABELS: Record<string, string> = {
  "hide-post": "Hid a reply",
  "unhide-post": "Unhid a reply",
  "delete-post": "Deleted a reply",
  "hide-thread": "Hid a thread",
  "unhide-thread": "Unhid a thread",
  "lock-thread": "Locked a thread",
  "unlock-thread": "Unlocked a thread",
  "pin-thread": "Pinned a thread",
  "unpin-thread": "Unpinned a thread",
  "dismiss-flag": "Dismissed a flag",
  "action-flag": "Acted on a flag",
  "create-community": "Created a community",
  "approve-join-request": "Approved a request to join",
  "decline-join-request": "Declined a request to join",
};
