import type SqliteDatabase from "better-sqlite3";
import { type Kysely, sql, type Transaction } from "kysely";
import { mergePaper, type Paper } from "../papers/paper.ts";
import type { FeedRecord, PaperRecord } from "../papers/record.ts";
import type { DatabaseKind } from "./connection.ts";
import type { KeywordIndexer } from "./keyword-index/indexer.ts";
import type { SearchIndexTables } from "./keyword-index/schema.ts";
import { linkOrganizations } from "./organizations.ts";
import { papersByIds, paperToRow, rowToPaper } from "./paper-rows.ts";
import { writePaperBatch } from "./postgres/paper-writes.ts";
import { type Database, paperRowColumns } from "./schema.ts";
import { SqlitePaperWriter } from "./sqlite/paper-writes.ts";

export type UpsertOutcome = "inserted" | "updated" | "unchanged";

export interface Checkpoint {
  key: string;
  value: string;
}

// Both databases cap bound parameters per statement (SQLite 32766, PostgreSQL 65535).
const MAX_PARAMS = 30000;

function chunks<T>(items: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A paper to write, merged, with its row; `stored`: whether it was stored already. */
export interface ChangedPaper {
  paper: Paper;
  row: ReturnType<typeof paperToRow>;
  stored: boolean;
}
export interface FeedRemoval {
  paper_id: string;
  feed_date: string;
}
export interface FeedPut {
  paper_id: string;
  feed_date: string;
  source: string;
  submitted_by: string | null;
}

type FeedState = Map<string, { feed_date: string; source: string; submitted_by: string | null }[]>;

/** What the feed table must gain and lose so a paper's entries say what the record says. */
function planFeed(
  paperId: string,
  feed: FeedRecord,
  state: FeedState,
): { remove: string[]; put: { feed_date: string; source: string; submitted_by: string | null } | null } {
  const current = state.get(paperId) ?? [];
  const submittedBy = feed.submittedBy ? JSON.stringify(feed.submittedBy) : null;
  // An announcement date is only a default: any entry already there (ours or curated) stands.
  if (feed.source === "arxiv") {
    return current.length
      ? { remove: [], put: null }
      : { remove: [], put: { feed_date: feed.date, source: "arxiv", submitted_by: null } };
  }
  // A curated entry replaces announcement-date defaults, so the paper shows once in a week or month.
  const remove = current.filter((e) => e.source === "arxiv" && e.feed_date !== feed.date).map((e) => e.feed_date);
  const same = current.find((e) => e.feed_date === feed.date);
  // A paper a user submitted here keeps its submitter on that day.
  if (same?.source === "user") return { remove, put: null };
  const keptSubmitter = submittedBy ?? same?.submitted_by ?? null;
  if (same && same.source === feed.source && same.submitted_by === keptSubmitter) return { remove, put: null };
  return { remove, put: { feed_date: feed.date, source: feed.source, submitted_by: keptSubmitter } };
}

export class PaperRepository {
  private readonly sqliteWriter: SqlitePaperWriter | null;

  /** On SQLite, `sqlite` (the same connection as `db`) writes batches through cached prepared statements. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
    private readonly indexer: KeywordIndexer,
    sqlite: SqliteDatabase.Database | null = null,
  ) {
    this.sqliteWriter = sqlite ? new SqlitePaperWriter(sqlite) : null;
  }

  async get(id: string): Promise<Paper | null> {
    const row = await this.db.selectFrom("papers").select(paperRowColumns).where("id", "=", id).executeTakeFirst();
    return row ? rowToPaper(row) : null;
  }

  getMany(ids: string[]): Promise<Paper[]> {
    return papersByIds(this.db, ids);
  }

  /** Exact, and cheap at any size: triggers keep the number (store/data-version.ts). */
  async count(): Promise<number> {
    return countPapers(this.db);
  }

  /**
   * Merges a batch of records into the store in one transaction (with the caller's checkpoint,
   * so a crash never separates the two). Re-sending identical records changes nothing.
   */
  async upsertBatch(records: PaperRecord[], checkpoint?: Checkpoint): Promise<UpsertOutcome[]> {
    return this.db.transaction().execute(async (trx) => {
      const outcomes = await this.upsertInTransaction(trx, records);
      // The keyword index takes papers whose text changed a few thousand at a time (or when a
      // search or the end of an ingest asks for it): its cost per paper falls with larger batches.
      const index = trx.withTables<SearchIndexTables>();
      if (await this.indexer.due(index)) await this.indexer.catchUp(index);
      if (checkpoint) await saveCheckpoint(trx, checkpoint);
      return outcomes;
    });
  }

  private async upsertInTransaction(trx: Transaction<Database>, records: PaperRecord[]): Promise<UpsertOutcome[]> {
    // Locking the rows read below cannot cover papers not stored yet: two writers would both
    // take a paper as new and the later commit would overwrite the other's merge. PostgreSQL
    // writers of papers therefore take turns (SQLite's do anyway); votes never take this lock.
    if (this.kind === "postgres") await sql`SELECT pg_advisory_xact_lock(${PAPER_WRITERS_LOCK})`.execute(trx);
    const ids = [...new Set(records.map((r) => r.id))];
    const stored = new Map<string, { paper: Paper; hash: string }>();
    const feedState: FeedState = new Map();
    // Papers a moderator took off the feed: sources do not put them back.
    const hidden = new Set<string>();
    for (const part of chunks(ids, 1)) {
      const read = trx.selectFrom("papers").select(paperRowColumns).where("id", "in", part).orderBy("id");
      // Votes and comments change these rows' counts meanwhile; locked (in id order, as votes lock
      // one paper), the counts written back are the current ones. SQLite writers take turns anyway.
      const rows = await (this.kind === "postgres" ? read.forUpdate() : read).execute();
      for (const row of rows) stored.set(row.id, { paper: rowToPaper(row), hash: row.content_hash });
      const entries = await trx
        .selectFrom("feed_entries")
        .select(["paper_id", "feed_date", "source", "submitted_by"])
        .where("paper_id", "in", part)
        .execute();
      for (const e of entries) feedState.set(e.paper_id, [...(feedState.get(e.paper_id) ?? []), e]);
      const hiddenRows = await trx
        .selectFrom("hidden_feed_entries")
        .select("paper_id")
        .where("paper_id", "in", part)
        .execute();
      for (const row of hiddenRows) hidden.add(row.paper_id);
    }

    const outcomes: UpsertOutcome[] = [];
    const changed = new Map<string, ChangedPaper>();
    const feedRemovals: FeedRemoval[] = [];
    const feedPuts = new Map<string, FeedPut>();

    for (const record of records) {
      const before = stored.get(record.id);
      const paper = mergePaper(before?.paper ?? null, record);
      const row = paperToRow(paper);
      let outcome: UpsertOutcome = !before ? "inserted" : before.hash === row.content_hash ? "unchanged" : "updated";
      if (outcome !== "unchanged") changed.set(record.id, { paper, row, stored: before !== undefined });
      stored.set(record.id, { paper, hash: row.content_hash });

      if (record.feed && !hidden.has(record.id)) {
        const plan = planFeed(record.id, record.feed, feedState);
        if (plan.remove.length || plan.put) {
          const entries = (feedState.get(record.id) ?? []).filter((e) => !plan.remove.includes(e.feed_date));
          for (const date of plan.remove) feedRemovals.push({ paper_id: record.id, feed_date: date });
          if (plan.put) {
            feedPuts.set(`${plan.put.feed_date} ${record.id}`, { paper_id: record.id, ...plan.put });
            feedState.set(record.id, [...entries.filter((e) => e.feed_date !== plan.put?.feed_date), plan.put]);
          } else {
            feedState.set(record.id, entries);
          }
          if (outcome === "unchanged") outcome = "updated";
        }
      }
      outcomes.push(outcome);
    }

    if (this.sqliteWriter) {
      this.sqliteWriter.write([...changed.values()], feedRemovals, [...feedPuts.values()]);
    } else {
      await writePaperBatch(trx, [...changed.values()], feedRemovals, [...feedPuts.values()]);
    }
    await linkOrganizations(
      trx,
      [...changed.values()].map((c) => c.paper),
      new Date().toISOString(),
    );
    return outcomes;
  }
}

/** The advisory lock PostgreSQL writers of papers take turns on (any constant no other lock uses). */
const PAPER_WRITERS_LOCK = 7_411_000_001;

export async function saveCheckpoint(db: Kysely<Database>, checkpoint: Checkpoint): Promise<void> {
  await db
    .insertInto("ingest_state")
    .values({ key: checkpoint.key, value: checkpoint.value, updated_at: new Date().toISOString() })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet((eb) => ({ value: eb.ref("excluded.value"), updated_at: eb.ref("excluded.updated_at") })),
    )
    .execute();
}

export async function countPapers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("data_version").select("papers").where("id", "=", 1).executeTakeFirstOrThrow();
  return Number(row.papers);
}
