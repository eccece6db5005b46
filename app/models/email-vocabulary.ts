// What a member can choose about email (shared with the browser: the settings page lists these).

export const EMAIL_FREQUENCIES = {
  immediate: "Straight away",
  daily: "In a daily digest",
  weekly: "In a weekly digest",
  never: "Never",
} as const;
export type EmailFrequency = keyof typeof EMAIL_FREQUENCIES;
export const EMAIL_FREQUENCY_VALUES = Object.keys(EMAIL_FREQUENCIES) as [EmailFrequency, ...EmailFrequency[]];

export const NOTIFICATION_CATEGORIES = {
  mention: {
    label: "Mentions of you",
    hint: "When someone mentions you with @ and your username.",
    defaultFrequency: "immediate",
    reason: "someone mentions you",
  },
  reply: {
    label: "Replies to you",
    hint: "Replies to your posts and threads, and when your answer is accepted.",
    defaultFrequency: "immediate",
    reason: "someone replies to you",
  },
  "followed-thread": {
    label: "Threads you follow",
    hint: "New replies in threads you follow (you follow a thread when you start it or reply to it).",
    defaultFrequency: "daily",
    reason: "there are new replies in threads you follow",
  },
  "followed-community": {
    label: "Communities you follow",
    hint: "New threads in communities you follow.",
    defaultFrequency: "daily",
    reason: "there are new threads in communities you follow",
  },
  "followed-theme": {
    label: "Themes you follow",
    hint: "New threads on themes you follow. New library items on them are listed in your digest.",
    defaultFrequency: "daily",
    reason: "there is something new on themes you follow",
  },
  "join-request": {
    label: "Requests to join communities you look after",
    hint: "When someone asks to join a members-only community you steward.",
    defaultFrequency: "immediate",
    reason: "someone asks to join a community you look after",
  },
  "join-decision": {
    label: "Decisions on your requests to join",
    hint: "When a steward approves or declines your request to join a community.",
    defaultFrequency: "immediate",
    reason: "a steward decides on your request to join a community",
  },
  "review-due": {
    label: "Your items due for review",
    hint: "A reminder when something you wrote reaches 30 days before its review date.",
    defaultFrequency: "weekly",
    reason: "something you wrote is due for review",
  },
} as const satisfies Record<string, { label: string; hint: string; defaultFrequency: EmailFrequency; reason: string }>;
export type NotificationCategory = keyof typeof NOTIFICATION_CATEGORIES;
export const NOTIFICATION_CATEGORY_KEYS = Object.keys(NOTIFICATION_CATEGORIES) as [
  NotificationCategory,
  ...NotificationCategory[],
];
