import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from "kysely";
import { sql } from "kysely";
import type { DatabaseKind } from "./connection.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is now
type AnyDb = Kysely<any>;

function withSerialId<T extends string>(kind: DatabaseKind, table: CreateTableBuilder<T, never>) {
  return table.addColumn("id", "integer", (c: ColumnDefinitionBuilder) =>
    kind === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
  );
}

/**
 * 035: moderation. What a moderator hides stays stored (in side tables, so the feed's and the
 * comments' hot queries keep their indexes): a hidden feed entry moves out of feed_entries with
 * everything needed to put it back. `cause` says whether a moderator hid the thing itself or a
 * ban did, so lifting the ban restores exactly what it hid. Every moderator action is one row of
 * moderation_log, written in the action's transaction.
 */
function moderation(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable("users").addColumn("banned_at", "text").execute();
    await db.schema.alterTable("users").addColumn("ban_reason", "text").execute();

    await db.schema
      .createTable("hidden_comments")
      .addColumn("comment_id", "integer", (c) => c.primaryKey().references("comments.id").onDelete("cascade"))
      .addColumn("moderator_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("cause", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("hidden_feed_entries")
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("feed_date", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("submitted_by", "text")
      .addColumn("submitter_id", "integer", (c) => c.references("users.id"))
      .addColumn("moderator_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("cause", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("hidden_feed_entries_pkey", ["paper_id", "feed_date"])
      .execute();
    await db.schema
      .createIndex("hidden_feed_entries_submitter")
      .on("hidden_feed_entries")
      .column("submitter_id")
      .execute();

    await db.schema
      .createTable("locked_discussions")
      .addColumn("paper_id", "text", (c) => c.primaryKey().references("papers.id").onDelete("cascade"))
      .addColumn("moderator_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema.alterTable("comment_reports").addColumn("resolved_at", "text").execute();
    await db.schema
      .alterTable("comment_reports")
      .addColumn("resolved_by", "integer", (c) => c.references("users.id"))
      .execute();
    await db.schema
      .createIndex("comment_reports_open")
      .on("comment_reports")
      .columns(["resolved_at", "created_at"])
      .execute();

    await withSerialId(kind, db.schema.createTable("moderation_log"))
      .addColumn("moderator_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("subject_kind", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("moderation_log_user").on("moderation_log").columns(["user_id", "id"]).execute();
  };
}

/**
 * 036: authorship claims. A user claims one author slot (position) of a paper; a moderator
 * approves or rejects it once. At most one approved claim per slot and one live (pending or
 * approved) claim per user and paper, both kept by partial unique indexes.
 */
function authorClaims(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await withSerialId(kind, db.schema.createTable("author_claims"))
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("author_position", "integer", (c) => c.notNull())
      .addColumn("author_name", "text", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("decided_at", "text")
      .addColumn("decided_by", "integer", (c) => c.references("users.id"))
      .execute();
    await sql`CREATE UNIQUE INDEX author_claims_slot ON author_claims (paper_id, author_position) WHERE status = 'approved'`.execute(
      db,
    );
    await sql`CREATE UNIQUE INDEX author_claims_live ON author_claims (paper_id, user_id) WHERE status <> 'rejected'`.execute(
      db,
    );
    await db.schema.createIndex("author_claims_status").on("author_claims").columns(["status", "id"]).execute();
    await db.schema.createIndex("author_claims_user").on("author_claims").columns(["user_id", "status"]).execute();
  };
}

/**
 * 037: organisation members, added by admins on top of the organisations the Hugging Face data
 * names (030-033). A member links their own submissions to the organisation (paper_organizations
 * rows with source 'member', and who did it). Claims are also looked up by author name (the
 * author page links the accounts).
 */
async function organizationMembers(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("organization_members")
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("added_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("organization_members_pkey", ["organization_id", "user_id"])
    .execute();
  await db.schema.createIndex("organization_members_user").on("organization_members").column("user_id").execute();
  await db.schema
    .alterTable("paper_organizations")
    .addColumn("attached_by", "integer", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("author_claims_name").on("author_claims").columns(["author_name", "status"]).execute();
}

export function moderationMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    "035_moderation": { up: moderation(kind) },
    "036_author_claims": { up: authorClaims(kind) },
    "037_organization_members": { up: organizationMembers },
  };
}
