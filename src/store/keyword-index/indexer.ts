import type BetterSqlite3 from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";
import { SegmentBuilder } from "./analysis.ts";
import { BLOCK_SIZE, type EncodedBlock, encodeBlocks, PostingBuffer, type PostingColumns } from "./postings.ts";
import { anyBetween } from "./reader.ts";
import type { SearchIndexTables } from "./schema.ts";

export type IndexDatabase = Kysely<Database & SearchIndexTables>;

type PostingRow = SearchIndexTables["search_postings"];
type DocumentRow = SearchIndexTables["search_documents"];

/** Papers read and indexed at a time: each chunk becomes a segment. */
const CHUNK = 10000;
/** Papers writers leave waiting before they index them (searches always index what waits). */
const DEFERRED_AT_MOST = 10000;
/** Segments of one size class merged together, so a term has few lists to read. */
const MERGE_FAN_IN = 8;
/** Terms rewritten at a time by a merge, which keeps only their postings in memory. */
const MERGE_TERMS = 5000;
/** Both databases cap bound parameters per statement (SQLite 32766, PostgreSQL 65535). */
const MAX_PARAMS = 30000;

const inChunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** A segment's size class: segments of similar size are merged together. */
const levelOf = (papers: number) => Math.floor(Math.log(Math.max(1, papers)) / Math.log(MERGE_FAN_IN));

/**
 * Writing many index rows: the one step of indexing that differs between the databases. Rows
 * go in by the tens of thousands, so SQLite runs one prepared statement per row (inside the
 * caller's transaction, on the same connection) and PostgreSQL takes each column as one array.
 */
interface RowWriter {
  postings(db: IndexDatabase, rows: PostingRow[]): Promise<void>;
  documents(db: IndexDatabase, rows: DocumentRow[]): Promise<void>;
}

