import type { Generated, Insertable, Selectable } from "kysely";

/**
 * Tables as Kysely sees them. JSON is kept in text columns on both databases so rows read
 * back identically; timestamps are ISO-8601 UTC strings, which sort correctly as text.
 */
export interface PapersTable {
  /** Surrogate integer key: full-text and vector indexes need a stable integer rowid. */
  pk: Generated<number>;
  /** Versionless arXiv id, e.g. 2501.00010 or hep-th/9901001. */
  id: string;
  version: number | null;
  /** JSON: [{version, created}] */
  versions: string | null;
  title: string;
  abstract: string;
  /** JSON: [{name, affiliation?, hfId?}] in paper order. */
  authors: string;
  /** Author names joined with ", ": indexed for full-text search. */
  author_names: string;
  /** Space-separated arXiv categories, primary first. */
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  submitter: string | null;
  published_at: string;
  updated_at: string | null;
  github_repo: string | null;
  project_page: string | null;
  /** Shown and sorted on: Hugging Face's upvotes plus local_upvotes. */
  upvotes: number;
  /** Hugging Face's comment count plus local_comments. */
  num_comments: number;
  /** Votes cast here, kept in step with the votes table in the same transaction. */
  local_upvotes: Generated<number>;
  /** Comments made here and not deleted. */
  local_comments: Generated<number>;
  /** Time-decayed popularity, stored on every write; see store/trending.ts. */
  trending_score: number;
  /** JSON of Hugging Face-only fields (discussionId, ai_summary, …), null when none. */
  hf_meta: string | null;
  /** Hash of the stored content: lets a re-ingest tell unchanged papers from updated ones. */
  content_hash: string;
}

export interface PaperAuthorsTable {
  paper_id: string;
  position: number;
  name: string;
  /** The paper's published_at, so an author's papers are read newest first from an index. */
  published_at: Generated<string>;
}

export interface PaperCategoriesTable {
  paper_id: string;
  category: string;
  position: number;
  /** The paper's published_at, so a category's papers are read newest first from an index. */
  published_at: Generated<string>;
}

export interface FeedEntriesTable {
  paper_id: string;
  /** YYYY-MM-DD, an America/New_York day. */
  feed_date: string;
  source: string;
  /** JSON in the Hugging Face `submittedBy` shape, null when unknown. */
  submitted_by: string | null;
  /** The local user who submitted it (source 'user'). */
  submitter_id: Generated<number | null>;
}

export interface IngestStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface DataVersionTable {
  id: number;
  version: number;
  papers: number;
}

export type Role = "user" | "moderator" | "admin";

