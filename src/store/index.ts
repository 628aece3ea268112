import type { DatabaseTarget } from "../config/index.ts";
import { ApiTokenRepository } from "./api-tokens.ts";
import { ClaimRepository } from "./claims.ts";
import { CollectionRepository } from "./collections.ts";
import { CommentRepository } from "./comments.ts";
import { type Connection, connect } from "./connection.ts";
import { DataVersionRepository } from "./data-version.ts";
import { EmailTokenRepository } from "./email-tokens.ts";
import { FeedRepository } from "./feed.ts";
import { FeedPlacementRepository } from "./feed-placements.ts";
import { FeedTokenRepository } from "./feed-tokens.ts";
import { FollowRepository } from "./follows.ts";
import { IngestStateRepository } from "./ingest-state.ts";
import { JobRepository } from "./jobs.ts";
import { KeywordIndexer } from "./keyword-index/indexer.ts";
import { ListingRepository } from "./listings.ts";
import { migrateToLatest } from "./migrations.ts";
import { ModerationRepository } from "./moderation.ts";
import { OrganizationMemberRepository } from "./organization-members.ts";
import { OrganizationRepository } from "./organizations.ts";
import { OutboxRepository } from "./outbox.ts";
import { PaperCursorRepository } from "./paper-cursor.ts";
import { PaperRepository } from "./papers.ts";
import { ProfileRepository } from "./profiles.ts";
import { RateLimitRepository } from "./rate-limits.ts";
import { SearchRepository } from "./search.ts";
import { SecretRepository } from "./secrets.ts";
import { SessionRepository } from "./sessions.ts";
import { readStats, refreshPlannerStatistics, type StoreStats } from "./stats.ts";
import { SubmissionRepository } from "./submissions.ts";
import { SubscriberRepository } from "./subscribers.ts";
import { UserRepository } from "./users.ts";
import { VectorRepository } from "./vectors.ts";
import { VoteRepository } from "./votes.ts";

export type { ApiToken } from "./api-tokens.ts";
export type { AuthorClaim, ClaimedAuthor, DecisionOutcome, NewClaimOutcome } from "./claims.ts";
export type { Collection, CollectionChanges, CollectionItem, CollectionWithPapers } from "./collections.ts";
export type { Comment, CommentAuthor, NewCommentOutcome } from "./comments.ts";
export type { FeedItem, FeedPage, FeedQuery, FeedSlice, FeedSort } from "./feed.ts";
export type { FeedPlacement } from "./feed-placements.ts";
export type { Follow, FollowReason, PersonalFeedItem, PersonalFeedPage } from "./follows.ts";
export type { JobOutcome, JobStatus } from "./jobs.ts";
export type { DayCount, FeedCalendar, PageRequest, PaperList } from "./listings.ts";
export type {
  DiscussionLock,
  HiddenComment,
  HiddenFeedEntry,
  ModerationEntry,
  ModerationOutcome,
  ReportedComment,
} from "./moderation.ts";
export type { AttachOutcome, ManagedOrganization } from "./organization-members.ts";
export type { Organization, OrganizationPaper, OrganizationPapersPage } from "./organizations.ts";
export type { OutboxDepths, OutboxFailure, OutboxMail, OutboxStatus, QueuedMail } from "./outbox.ts";
export type { PaperCursorPage, PaperPosition } from "./paper-cursor.ts";
export type { Checkpoint, UpsertOutcome } from "./papers.ts";
export type { DatedPaper, ProfileComment, ProfileFields } from "./profiles.ts";
export type { RateLimitHit } from "./rate-limits.ts";
export type { ClaimStatus, EmailTokenPurpose, FollowKind, HiddenCause, Role, TokenScope } from "./schema.ts";
export type { Session } from "./sessions.ts";
export type { StoreStats } from "./stats.ts";
export type { SubmissionOutcome } from "./submissions.ts";
export type { DigestPeriodKind, Subscriber, SubscriberCount, SubscriberStatus } from "./subscribers.ts";
export type { NewUser, User } from "./users.ts";
export type { VoteState } from "./votes.ts";