function sqliteWriter(connection: BetterSqlite3.Database): RowWriter {
  // Prepared on first use: the tables exist only once the store has migrated.
  let statements: { posting: BetterSqlite3.Statement; document: BetterSqlite3.Statement } | null = null;
  const prepared = () => {
    statements ??= {
      posting: connection.prepare(
        "INSERT INTO search_postings (term, segment, first_pk, last_pk, count, max_weight, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      document: connection.prepare("INSERT INTO search_documents (pk, segment, length) VALUES (?, ?, ?)"),
    };
    return statements;
  };
  return {
    async postings(_db, rows) {
      const { posting } = prepared();
      for (const r of rows) posting.run(r.term, r.segment, r.first_pk, r.last_pk, r.count, r.max_weight, r.data);
    },
    async documents(_db, rows) {
      const { document } = prepared();
      for (const r of rows) document.run(r.pk, r.segment, r.length);
    },
  };
}

const postgresWriter: RowWriter = {
  async postings(db, rows) {
    for (const part of inChunks(rows, MAX_PARAMS)) {
      // The blocks travel as one binary value, cut apart by position: an array of bytea would be
      // sent, and parsed, as hexadecimal text.
      const data = Buffer.concat(part.map((r) => r.data));
      const starts: number[] = [];
      let start = 1;
      for (const r of part) {
        starts.push(start);
        start += r.data.byteLength;
      }
      await sql`INSERT INTO search_postings (term, segment, first_pk, last_pk, count, max_weight, data)
        SELECT term, segment, first_pk, last_pk, count, max_weight, substring(${data}::bytea FROM start FOR size)
        FROM unnest(${part.map((r) => r.term)}::text[], ${part.map((r) => r.segment)}::int[],
          ${part.map((r) => r.first_pk)}::int[], ${part.map((r) => r.last_pk)}::int[], ${part.map((r) => r.count)}::int[],
          ${part.map((r) => r.max_weight)}::float8[], ${starts}::int[], ${part.map((r) => r.data.byteLength)}::int[])
          AS block (term, segment, first_pk, last_pk, count, max_weight, start, size)`.execute(db);
    }
  },
  async documents(db, rows) {
    for (const part of inChunks(rows, MAX_PARAMS)) {
      await sql`INSERT INTO search_documents (pk, segment, length)
        SELECT * FROM unnest(${part.map((r) => r.pk)}::int[], ${part.map((r) => r.segment)}::int[],
          ${part.map((r) => r.length)}::int[])`.execute(db);
    }
  },
};

const asBytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

interface Totals {
  papers: number;
  words: number;
}

const averageOf = (totals: Totals) => (totals.papers > 0 ? Math.max(1, totals.words / totals.papers) : 1);

/**
 * Keeps the keyword index in step with the papers: every paper queued in search_pending (by the
 * triggers on papers) is indexed again or removed, in a new segment; segments of one size class
 * are merged once there are MERGE_FAN_IN of them. Runs inside the writer's transaction, so the
 * index always describes exactly the committed papers; concurrent writers take turns on the
 * search_totals row.
 */
export class KeywordIndexer {
  private readonly writer: RowWriter;
  private readonly lock: ReturnType<typeof sql>;

  /** `sqlite`: the connection's handle on SQLite, null on PostgreSQL. */
  constructor(sqlite: BetterSqlite3.Database | null) {
    this.writer = sqlite ? sqliteWriter(sqlite) : postgresWriter;
    this.lock = sqlite ? sql`` : sql`FOR UPDATE`;
  }

  /** Whether any paper waits to be indexed. */
  async behind(db: IndexDatabase): Promise<boolean> {
    return (await db.selectFrom("search_pending").select("pk").limit(1).executeTakeFirst()) !== undefined;
  }

  /** Whether enough papers wait that a writer should index them now. */
  async due(db: IndexDatabase): Promise<boolean> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 FROM search_pending LIMIT ${DEFERRED_AT_MOST}) waiting`.execute(db);
    return Number(rows[0]?.n ?? 0) >= DEFERRED_AT_MOST;
  }

  /** Indexes every waiting paper; `db` should be a transaction. Returns how many papers it took. */
  async catchUp(db: IndexDatabase): Promise<number> {
    const { rows } = await sql<Totals>`SELECT papers, words FROM search_totals ${this.lock}`.execute(db);
    const totals = { papers: Number(rows[0]?.papers ?? 0), words: Number(rows[0]?.words ?? 0) };
    let taken = 0;
    for (;;) {
      const pending = (await db.selectFrom("search_pending").select("pk").orderBy("pk").limit(CHUNK).execute()).map(
        (r) => r.pk,
      );
      if (pending.length === 0) break;
      await this.indexPapers(db, pending, totals);
      for (const part of inChunks(pending, MAX_PARAMS))
        await db.deleteFrom("search_pending").where("pk", "in", part).execute();
      taken += pending.length;
    }
    if (taken === 0) return 0;
    await db.updateTable("search_totals").set(totals).execute();
    await this.mergeSegments(db, totals);
    return taken;
  }

  /** Replaces the index entries of these papers by their current text (none for deleted papers). */
  private async indexPapers(db: IndexDatabase, pks: number[], totals: Totals): Promise<void> {
    const previous = await db.selectFrom("search_documents").selectAll().where("pk", "in", pks).execute();
    if (previous.length) {
      await db
        .insertInto("search_dead")
        .values(previous.map((d) => ({ segment: d.segment, pk: d.pk })))
        .onConflict((oc) => oc.doNothing())
        .execute();
      await db
        .deleteFrom("search_documents")
        .where(
          "pk",
          "in",
          previous.map((d) => d.pk),
        )
        .execute();
      for (const d of previous) {
        totals.papers--;
        totals.words -= d.length;
      }
    }
    const papers = await db
      .selectFrom("papers")
      .select(["pk", "title", "abstract", "author_names"])
      .where("pk", "in", pks)
      .orderBy("pk")
      .execute();
    if (papers.length === 0) return;

    const segment = await this.nextSegmentId(db);
    const builder = new SegmentBuilder();
    const documents = papers.map(
      (paper): DocumentRow => ({ pk: paper.pk, segment, length: builder.add(paper.pk, paper) }),
    );
    totals.papers += builder.papers;
    totals.words += builder.words;
    await db
      .insertInto("search_segments")
      .values({ id: segment, level: levelOf(papers.length), average_length: averageOf(totals) })
      .execute();
    await this.writePostings(db, segment, builder.lists(), averageOf(totals));
    await this.writer.documents(db, documents);
  }

  private async nextSegmentId(db: IndexDatabase): Promise<number> {
    const row = await db
      .selectFrom("search_segments")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    return Number(row?.id ?? 0) + 1;
  }

  /** Stores a segment's postings, each block's maximum weight computed at `averageLength`. */
  private async writePostings(
    db: IndexDatabase,
    segment: number,
    lists: Iterable<[term: string, postings: PostingColumns | EncodedBlock]>,
    averageLength: number,
  ): Promise<void> {
    const rows: PostingRow[] = [];
    // Each list is encoded before the next is asked for: a list may be a view the next one reuses.
    for (const [term, list] of lists) {
      for (const block of "data" in list ? [list] : encodeBlocks(list, averageLength)) {
        rows.push({
          term,
          segment,
          first_pk: block.firstPk,
          last_pk: block.lastPk,
          count: block.count,
          max_weight: block.maxWeight,
          data: asBytes(block.data),
        });
      }
    }
    await this.writer.postings(db, rows);
  }

  /** Merges segments of one size class while MERGE_FAN_IN or more of them exist. */
  private async mergeSegments(db: IndexDatabase, totals: Totals): Promise<void> {
    for (;;) {
      const crowded = await db
        .selectFrom("search_segments")
        .select("level")
        .groupBy("level")
        .having((eb) => eb.fn.countAll(), ">=", MERGE_FAN_IN)
        .orderBy("level")
        .executeTakeFirst();
      if (!crowded) return;
      const ids = (
        await db.selectFrom("search_segments").select("id").where("level", "=", crowded.level).orderBy("id").execute()
      ).map((r) => r.id);
      await this.merge(db, ids, totals);
    }
  }

  /**
   * Rewrites several segments as one, leaving out their dead postings. A full block holding no
   * dead paper, whose key range no other block of its term overlaps, is kept as it is; the
   * merged segment's average length is the least of theirs (and today's), so that maxima
   * computed with a larger one still bound every weight in it (see weightScale).
   */
  private async merge(db: IndexDatabase, ids: number[], totals: Totals): Promise<void> {
    const dead = new Map<number, Set<number>>(ids.map((id) => [id, new Set()]));
    for (const d of await db.selectFrom("search_dead").selectAll().where("segment", "in", ids).execute()) {
      dead.get(d.segment)?.add(d.pk);
    }
    const deadSorted = new Map([...dead].map(([segment, pks]) => [segment, Int32Array.from(pks).sort()]));
    const live = await db
      .selectFrom("search_documents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("segment", "in", ids)
      .executeTakeFirstOrThrow();
    const merged = await this.nextSegmentId(db);
    const averages = await db.selectFrom("search_segments").select("average_length").where("id", "in", ids).execute();
    const averageLength = Math.min(averageOf(totals), ...averages.map((a) => Number(a.average_length)));
    await db
      .insertInto("search_segments")
      .values({ id: merged, level: levelOf(Number(live.n)), average_length: averageLength })
      .execute();
    // Terms in the database's own order, so that each chunk of them is one range of it.
    const terms = (
      await db
        .selectFrom("search_postings")
        .select("term")
        .distinct()
        .where("segment", "in", ids)
        .orderBy("term")
        .execute()
    ).map((r) => r.term);
    const buffer = new PostingBuffer();
    const holdsDead = (block: PostingRow) => {
      const sorted = deadSorted.get(block.segment);
      return sorted !== undefined && anyBetween(sorted, block.first_pk, block.last_pk);
    };
    for (const part of inChunks(terms, MERGE_TERMS)) {
      const blocks = await db
        .selectFrom("search_postings")
        .selectAll()
        .where("segment", "in", ids)
        .where("term", ">=", part[0] as string)
        .where("term", "<=", part[part.length - 1] as string)
        .orderBy("term")
        .orderBy("first_pk")
        .execute();
      await this.writePostings(db, merged, gathered(blocks, dead, holdsDead, buffer), averageLength);
    }
    await db.deleteFrom("search_postings").where("segment", "in", ids).execute();
    await db.deleteFrom("search_dead").where("segment", "in", ids).execute();
    await db.updateTable("search_documents").set({ segment: merged }).where("segment", "in", ids).execute();
    await db.deleteFrom("search_segments").where("id", "in", ids).execute();
  }
}

/**
 * Each term's live postings from the blocks of several segments (ordered by term, then first
 * key): blocks kept as they are, and between them the other blocks' postings gathered in `buffer`.
 */
function* gathered(
  blocks: PostingRow[],
  dead: Map<number, Set<number>>,
  holdsDead: (block: PostingRow) => boolean,
  buffer: PostingBuffer,
): Generator<[term: string, postings: PostingColumns | EncodedBlock]> {
  for (let i = 0; i < blocks.length; ) {
    const term = (blocks[i] as PostingRow).term;
    let end = i;
    while (end < blocks.length && (blocks[end] as PostingRow).term === term) end++;
    buffer.clear();
    // The largest key of the blocks before: a block starting after it, and ending before the
    // next one starts, holds every posting of the term in its range.
    let reach = Number.NEGATIVE_INFINITY;
    for (let j = i; j < end; j++) {
      const block = blocks[j] as PostingRow;
      const next = j + 1 < end ? (blocks[j + 1] as PostingRow) : null;
      const kept =
        block.count === BLOCK_SIZE &&
        block.first_pk > reach &&
        (next === null || next.first_pk > block.last_pk) &&
        !holdsDead(block);
      reach = Math.max(reach, block.last_pk);
      if (kept) {
        if (buffer.length > 0) yield [term, buffer.sorted()];
        buffer.clear();
        yield [
          term,
          {
            firstPk: block.first_pk,
            lastPk: block.last_pk,
            count: block.count,
            maxWeight: block.max_weight,
            data: block.data,
          },
        ];
      } else {
        buffer.append({ firstPk: block.first_pk, count: block.count, data: block.data }, dead.get(block.segment));
      }
    }
    if (buffer.length > 0) yield [term, buffer.sorted()];
    i = end;
  }
}