export interface UsersTable {
  id: Generated<number>;
  /** As typed at sign-up. */
  username: string;
  /** Lower-cased username: unique, what lookups compare. */
  username_key: string;
  display_name: string | null;
  /** Null once the account is deleted. */
  email: string | null;
  email_key: string | null;
  email_verified_at: string | null;
  /** argon2id PHC string; null once the account is deleted. */
  password_hash: string | null;
  role: Generated<Role>;
  created_at: string;
  deleted_at: string | null;
  /** Set while a moderator's ban holds: the account can neither sign in nor act. */
  banned_at: Generated<string | null>;
  ban_reason: Generated<string | null>;
  /** What the profile page says about its owner, as typed (plain text). */
  bio: Generated<string>;
  /** JSON: [url, …], the profile's links. */
  links: Generated<string>;
  /** 1 when the profile lists the papers its owner upvoted. */
  upvotes_public: Generated<number>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a leaked table opens no session. */
  id_hash: string;
  user_id: number;
  /** Forms of this session carry it; a request without it changes nothing. */
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export type EmailTokenPurpose = "verify" | "reset" | "email_change";

export interface EmailTokensTable {
  token_hash: string;
  user_id: number;
  purpose: EmailTokenPurpose;
  /** The address the link was mailed to (for email_change, the new address). */
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type TokenScope = "read" | "write";

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  scope: TokenScope;
  token_hash: string;
  /** The token's first characters, shown in settings so its owner can tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface VotesTable {
  paper_id: string;
  user_id: number;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: string;
  user_id: number;
  parent_id: number | null;
  /** Markdown as typed; emptied when the comment is deleted. */
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface CommentReportsTable {
  comment_id: number;
  user_id: number;
  reason: string;
  created_at: string;
  /** When a moderator dealt with the report (hid the comment or dismissed it); null while it waits in the queue. */
  resolved_at: Generated<string | null>;
  resolved_by: Generated<number | null>;
}

/** Why something was hidden: a moderator hid it, or a ban of its author did (and lifting the ban brings it back). */
export type HiddenCause = "moderator" | "ban";

export interface HiddenCommentsTable {
  comment_id: number;
  moderator_id: number;
  /** Shown to moderators only. */
  reason: string;
  cause: HiddenCause;
  created_at: string;
}

/** Feed entries a moderator took off the feed, kept whole so they can be put back. */
export interface HiddenFeedEntriesTable {
  paper_id: string;
  feed_date: string;
  source: string;
  submitted_by: string | null;
  submitter_id: number | null;
  moderator_id: number;
  reason: string;
  cause: HiddenCause;
  created_at: string;
}

/** Papers whose discussion a moderator closed: nobody but moderators comments until it is unlocked. */
export interface LockedDiscussionsTable {
  paper_id: string;
  moderator_id: number;
  reason: string;
  created_at: string;
}

/** Every moderator action: who did what to which thing, when and why. Rows are only ever added. */
export interface ModerationLogTable {
  id: Generated<number>;
  moderator_id: number;
  action: string;
  /** comment, paper, user or claim. */
  subject_kind: string;
  /** The comment's or claim's id, the paper's arXiv id, the user's username. */
  subject: string;
  /** The account the action concerns (a comment's author, a banned user, a claimant), if any. */
  user_id: number | null;
  reason: string;
  created_at: string;
}

export type ClaimStatus = "pending" | "approved" | "rejected";

export interface AuthorClaimsTable {
  id: Generated<number>;
  paper_id: string;
  /** The claimed author's place in the paper's author list, counting from 0. */
  author_position: number;
  /** The author's name as listed when the claim was made. */
  author_name: string;
  user_id: number;
  status: ClaimStatus;
  created_at: string;
  decided_at: string | null;
  decided_by: number | null;
}

/** One row per worker job: the lease that lets one worker at a time run it, and how its last run went. */
export interface JobsTable {
  name: string;
  /** The worker holding the lease, null when free. */
  holder: string | null;
  /** ISO-8601 UTC; past it the lease is free even if `holder` is set (its worker died). */
  lease_expires_at: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  /** `ok` or `failed`, null before the first run ends. */
  last_outcome: string | null;
  /** What the last run did, or why it failed. */
  last_message: string | null;
}

export interface SiteSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export type DigestPeriodKind = "daily" | "weekly";
export type SubscriberStatus = "pending" | "active" | "unsubscribed";

/** Someone who asked for digests by e-mail; `id` is random, so links that name it cannot be guessed. */
export interface SubscribersTable {
  id: string;
  /** As typed. */
  email: string;
  /** Lower-cased: one subscription per address. */
  email_key: string;
  period: DigestPeriodKind;
  status: SubscriberStatus;
  created_at: string;
  confirmation_sent_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

/** Addresses no mail goes to any more: they bounced, complained, or an admin said so. */
export interface MailSuppressionsTable {
  email_key: string;
  /** `bounce`, `complaint` or `manual`. */
  reason: string;
  detail: string | null;
  created_at: string;
}

/** The secret in the address of an account's private My feed feed: one an account, replaced or removed from settings. */
export interface FeedTokensTable {
  user_id: number;
  token: string;
  created_at: string;
}

export type OutboxStatus = "queued" | "sent" | "failed" | "suppressed" | "cancelled";

/** Every mail Paperboy sends, rendered when queued and sent once: claimed under a lease, then marked. */
export interface OutboxTable {
  id: string;
  /** What the mail is, uniquely: the same digest for the same subscriber and period is only ever queued once. */
  dedupe_key: string;
  /** `confirmation` or `digest`. */
  kind: string;
  subscriber_id: string | null;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON object of extra header fields (List-Unsubscribe, …). */
  headers: string;
  /** Chosen when queued, so a retry carries the same Message-ID. */
  message_id: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** The worker sending it now, and until when that claim holds. */
  claimed_by: string | null;
  claim_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface CollectionsTable {
  id: Generated<number>;
  /** The collection's address, made from its first title; never changes. */
  slug: string;
  owner_id: number;
  title: string;
  description: Generated<string>;
  /** 1: only its owner sees it, anywhere. */
  private: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CollectionPapersTable {
  collection_id: number;
  paper_id: string;
  /** Order in the collection, from 0. */
  position: number;
  /** The owner's note on this paper here, plain text. */
  note: Generated<string>;
  added_at: string;
}

export type FollowKind = "author" | "category" | "organization";

export interface FollowsTable {
  user_id: number;
  kind: FollowKind;
  /** An author's name as papers give it, a category code, or an organisation's name. */
  value: string;
  created_at: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  /** As Hugging Face spells it, e.g. ByteDance-Seed. */
  name: string;
  /** Lower-cased name: unique, what lookups compare. */
  name_key: string;
  fullname: string | null;
  avatar_url: string | null;
  created_at: string;
}

export interface PaperOrganizationsTable {
  paper_id: string;
  organization_id: number;
  /** `hf`: from the Hugging Face feed (re-ingests replace it); anything else is kept. */
  source: string;
  /** The member who linked their submission to the organisation (source `member`). */
  attached_by: Generated<number | null>;
}

/** Accounts an admin made members of an organisation: they may link their own submissions to it. */
export interface OrganizationMembersTable {
  organization_id: number;
  user_id: number;
  added_by: number;
  created_at: string;
}

/** Requests counted per client and window, for rate limits every instance shares (see rate-limits.ts). */
export interface RateLimitsTable {
  /** What is limited and for whom, e.g. `api:203.0.113.7`. */
  bucket: string;
  /** Start of the window, Unix seconds. */
  window_start: number;
  hits: number;
  /** End of the window, Unix seconds: the row means nothing after it. */
  expires_at: number;
}

export interface Database {
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  follows: FollowsTable;
  organizations: OrganizationsTable;
  paper_organizations: PaperOrganizationsTable;
  organization_members: OrganizationMembersTable;
  users: UsersTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  api_tokens: ApiTokensTable;
  votes: VotesTable;
  comments: CommentsTable;
  comment_reports: CommentReportsTable;
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  feed_entries: FeedEntriesTable;
  ingest_state: IngestStateTable;
  data_version: DataVersionTable;
  jobs: JobsTable;
  site_secrets: SiteSecretsTable;
  subscribers: SubscribersTable;
  mail_suppressions: MailSuppressionsTable;
  outbox: OutboxTable;
  feed_tokens: FeedTokensTable;
  hidden_comments: HiddenCommentsTable;
  hidden_feed_entries: HiddenFeedEntriesTable;
  locked_discussions: LockedDiscussionsTable;
  moderation_log: ModerationLogTable;
  author_claims: AuthorClaimsTable;
  rate_limits: RateLimitsTable;
}

export type PaperRow = Selectable<PapersTable>;

/**
 * The columns a paper is read back from, for `select`: `selectAll` would also fetch what the
 * databases keep for search alone, such as PostgreSQL's search_vector. Kept
 * as an object so that the compiler notices a column missing from it.
 */
const paperRowColumnSet: Record<keyof PapersTable, true> = {
  pk: true,
  id: true,
  version: true,
  versions: true,
  title: true,
  abstract: true,
  authors: true,
  author_names: true,
  categories: true,
  primary_category: true,
  comment: true,
  journal_ref: true,
  doi: true,
  license: true,
  submitter: true,
  published_at: true,
  updated_at: true,
  github_repo: true,
  project_page: true,
  upvotes: true,
  num_comments: true,
  local_upvotes: true,
  local_comments: true,
  trending_score: true,
  hf_meta: true,
  content_hash: true,
};
export const paperRowColumns = Object.keys(paperRowColumnSet) as (keyof PapersTable)[];
export type NewPaperRow = Insertable<PapersTable>;