/** The one door to the database: every query Paperboy runs is a method behind it. */
export class Store {
  readonly papers: PaperRepository;
  readonly feed: FeedRepository;
  readonly ingestState: IngestStateRepository;
  readonly search: SearchRepository;
  readonly vectors: VectorRepository;
  readonly listings: ListingRepository;
  readonly feedPlacements: FeedPlacementRepository;
  readonly paperCursor: PaperCursorRepository;
  readonly dataVersion: DataVersionRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly emailTokens: EmailTokenRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly votes: VoteRepository;
  readonly comments: CommentRepository;
  readonly submissions: SubmissionRepository;
  readonly jobs: JobRepository;
  readonly subscribers: SubscriberRepository;
  readonly outbox: OutboxRepository;
  readonly feedTokens: FeedTokenRepository;
  readonly secrets: SecretRepository;
  readonly moderation: ModerationRepository;
  readonly claims: ClaimRepository;
  readonly collections: CollectionRepository;
  readonly follows: FollowRepository;
  readonly organizations: OrganizationRepository;
  readonly organizationMembers: OrganizationMemberRepository;
  readonly profiles: ProfileRepository;
  readonly rateLimits: RateLimitRepository;

  private constructor(
    readonly connection: Connection,
    searchCacheBytes?: number,
  ) {
    const indexer = new KeywordIndexer(connection.sqlite);
    this.papers = new PaperRepository(connection.db, connection.kind, indexer, connection.sqlite);
    this.feed = new FeedRepository(connection.db, () => this.dataVersion.current());
    this.ingestState = new IngestStateRepository(connection.db);
    this.search = new SearchRepository(connection.db, connection.kind, indexer, searchCacheBytes);
    this.vectors = new VectorRepository(connection.db, connection.kind, connection.sqlite);
    this.listings = new ListingRepository(connection.db);
    this.feedPlacements = new FeedPlacementRepository(connection.db);
    this.paperCursor = new PaperCursorRepository(connection.db);
    this.dataVersion = new DataVersionRepository(connection.db);
    this.users = new UserRepository(connection.db, connection.kind);
    this.sessions = new SessionRepository(connection.db);
    this.emailTokens = new EmailTokenRepository(connection.db);
    this.apiTokens = new ApiTokenRepository(connection.db);
    this.votes = new VoteRepository(connection.db, connection.kind);
    this.comments = new CommentRepository(connection.db, connection.kind);
    this.submissions = new SubmissionRepository(connection.db, connection.kind);
    this.jobs = new JobRepository(connection.db);
    this.subscribers = new SubscriberRepository(connection.db);
    this.outbox = new OutboxRepository(connection.db);
    this.feedTokens = new FeedTokenRepository(connection.db);
    this.secrets = new SecretRepository(connection.db);
    this.moderation = new ModerationRepository(connection.db, connection.kind);
    this.claims = new ClaimRepository(connection.db);
    this.collections = new CollectionRepository(connection.db, connection.kind);
    this.follows = new FollowRepository(connection.db, connection.kind);
    this.organizations = new OrganizationRepository(connection.db);
    this.organizationMembers = new OrganizationMemberRepository(connection.db);
    this.profiles = new ProfileRepository(connection.db);
    this.rateLimits = new RateLimitRepository(connection.db);
  }

  /**
   * Opens the database and brings its schema up to date. `searchCacheBytes`: see SearchRepository
   * (the default suits a tool that runs once).
   */
  static async open(
    target: DatabaseTarget,
    options: { migrate?: boolean; searchCacheBytes?: number } = {},
  ): Promise<Store> {
    const store = new Store(connect(target), options.searchCacheBytes);
    if (options.migrate !== false) {
      try {
        await store.migrate();
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  }

  get kind() {
    return this.connection.kind;
  }

  get description() {
    return this.connection.description;
  }

  migrate(): Promise<string[]> {
    return migrateToLatest(this.connection.db, this.connection.kind);
  }

  stats(): Promise<StoreStats> {
    return readStats(this.connection.db);
  }

  /** Refreshes the query planner's statistics; after a bulk load, before pages are served from it. */
  analyze(): Promise<void> {
    return refreshPlannerStatistics(this.connection.db, this.connection.kind);
  }

  /** Connections open, idle and waited for: PostgreSQL's pool, or SQLite's one connection. */
  poolUse(): { total: number; idle: number; waiting: number; max: number } {
    const pool = this.connection.pool;
    if (!pool) return { total: 1, idle: 1, waiting: 0, max: 1 };
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }

  /** Copies a consistent snapshot of the SQLite database to a file while it stays in use. */
  async backup(file: string): Promise<void> {
    if (!this.connection.sqlite) {
      throw new Error(
        'backup works on SQLite only: for PostgreSQL use pg_dump (e.g. pg_dump -Fc "$DATABASE_URL" > paperboy.dump)',
      );
    }
    await this.connection.sqlite.backup(file);
  }

  async close(): Promise<void> {
    await this.connection.db.destroy();
  }
}
