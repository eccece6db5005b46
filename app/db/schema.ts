import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

// Types only: the shape of every table, kept in step with db/migrations by hand.
// Timestamps are ISO-8601 strings (UTC); calendar dates are YYYY-MM-DD.

export interface UsersTable {
  id: string;
  email: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  role: ColumnType<"member" | "moderator" | "admin", "member" | "moderator" | "admin" | undefined>;
  organisation: string | null;
  organisation_type: string | null;
  job_role: string | null;
  side: string | null;
  bio: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Null until the member follows the link sent to their address. */
  email_verified_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** Unix seconds. */
  expires_at: number;
  /** Unix seconds. */
  created_at: number;
}

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  organisation: string | null;
  role: string | null;
  user_id: string | null;
}

export interface ItemsTable {
  id: Generated<number>;
  type: "case-study" | "tip" | "data-story";
  slug: string;
  title: string;
  summary: string;
  body_markdown: string;
  body_html: string;
  toc_json: ColumnType<string, string | undefined>;
  word_count: ColumnType<number, number | undefined>;
  fields_json: ColumnType<string, string | undefined>;
  organisation_type: string | null;
  nation: string | null;
  region: string | null;
  regime: string | null;
  procedure: string | null;
  contract_category: string | null;
  value_band: string | null;
  status: ColumnType<"draft" | "published" | "archived", "draft" | "published" | "archived" | undefined>;
  licence: ColumnType<string, string | undefined>;
  review_by: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  version: ColumnType<number, number | undefined>;
  source_path: string | null;
  source_hash: string | null;
  preview_token: string | null;
  created_by_user_id: string | null;
}

export interface ItemAuthorsTable {
  item_id: number;
  author_id: number;
  position: number;
}

export interface ItemThemesTable {
  item_id: number;
  theme: "upstream" | "downstream" | "partnership";
}

export interface ItemTagsTable {
  item_id: number;
  tag: string;
}

export interface ItemRevisionsTable {
  id: Generated<number>;
  item_id: number;
  version: number;
  title: string;
  summary: string;
  body_markdown: string;
  meta_json: string;
  note: string | null;
  user_id: string | null;
  created_at: string;
}

export interface ItemSlugRedirectsTable {
  slug: string;
  item_id: number;
}

export interface ItemImagesTable {
  id: string;
  item_id: number | null;
  content_type: "image/png" | "image/jpeg" | "image/webp";
  bytes: Buffer;
  byte_size: number;
  alt: string;
  caption: string | null;
  uploaded_by_user_id: string | null;
  created_at: string;
}

export interface CommunitiesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  kind: "region" | "sector" | "topic";
  visibility: ColumnType<"open" | "members", "open" | "members" | undefined>;
  created_by_user_id: string | null;
  created_at: string;
}

export interface CommunityMembersTable {
  community_id: number;
  user_id: string;
  joined_at: string;
}

export interface ThreadsTable {
  id: Generated<number>;
  kind: "item" | "discussion" | "question";
  community_id: number | null;
  item_id: number | null;
  slug: string;
  title: string;
  author_user_id: string | null;
  accepted_post_id: number | null;
  is_locked: ColumnType<number, number | undefined>;
  is_pinned: ColumnType<number, number | undefined>;
  is_hidden: ColumnType<number, number | undefined>;
  reply_count: ColumnType<number, number | undefined>;
  last_activity_at: string;
  created_at: string;
}

export interface ThreadThemesTable {
  thread_id: number;
  theme: "upstream" | "downstream" | "partnership";
}

export interface ThreadTagsTable {
  thread_id: number;
  tag: string;
}

export interface ThreadItemsTable {
  thread_id: number;
  item_id: number;
}

