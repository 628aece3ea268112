import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { collectionTables, followTable, organizationTables, profileColumns } from "./collection-migrations.ts";
import { communityAccounts, communityContent } from "./community-migrations.ts";
import type { DatabaseKind } from "./connection.ts";
import { dataVersionTable, watchForDataVersion } from "./data-version.ts";
import { inboxMigrations } from "./inbox-migrations.ts";
import { dropPostgresBm25Tables, keywordIndexTables } from "./keyword-index/schema.ts";
import { moderationMigrations } from "./moderation-migrations.ts";
import { postgresBm25Tables, postgresBm25TokenLengths } from "./postgres/bm25.ts";
import { postgresPaperTable } from "./postgres/migrations.ts";
import { postgresTopPapers } from "./postgres/top-papers.ts";
import { postgresSearchTables } from "./postgres/vectors.ts";
import { sqlitePaperTable, sqliteTextChangeTriggers } from "./sqlite/migrations.ts";
import { sqliteSearchTables } from "./sqlite/vectors.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/** Tables whose SQL is the same on both databases. */
async function createSharedTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("paper_authors")
    .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("paper_authors_pkey", ["paper_id", "position"])
    .execute();
  await db.schema.createIndex("paper_authors_name").on("paper_authors").columns(["name", "paper_id"]).execute();

  await db.schema
    .createTable("paper_categories")
    .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("paper_categories_pkey", ["paper_id", "category"])
    .execute();
  await db.schema
    .createIndex("paper_categories_category")
    .on("paper_categories")
    .columns(["category", "paper_id"])
    .execute();

  await db.schema
    .createTable("feed_entries")
    .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
    .addColumn("feed_date", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text")
    .addPrimaryKeyConstraint("feed_entries_pkey", ["feed_date", "paper_id"])
    .execute();
  await db.schema.createIndex("feed_entries_paper").on("feed_entries").column("paper_id").execute();

  await db.schema
    .createTable("ingest_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.createIndex("papers_published").on("papers").columns(["published_at", "id"]).execute();
  await db.schema.createIndex("papers_trending").on("papers").column("trending_score").execute();
  await db.schema.createIndex("papers_upvotes").on("papers").column("upvotes").execute();
}

/**
 * Indexes in the exact orders the feed and trending list sort by (ties broken by id), so a page
 * is read by walking an index instead of sorting every paper (docs/performance.md).
 */
async function feedOrderIndexes(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("papers_trending").execute();
  await db.schema.createIndex("papers_trending").on("papers").columns(["trending_score", "id"]).execute();
  await db.schema.dropIndex("papers_upvotes").execute();
  await db.schema.createIndex("papers_upvotes").on("papers").columns(["upvotes", "published_at", "id"]).execute();
  // Such a walk asks of each paper whether it is on the feed in range: answered from the index alone.
  await db.schema.dropIndex("feed_entries_paper").execute();
  await db.schema.createIndex("feed_entries_paper").on("feed_entries").columns(["paper_id", "feed_date"]).execute();
}

/**
 * Author and category pages read newest first from an index of (name or category, published_at):
 * walking every paper newest first and keeping members stopped being cheap at all of arXiv's
 * size, where a small category's first page is tens of thousands of papers down the walk.
 */
async function listingOrder(db: AnyDb): Promise<void> {
  const lists = [
    { table: "paper_authors", index: "paper_authors_name", key: "name" },
    { table: "paper_categories", index: "paper_categories_category", key: "category" },
  ];
  for (const { table, index, key } of lists) {
    await db.schema
      .alterTable(table)
      .addColumn("published_at", "text", (c) => c.notNull().defaultTo(""))
      .execute();
    await sql`UPDATE ${sql.id(table)} SET published_at = p.published_at FROM papers p WHERE p.id = ${sql.id(table)}.paper_id`.execute(
      db,
    );
    await db.schema.dropIndex(index).execute();
    await db.schema.createIndex(index).on(table).columns([key, "published_at", "paper_id"]).execute();
  }
}

/**
 * Request counts per client and window. On PostgreSQL the table is UNLOGGED: a count need not
 * survive a crash, and a hit that writes no WAL costs less.
 */
async function rateLimitsTable(db: AnyDb, kind: DatabaseKind): Promise<void> {
  await sql`CREATE ${kind === "postgres" ? sql`UNLOGGED` : sql``} TABLE rate_limits (
    bucket text NOT NULL,
    window_start bigint NOT NULL,
    hits integer NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (bucket, window_start)
  )`.execute(db);
  await db.schema.createIndex("rate_limits_expiry").on("rate_limits").column("expires_at").execute();
}

function migrationsFor(kind: DatabaseKind): Record<string, Migration> {
  const paperTable = kind === "sqlite" ? sqlitePaperTable : postgresPaperTable;
  return {
    "001_papers_and_feed": {
      async up(db) {
        await paperTable(db);
        await createSharedTables(db);
      },
    },
    "004_search_vectors": {
      up: kind === "sqlite" ? sqliteSearchTables : postgresSearchTables,
    },
    // FTS5 keeps bm25's statistics itself; PostgreSQL needs them kept in tables (and a title index).
    "005_pg_search_bm25": {
      up: kind === "sqlite" ? async () => {} : postgresBm25Tables,
    },
    "006_web_feed_order": { up: feedOrderIndexes },
    // bm25's document lengths in tokens on PostgreSQL, as FTS5 already counts them, and its
    // search_vector kept in the row.
    "007_pg_search_token_lengths": {
      up: kind === "sqlite" ? async () => {} : postgresBm25TokenLengths,
    },
    // PostgreSQL's champion lists, so that a search ranks a few hundred papers rather than every match.
    "008_pg_search_top_papers": {
      up: kind === "sqlite" ? async () => {} : postgresTopPapers,
    },
    // PostgreSQL's triggers already compare old and new text.
    "009_sqlite_text_change_triggers": {
      up: kind === "sqlite" ? sqliteTextChangeTriggers : async () => {},
    },
    "010_rate_limits": { up: (db) => rateLimitsTable(db, kind) },
    // The keyword index (per-term postings with block maxima) that ranks by exact bm25 on both databases.
    "015_search_keyword_index": { up: (db) => keywordIndexTables(db, kind) },
    // PostgreSQL's bm25 statistics and top-paper lists, replaced by the keyword index.
    "016_pg_search_drop_bm25_tables": {
      up: kind === "sqlite" ? async () => {} : dropPostgresBm25Tables,
    },
    "020_community_accounts": { up: communityAccounts(kind) },
    "021_community_votes_comments_submissions": { up: communityContent(kind) },
    "030_community_collections": { up: collectionTables(kind) },
    "031_community_follows": { up: followTable },
    "032_community_organizations": { up: organizationTables(kind) },
    "033_community_profiles": { up: profileColumns },
    ...inboxMigrations,
    ...moderationMigrations(kind),
    // Papers known only from the Hugging Face feed have no categories; category pages count them.
    "050_web_uncategorized_papers": {
      async up(db) {
        await sql`CREATE INDEX papers_uncategorized ON papers (id) WHERE categories = ''`.execute(db);
      },
    },
    // A counter every write to papers or the feed moves, so rendered pages can be kept until it does,
    // and the number of papers, which counting took a scan of.
    "055_data_version": { up: (db) => dataVersionTable(db, kind) },
    "056_listing_order": { up: listingOrder },
    // Votes, comments and the accounts named beside them show on shared pages too.
    "057_data_version_community": {
      async up(db) {
        for (const table of ["votes", "comments", "users"]) await watchForDataVersion(db, kind, table);
      },
    },
  };
}

class StaticMigrations implements MigrationProvider {
  constructor(private readonly kind: DatabaseKind) {}
  async getMigrations() {
    return migrationsFor(this.kind);
  }
}

/** Brings the schema up to date; safe to call on every start and from several processes. */
export async function migrateToLatest(db: AnyDb, kind: DatabaseKind): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one is ours, so
  // name the current one: several Paperboy schemas may share a PostgreSQL database.
  const schema =
    kind === "postgres"
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema
      : undefined;
  // Each branch of work numbers its migrations in its own range and they land in any order, so a
  // database that already has 020 must still take a 010 that arrives after it.
  const migrator = new Migrator({
    db,
    provider: new StaticMigrations(kind),
    migrationTableSchema: schema,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
