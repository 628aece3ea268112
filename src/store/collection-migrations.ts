import { type Kysely, sql } from "kysely";
import { withSerialId } from "./community-migrations.ts";
import type { DatabaseKind } from "./connection.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is now
type AnyDb = Kysely<any>;

/**
 * 030: collections, like Hugging Face's: a titled, ordered list of papers with a note each, owned
 * by one user, public or private. The slug is the collection's address and never changes, so a
 * renamed collection keeps its links.
 */
export function collectionTables(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await withSerialId(kind, db.schema.createTable("collections"))
      .addColumn("slug", "text", (c) => c.notNull().unique())
      .addColumn("owner_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("private", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("collections_owner").on("collections").columns(["owner_id", "updated_at"]).execute();

    await db.schema
      .createTable("collection_papers")
      .addColumn("collection_id", "integer", (c) => c.notNull().references("collections.id").onDelete("cascade"))
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("added_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("collection_papers_pkey", ["collection_id", "paper_id"])
      .execute();
    await db.schema
      .createIndex("collection_papers_order")
      .on("collection_papers")
      .columns(["collection_id", "position"])
      .execute();
    await db.schema.createIndex("collection_papers_paper").on("collection_papers").column("paper_id").execute();
  };
}

/** 031: what users follow: authors (by name as papers give it), categories and organisations (by name). */
export async function followTable(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("follows")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("follows_pkey", ["user_id", "kind", "value"])
    .execute();
  // Follower counts of an author, category or organisation.
  await db.schema.createIndex("follows_target").on("follows").columns(["kind", "value"]).execute();
}

/**
 * 032: organisations. Hugging Face's feed names one for many papers (kept verbatim in hf_meta);
 * here each gets a row, found by its lower-cased name, and papers point to it. `source` says who
 * attached it: `hf` rows follow re-ingests, others (a member's) stay. Existing papers are filled in.
 */
export function organizationTables(kind: DatabaseKind) {
  return async (db: AnyDb): Promise<void> => {
    await withSerialId(kind, db.schema.createTable("organizations"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("name_key", "text", (c) => c.notNull().unique())
      .addColumn("fullname", "text")
      .addColumn("avatar_url", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("paper_organizations")
      .addColumn("paper_id", "text", (c) => c.notNull().references("papers.id").onDelete("cascade"))
      .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("source", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("paper_organizations_pkey", ["paper_id", "organization_id"])
      .execute();
    await db.schema
      .createIndex("paper_organizations_organization")
      .on("paper_organizations")
      .columns(["organization_id", "paper_id"])
      .execute();

    // The same account-name rule as the ingest (copied: migrations never import live code).
    const field = (name: string) =>
      kind === "sqlite"
        ? sql.raw(`json_extract(hf_meta, '$.organization.${name}')`)
        : sql.raw(`((hf_meta::jsonb) -> 'organization' ->> '${name}')`);
    const named = sql`hf_meta IS NOT NULL AND ${field("name")} IS NOT NULL AND ${field("name")} <> ''`;
    const now = new Date().toISOString();
    const found = await sql<{ name: string; fullname: string | null; avatar: string | null }>`
      SELECT MIN(${field("name")}) AS name, MAX(${field("fullname")}) AS fullname, MAX(${field("avatar")}) AS avatar
      FROM papers WHERE ${named} GROUP BY lower(${field("name")})`.execute(db);
    const seen = new Set<string>();
    for (const row of found.rows) {
      const name = String(row.name).trim();
      const key = name.toLowerCase();
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/.test(name) || seen.has(key)) continue;
      seen.add(key);
      await db
        .insertInto("organizations")
        .values({ name, name_key: key, fullname: row.fullname, avatar_url: row.avatar, created_at: now })
        .execute();
    }
    await sql`
      INSERT INTO paper_organizations (paper_id, organization_id, source)
      SELECT p.id, o.id, 'hf' FROM papers p JOIN organizations o ON o.name_key = lower(${field("name")})
      WHERE ${named}`.execute(db);
  };
}

/** 033: what a profile shows besides the account: a short bio, a few links, and whether upvotes are public. */
export async function profileColumns(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("bio", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("links", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("upvotes_public", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
