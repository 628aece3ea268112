import { type Kysely, sql } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import type { Database } from "./schema.ts";

/**
 * A number that grows with every committed write that can change what an anonymous reader sees,
 * so that rendered pages can be kept until it moves (see server/render-cache.ts). Triggers bump it
 * in the writing transaction, so it becomes visible together with the data it stands for, on
 * every process sharing the database. Writes to papers (upvotes and comment counts included) and
 * to the feed are covered by those triggers; anything else shown on shared pages (vectors, which
 * choose similar papers) calls `bump()` after writing.
 */
export class DataVersionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async current(): Promise<number> {
    const row = await this.db.selectFrom("data_version").select("version").where("id", "=", 1).executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  async bump(): Promise<void> {
    await this.db
      .updateTable("data_version")
      .set((eb) => ({ version: eb("version", "+", 1) }))
      .where("id", "=", 1)
      .execute();
  }
}

/** Tables whose writes change shared pages; their triggers bump the data version. */
const versionedTables = ["papers", "feed_entries"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function dataVersionTable(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("data_version")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("version", "bigint", (c) => c.notNull())
    .execute();
  await db.insertInto("data_version").values({ id: 1, version: 1 }).execute();
  if (kind === "postgres") {
    // Once per statement: a batch of a thousand papers is one bump, not a thousand.
    await sql`CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE data_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`.execute(db);
    for (const table of versionedTables) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_data_version`)}
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.id(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()`.execute(db);
    }
    return;
  }
  // SQLite has row triggers only; updating one cached row costs little next to the row written.
  for (const table of versionedTables) {
    for (const event of ["INSERT", "UPDATE", "DELETE"]) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_data_version_${event.toLowerCase()}`)}
        AFTER ${sql.raw(event)} ON ${sql.id(table)}
        BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END`.execute(db);
    }
  }
}