export interface PostsTable {
  id: Generated<number>;
  thread_id: number;
  parent_post_id: number | null;
  author_user_id: string | null;
  body_markdown: string;
  body_html: string;
  is_hidden: ColumnType<number, number | undefined>;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface PostRevisionsTable {
  id: Generated<number>;
  post_id: number;
  body_markdown: string;
  user_id: string | null;
  created_at: string;
}

export interface DatasetsTable {
  id: Generated<number>;
  item_id: number;
  file_name: string;
  title: string;
  publisher: string;
  source_url: string;
  licence: string;
  attribution: string;
  format: "csv" | "ocds";
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  notes_json: ColumnType<string, string | undefined>;
  origin: "content" | "upload";
  created_by_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ItemChartsTable {
  item_id: number;
  position: number;
  title: string;
  csv: string;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  /** Unix seconds. */
  window_started_at: number;
}

/** One row; triggers raise `epoch` on every write to what public pages show (the page cache reads it). */
export interface ContentEpochTable {
  id: number;
  epoch: number;
}

export interface ReactionsTable {
  user_id: string;
  target_type: "item" | "post";
  target_id: number;
  kind: ColumnType<"helpful", "helpful" | undefined>;
  created_at: string;
}

export interface FollowsTable {
  user_id: string;
  target_type: "thread" | "community" | "theme";
  /** A thread or community id, or a theme slug. */
  target_key: string;
  created_at: string;
}

export type NotificationKind =
  | "reply"
  | "mention"
  | "followed-thread"
  | "followed-community"
  | "followed-theme"
  | "accepted"
  | "join-request"
  | "join-approved"
  | "join-declined"
  /** About the recipient's own account: several wrong passwords were tried for it. */
  | "failed-sign-ins";

export interface NotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: NotificationKind;
  actor_user_id: string | null;
  /** Null for notifications about a join request or the recipient's own account. */
  thread_id: number | null;
  post_id: number | null;
  join_request_id: ColumnType<number | null, number | null | undefined>;
  read_at: string | null;
  created_at: string;
  mail_state: ColumnType<NotificationMailState, NotificationMailState | undefined>;
}

/** What email has done with a notification (or a review reminder): see 202612020120_email-notifications. */
export type NotificationMailState = "pending" | "emailed" | "digest" | "digested" | "skipped";

export type FlagReason = "spam" | "abusive" | "off-topic" | "personal-data" | "inaccurate" | "other";

export interface FlagsTable {
  id: Generated<number>;
  target_type: "item" | "post";
  target_id: number;
  reporter_user_id: string | null;
  reason: FlagReason;
  note: string | null;
  status: ColumnType<"open" | "actioned" | "dismissed", "open" | "actioned" | "dismissed" | undefined>;
  resolved_by_user_id: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface ModerationActionsTable {
  id: Generated<number>;
  moderator_user_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  reason: string;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  authors: AuthorsTable;
  items: ItemsTable;
  item_authors: ItemAuthorsTable;
  item_themes: ItemThemesTable;
  item_tags: ItemTagsTable;
  item_revisions: ItemRevisionsTable;
  item_slug_redirects: ItemSlugRedirectsTable;
  item_images: ItemImagesTable;
  communities: CommunitiesTable;
  community_members: CommunityMembersTable;
  threads: ThreadsTable;
  thread_themes: ThreadThemesTable;
  thread_tags: ThreadTagsTable;
  thread_items: ThreadItemsTable;
  posts: PostsTable;
  post_revisions: PostRevisionsTable;
  datasets: DatasetsTable;
  item_charts: ItemChartsTable;
  rate_limits: RateLimitsTable;
  search_outbox: SearchOutboxTable;
  content_epoch: ContentEpochTable;
  reactions: ReactionsTable;
  follows: FollowsTable;
  notifications: NotificationsTable;
  flags: FlagsTable;
  moderation_actions: ModerationActionsTable;
  community_join_requests: CommunityJoinRequestsTable;
  mail_outbox: MailOutboxTable;
  worker_leases: WorkerLeasesTable;
  notification_jobs: NotificationJobsTable;
  account_tokens: AccountTokensTable;
  email_preferences: EmailPreferencesTable;
  email_digests: EmailDigestsTable;
  review_reminders: ReviewRemindersTable;
  scheduled_runs: ScheduledRunsTable;
  app_secrets: AppSecretsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Item = Selectable<ItemsTable>;
export type NewItem = Insertable<ItemsTable>;
export type ItemUpdate = Updateable<ItemsTable>;
export type Author = Selectable<AuthorsTable>;
export type Community = Selectable<CommunitiesTable>;
export type Thread = Selectable<ThreadsTable>;
export type Post = Selectable<PostsTable>;

export interface SearchOutboxTable {
  id: Generated<number>;
  kind: "item" | "thread";
  ref_id: number;
  created_at: ColumnType<string, string | undefined>;
}

export type JoinRequestStatus = "pending" | "approved" | "declined" | "withdrawn";

export interface CommunityJoinRequestsTable {
  id: Generated<number>;
  community_id: number;
  user_id: string;
  message: string | null;
  status: ColumnType<JoinRequestStatus, JoinRequestStatus | undefined>;
  created_at: string;
  decided_at: string | null;
  decided_by_user_id: string | null;
  decline_reason: string | null;
}

export type MailStatus = "queued" | "sending" | "sent" | "dead" | "withheld";

export interface MailOutboxTable {
  id: Generated<number>;
  message_id: string;
  recipient: string;
  user_id: string | null;
  kind: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers_json: ColumnType<string, string | undefined>;
  about_thread_id: number | null;
  preference_category: string | null;
  status: ColumnType<MailStatus, MailStatus | undefined>;
  attempts: ColumnType<number, number | undefined>;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface WorkerLeasesTable {
  name: string;
  holder: string;
  /** Unix milliseconds. */
  expires_at: number;
}

export interface NotificationJobsTable {
  id: Generated<number>;
  kind: "post";
  payload_json: string;
  created_at: string;
}

export type AccountTokenPurpose = "password-reset" | "verify-email";

export interface AccountTokensTable {
  id: Generated<number>;
  user_id: string;
  purpose: AccountTokenPurpose;
  /** SHA-256 of the token, hex; the token itself is only ever in the link sent. */
  token_hash: string;
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  revoked_because: string | null;
}

export interface EmailPreferencesTable {
  user_id: string;
  category: string;
  frequency: "immediate" | "daily" | "weekly" | "never";
  updated_at: string;
}

export interface EmailDigestsTable {
  user_id: string;
  frequency: "daily" | "weekly";
  covered_until: string;
}

export interface ReviewRemindersTable {
  item_id: number;
  review_by: string;
  user_id: string;
  mail_state: ColumnType<NotificationMailState, NotificationMailState | undefined>;
  created_at: string;
}

export interface ScheduledRunsTable {
  name: string;
  last_run_at: string;
}

export interface AppSecretsTable {
  name: string;
  value: string;
}
