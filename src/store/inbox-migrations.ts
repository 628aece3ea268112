import type { Kysely, Migration } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/** Worker jobs and their leases (src/jobs/). */
async function jobsTable(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("last_started_at", "text")
    .addColumn("last_finished_at", "text")
    .addColumn("last_outcome", "text")
    .addColumn("last_message", "text")
    .execute();
}

/** Digest subscribers, the outbox every mail goes through, suppressed addresses, and generated secrets. */
async function subscriptionTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("site_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("subscribers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_key", "text", (c) => c.notNull().unique())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("confirmation_sent_at", "text")
    .addColumn("confirmed_at", "text")
    .addColumn("unsubscribed_at", "text")
    .execute();
  await db.schema.createIndex("subscribers_period").on("subscribers").columns(["status", "period", "id"]).execute();

  await db.schema
    .createTable("mail_suppressions")
    .addColumn("email_key", "text", (c) => c.primaryKey())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subscriber_id", "text")
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text")
    .addColumn("headers", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("claimed_by", "text")
    .addColumn("claim_expires_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_subscriber").on("outbox").columns(["subscriber_id", "status"]).execute();
}

/**
 * The secret in the address of each account's private feed of My feed. Kept as is, not hashed: the
 * account's own pages show the address (and announce it to feed readers), and it opens no more than
 * a list of papers.
 */
async function feedTokensTable(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("feed_tokens")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("token", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

/** The inbox's migrations (range 040–049): frozen history, never edited once merged. */
export const inboxMigrations: Record<string, Migration> = {
  "040_jobs": { up: jobsTable },
  "041_subscriptions": { up: subscriptionTables },
  "042_feed_tokens": { up: feedTokensTable },
};
