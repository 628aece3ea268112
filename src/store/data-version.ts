import { type Kysely, sql } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import type { Database } from "./schema.ts";

/**
 * One row, kept by triggers in the writing transaction, so it is visible together with the data
 * it describes, on every process sharing the database:
 *
 * - `version` grows with every committed write that can change what an anonymous reader sees, so
 *   rendered pages can be kept until it moves (server/render-cache.ts). Writes to papers (upvotes
 *   and comment counts included) and to the feed move it; anything else shown on shared pages
 *   (vectors, which choose similar papers) calls `bump()` after writing.
 * - `papers` is the number of papers, which counting would take a scan of (a good part of a
 *   second at all of arXiv's size on PostgreSQL) on /healthz and every trending page.
 */
export class DataVersionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async current(): Promise<number> {
    return Number((await this.row()).version);
  }

  async papers(): Promise<number> {
    return Number((await this.row()).papers);
  }

  async bump(): Promise<void> {
    await this.db
      .updateTable("data_version")
      .set((eb) => ({ version: eb("version", "+", 1) }))
      .where("id", "=", 1)
      .execute();
  }

  private async row() {
    return this.db
      .selectFrom("data_version")
      .select(["version", "papers"])
      .where("id", "=", 1)
      .executeTakeFirstOrThrow();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function dataVersionTable(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("data_version")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("version", "bigint", (c) => c.notNull())
    .addColumn("papers", "bigint", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO data_version (id, version, papers) SELECT 1, 1, count(*) FROM papers`.execute(db);
  if (kind === "postgres") await postgresTriggers(db);
  else await sqliteTriggers(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
async function postgresTriggers(db: Kysely<any>): Promise<void> {
  // Once per statement: a batch of a thousand papers is one update of the row, not a thousand.
  // Transition tables count the rows an INSERT or DELETE really added or removed (an upsert's
  // updated rows reach the UPDATE trigger instead); PostgreSQL allows them on one event a trigger.
  const functions: [string, string][] = [
    ["data_version_bump", "UPDATE data_version SET version = version + 1 WHERE id = 1"],
    [
      "data_version_papers_added",
      "UPDATE data_version SET version = version + 1, papers = papers + (SELECT count(*) FROM changed) WHERE id = 1",
    ],
    [
      "data_version_papers_removed",
      "UPDATE data_version SET version = version + 1, papers = papers - (SELECT count(*) FROM changed) WHERE id = 1",
    ],
    ["data_version_papers_truncated", "UPDATE data_version SET version = version + 1, papers = 0 WHERE id = 1"],
  ];
  for (const [name, statement] of functions) {
    await sql`CREATE FUNCTION ${sql.id(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.lit(
      `BEGIN ${statement}; RETURN NULL; END`,
    )}`.execute(db);
  }
  const trigger = (name: string, event: string, table: string, fn: string, transition = "") =>
    sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(event)} ON ${sql.id(table)} ${sql.raw(transition)}
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(fn)}()`.execute(db);
  await trigger(
    "papers_data_version_insert",
    "INSERT",
    "papers",
    "data_version_papers_added",
    "REFERENCING NEW TABLE AS changed",
  );
  await trigger("papers_data_version_update", "UPDATE", "papers", "data_version_bump");
  await trigger(
    "papers_data_version_delete",
    "DELETE",
    "papers",
    "data_version_papers_removed",
    "REFERENCING OLD TABLE AS changed",
  );
  await trigger("papers_data_version_truncate", "TRUNCATE", "papers", "data_version_papers_truncated");
  await watchForDataVersion(db, "postgres", "feed_entries");
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  // SQLite has row triggers only; updating one cached row costs little next to the row written.
  const trigger = (name: string, event: string, table: string, set: string) =>
    sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(event)} ON ${sql.id(table)}
      BEGIN UPDATE data_version SET ${sql.raw(set)} WHERE id = 1; END`.execute(db);
  await trigger("papers_data_version_insert", "INSERT", "papers", "version = version + 1, papers = papers + 1");
  await trigger("papers_data_version_update", "UPDATE", "papers", "version = version + 1");
  await trigger("papers_data_version_delete", "DELETE", "papers", "version = version + 1, papers = papers - 1");
  await watchForDataVersion(db, "sqlite", "feed_entries");
}

/**
 * Has every write to `table` move the data version, in the writing transaction. For a migration
 * creating a table that shared pages read (votes, comments, the names shown beside them), after
 * 055_data_version; pages kept for anonymous readers are rendered again after such a write.
 * Keep its SQL as it is: migrations already run have used it.
 */
export async function watchForDataVersion(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
  db: Kysely<any>,
  kind: DatabaseKind,
  table: string,
): Promise<void> {
  if (kind === "postgres") {
    // Once per statement, with the function 055 created.
    await sql`CREATE TRIGGER ${sql.id(`${table}_data_version`)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
      ON ${sql.id(table)} FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()`.execute(db);
    return;
  }
  for (const event of ["INSERT", "UPDATE", "DELETE"]) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_data_version_${event.toLowerCase()}`)} AFTER ${sql.raw(event)}
      ON ${sql.id(table)} BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END`.execute(db);
  }
}
