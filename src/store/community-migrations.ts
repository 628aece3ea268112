import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from "kysely";
import type { DatabaseKind } from "./connection.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/** An integer key the database numbers: never reused on SQLite (AUTOINCREMENT), an identity on PostgreSQL. */
function withSerialId<T extends string>(kind: DatabaseKind, table: CreateTableBuilder<T, never>) {
  return table.addColumn("id", "integer", (c: ColumnDefinitionBuilder) =>
    kind === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
  );
}

/**
 * 020: accounts. Usernames and e-mail addresses are unique case-insensitively through key columns
 * written by the application (the same lower-casing on both databases). A deleted account stays
 * as a row without e-mail or password, so its name is never reused by someone else.
 * Secrets (session and API tokens, mailed links) are stored only as SHA-256 hashes.
 */
export function communityAccounts(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await withSerialId(kind, db.schema.createTable("users"))
      .addColumn("username", "text", (c) => c.notNull())
      .addColumn("username_key", "text", (c) => c.notNull().unique())
      .addColumn("display_name", "text")
      .addColumn("email", "text")
      .addColumn("email_key", "text", (c) => c.unique())
      .addColumn("email_verified_at", "text")
      .addColumn("password_hash", "text")
      .addColumn("role", "text", (c) => c.notNull().defaultTo("user"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("deleted_at", "text")
      .execute();

    await db.schema
      .createTable("sessions")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("csrf_token", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
    await db.schema.createIndex("sessions_expires").on("sessions").column("expires_at").execute();

    await db.schema
      .createTable("email_tokens")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("email", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .execute();
    await db.schema.createIndex("email_tokens_user").on("email_tokens").columns(["user_id", "purpose"]).execute();

    await withSerialId(kind, db.schema.createTable("api_tokens"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_used_at", "text")
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();
  };
}

/**
 * 021: what users add to papers. A paper's shown counts stay in papers.upvotes and
 * papers.num_comments (indexed, sorted on); local_upvotes and local_comments say how much of each
 * is ours, so a re-ingest can replace the Hugging Face part and keep the rest. Users' papers on
 * the feed are feed_entries with source 'user' and their submitter_id.
 */
export function communityContent(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .alterTable("papers")
      .addColumn("local_upvotes", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable("papers")
      .addColumn("local_comments", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("votes")
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("votes_pkey", ["paper_id", "user_id"])
      .execute();
    await db.schema.createIndex("votes_user").on("votes").columns(["user_id", "created_at"]).execute();

    await withSerialId(kind, db.schema.createTable("comments"))
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("parent_id", "integer", (c) => c.references("comments.id"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("edited_at", "text")
      .addColumn("deleted_at", "text")
      .execute();
    await db.schema.createIndex("comments_paper").on("comments").columns(["paper_id", "id"]).execute();
    await db.schema.createIndex("comments_user").on("comments").columns(["user_id", "id"]).execute();
    await db.schema.createIndex("comments_parent").on("comments").column("parent_id").execute();

    await db.schema
      .createTable("comment_reports")
      .addColumn("comment_id", "integer", (c) => c.notNull().references("comments.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("comment_reports_pkey", ["comment_id", "user_id"])
      .execute();

    await db.schema
      .alterTable("feed_entries")
      .addColumn("submitter_id", "integer", (c) => c.references("users.id"))
      .execute();
    await db.schema
      .createIndex("feed_entries_submitter")
      .on("feed_entries")
      .columns(["submitter_id", "feed_date"])
      .execute();
  };
}
