import { type Kysely, sql } from "kysely";
import { countPapers } from "./papers.ts";
import type { Database } from "./schema.ts";

export interface StoreStats {
  papers: number;
  feedDays: number;
  feedEntries: number;
  authors: number;
  categories: number;
  firstFeedDay: string | null;
  lastFeedDay: string | null;
}

export async function readStats(db: Kysely<Database>): Promise<StoreStats> {
  const count = async (table: "feed_entries") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const distinct = async (query: Promise<{ n: number | string }>) => Number((await query).n);
  const days = await db
    .selectFrom("feed_entries")
    .select((eb) => [
      eb.fn.count<number>("feed_date").distinct().as("n"),
      eb.fn.min("feed_date").as("first"),
      eb.fn.max("feed_date").as("last"),
    ])
    .executeTakeFirstOrThrow();
  return {
    papers: await countPapers(db),
    feedDays: Number(days.n),
    feedEntries: await count("feed_entries"),
    authors: await distinct(
      db
        .selectFrom("paper_authors")
        .select((eb) => eb.fn.count<number>("name").distinct().as("n"))
        .executeTakeFirstOrThrow(),
    ),
    categories: await distinct(
      db
        .selectFrom("paper_categories")
        .select((eb) => eb.fn.count<number>("category").distinct().as("n"))
        .executeTakeFirstOrThrow(),
    ),
    firstFeedDay: days.first ?? null,
    lastFeedDay: days.last ?? null,
  };
}

/**
 * Refreshes the query planner's statistics. Worth it after a bulk load: until autovacuum got round
 * to it, PostgreSQL took a just-loaded feed_entries for a few dozen rows and read the whole-archive
 * feed by joining every entry instead of walking an index. SQLite samples each index (as its
 * `PRAGMA optimize` does) rather than reading every entry of every index of millions of papers.
 */
export async function refreshPlannerStatistics(db: Kysely<Database>, kind: "sqlite" | "postgres"): Promise<void> {
  if (kind === "sqlite") await sql`PRAGMA analysis_limit = 1000`.execute(db);
  await sql`ANALYZE`.execute(db);
}
