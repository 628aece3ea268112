import type SqliteDatabase from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";
import { filterConditions, whereAll } from "../search-conditions.ts";
import {
  type CellsProgress,
  cellOf,
  nearestCells,
  type TrainedCells,
  trainCells,
  type VectorCells,
} from "../vector-cells.ts";
import type { VectorDialect, VectorFilter, VectorHit } from "../vectors.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function sqliteSearchTables(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_models (name TEXT PRIMARY KEY, data BLOB NOT NULL, updated_at TEXT NOT NULL)`.execute(
    db,
  );
  await sql`CREATE TABLE search_vector_index (embedder TEXT PRIMARY KEY, dimension INTEGER NOT NULL)`.execute(db);
}

const asBlob = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
const asVector = (blob: Uint8Array) =>
  new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
const asVectorOrNull = (blob: Uint8Array | undefined) => (blob ? asVector(blob) : null);

/**
 * vec0 scans every vector it is asked to compare, so large collections are split into cells of
 * similar vectors and a search scans the nearest cells only. Below `from` vectors the exact scan
 * is fast enough and stays exact. Recall and speed: docs/search-quality.md.
 */
export interface CellLayout {
  from: number;
  /**
   * Small cells hug their vectors more closely: at 75,000 vectors, scanning 24 cells of 500
   * finds more of the true nearest than 12 of 1,000, the same number of vectors.
   */
  vectorsPerCell: number;
  /**
   * Cells a search scans at least (a sixth of the vectors at 75,000); with more cells a search
   * scans SEARCHED_SHARE of them.
   */
  searched: number;
}

/**
 * The share of cells a search scans once there are many (beyond about 800): at the scale of
 * all of arXiv, 168 of 5,600 cells, about as many vectors as an exact scan of the 75k corpus.
 * (Not measured at that scale: there is no such corpus here.)
 */
const SEARCHED_SHARE = 0.03;

export const defaultCellLayout: CellLayout = { from: 20000, vectorsPerCell: 500, searched: 24 };
/** Vectors k-means learns the cells from: a sample is enough to place the centroids, at least 40 a cell. */
const CELL_TRAINING_SAMPLE = 10000;
const CELL_TRAINING_SAMPLE_PER_CELL = 40;
const CELLS_MODEL = "sqlite-vector-cells";
const READ_PAGE = 5000;

/** Cells file layout: 4-byte little-endian dimension, 4-byte vector count at training, centroids. */
function encodeCells(cells: VectorCells, vectors: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(cells.dimension, 0);
  header.writeUInt32LE(vectors, 4);
  return Buffer.concat([header, asBlob(cells.centroids)]);
}

function decodeCells(bytes: Uint8Array): { cells: VectorCells; vectors: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimension = buffer.readUInt32LE(0);
  const centroids = asVector(buffer.subarray(8));
  return { cells: { dimension, centroids, count: centroids.length / dimension }, vectors: buffer.readUInt32LE(4) };
}

/**
 * Rows per vec0 chunk, each chunk one blob. Looking a vector up by key, as hybrid search does for
 * every paper found by words, reads its blob from the start to the vector's place, so small
 * chunks make lookups cheap; a search scans its cells' chunks whole whatever their size.
 */
const CHUNK_SIZE = 128;

async function createVectorTable(db: Kysely<Database>, dimension: number): Promise<void> {
  await sql`CREATE VIRTUAL TABLE paper_vectors USING vec0(
    cell integer partition key, embedding float[${sql.lit(dimension)}] distance_metric=cosine,
    chunk_size=${sql.lit(CHUNK_SIZE)})`.execute(db);
}

/** vec0 tables take no foreign keys: these keep it from holding vectors of deleted or rewritten papers. */
async function createTriggers(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TRIGGER paper_vectors_delete AFTER DELETE ON papers BEGIN
    DELETE FROM paper_vectors WHERE rowid = old.pk;
  END`.execute(db);
  await sql`CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers
    WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
  BEGIN
    DELETE FROM paper_vectors WHERE rowid = old.pk;
  END`.execute(db);
}

async function dropTriggers(db: Kysely<Database>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS paper_vectors_delete`.execute(db);
  await sql`DROP TRIGGER IF EXISTS paper_vectors_stale`.execute(db);
}

/** Every stored vector in key order, read a page at a time. */
async function* allVectors(
  db: Kysely<Database>,
  table = "paper_vectors",
): AsyncGenerator<{ pk: number; cell: number; vector: Float32Array }> {
  for (let after = 0; ; ) {
    const { rows } = await sql<{ pk: number; cell: number; embedding: Buffer }>`
      SELECT rowid AS pk, cell, embedding FROM ${sql.table(table)} WHERE rowid > ${BigInt(after)}
      ORDER BY rowid LIMIT ${READ_PAGE}`.execute(db);
    for (const row of rows) yield { pk: Number(row.pk), cell: Number(row.cell), vector: asVector(row.embedding) };
    const last = rows.at(-1);
    if (!last) return;
    after = Number(last.pk);
  }
}

/**
 * Vectors in a sqlite-vec vec0 table keyed by papers.pk, partitioned by cell (0 until there are
 * cells). Its length is fixed when it is created, and it depends on the embedder, so the table
 * is made by useEmbedder rather than a migration.
 */
export class SqliteVectors implements VectorDialect {
  readonly keyColumn = "rowid";
  /** The cells as last read, with the time they were saved, so another process's rebuild is noticed. */
  private cached: { savedAt: string; cells: VectorCells; vectors: number } | null = null;
  private layoutChecked = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly layout: CellLayout = defaultCellLayout,
    /** The driver's connection under `db`, when at hand: vectorsOf reads through it. */
    private readonly sqlite: SqliteDatabase.Database | null = null,
  ) {}

  async createTable(dimension: number): Promise<void> {
    await createVectorTable(this.db, dimension);
    await createTriggers(this.db);
  }

  async dropTable(): Promise<void> {
    await dropTriggers(this.db);
    await sql`DROP TABLE IF EXISTS paper_vectors`.execute(this.db);
    await sql`DELETE FROM search_models WHERE name = ${CELLS_MODEL}`.execute(this.db);
    this.cached = null;
    this.layoutChecked = false;
  }

  /**
   * Splits the vectors into cells once there are enough of them, and again whenever they have
   * doubled since; in between, new vectors join the nearest existing cell.
   */
  async ensureIndex(onProgress: (progress: CellsProgress) => void = () => {}): Promise<void> {
    const { rows: index } = await sql<{ dimension: number }>`SELECT dimension FROM search_vector_index`.execute(
      this.db,
    );
    await this.upgradeLayout(Number(index[0]?.dimension ?? 0), onProgress);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM paper_vectors`.execute(this.db);
    const count = Number(rows[0]?.n ?? 0);
    const current = await this.cells();
    if (count < this.layout.from || (current && count < 2 * current.vectors)) return;
    const cellCount = Math.round(count / this.layout.vectorsPerCell);
    const sampleSize = Math.max(CELL_TRAINING_SAMPLE, CELL_TRAINING_SAMPLE_PER_CELL * cellCount);
    const sample: Float32Array[] = [];
    const step = Math.max(1, Math.ceil(count / sampleSize));
    let seen = 0;
    for await (const { vector } of allVectors(this.db)) if (seen++ % step === 0) sample.push(vector);
    const dimension = sample[0]?.length ?? 0;
    const flat = new Float32Array(sample.length * dimension);
    for (const [i, v] of sample.entries()) flat.set(v, i * dimension);
    const trained = trainCells(flat, dimension, cellCount, onProgress);
    await this.rebuild(dimension, { ...trained, vectors: count }, onProgress);
  }

  /**
   * Rewrites paper_vectors in today's layout (vec0 cannot move a row to another partition nor
   * change its chunks): with new cells, every row in its cell, and saves the cells; with "kept",
   * every row in the cell it had; with null (a table made before cells), all in cell 0.
   */
  private async rebuild(
    dimension: number,
    cells: (TrainedCells & { vectors: number }) | "kept" | null,
    onProgress: (progress: CellsProgress) => void = () => {},
  ): Promise<void> {
    const trained = cells === "kept" ? null : cells;
    await this.db.transaction().execute(async (trx) => {
      // vec0 cannot rename its shadow tables, so the rows wait in a plain table while it is remade.
      await sql`CREATE TEMP TABLE paper_vectors_copy (
        rowid INTEGER PRIMARY KEY, cell INTEGER NOT NULL, embedding BLOB NOT NULL)`.execute(trx);
      await sql`INSERT INTO paper_vectors_copy
        SELECT rowid, ${cells === "kept" ? sql`cell` : sql.lit(0)}, embedding FROM paper_vectors`.execute(trx);
      await dropTriggers(trx);
      await sql`DROP TABLE paper_vectors`.execute(trx);
      await createVectorTable(trx, dimension);
      await createTriggers(trx);
      const total = trained?.vectors ?? 0;
      let placed = 0;
      for await (const { pk, cell: kept, vector } of allVectors(trx, "paper_vectors_copy")) {
        const cell = trained ? trained.place(vector) : kept;
        await sql`INSERT INTO paper_vectors(rowid, cell, embedding)
          VALUES (${BigInt(pk)}, ${BigInt(cell)}, ${asBlob(vector)})`.execute(trx);
        if (trained && ++placed % READ_PAGE === 0) onProgress({ step: "placing vectors", done: placed, total });
      }
      if (trained) onProgress({ step: "placing vectors", done: placed, total: placed });
      await sql`DROP TABLE paper_vectors_copy`.execute(trx);
      if (trained) {
        await sql`INSERT INTO search_models (name, data, updated_at)
          VALUES (${CELLS_MODEL}, ${encodeCells(trained.cells, trained.vectors)}, ${new Date().toISOString()})
          ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`.execute(trx);
      }
    });
    this.cached = null;
  }

  /** The saved cells, or null while the vectors are too few to need them. */
  private async cells(): Promise<{ cells: VectorCells; vectors: number } | null> {
    const { rows } = await sql<{ updated_at: string }>`
      SELECT updated_at FROM search_models WHERE name = ${CELLS_MODEL}`.execute(this.db);
    const savedAt = rows[0]?.updated_at;
    if (!savedAt) return null;
    if (this.cached?.savedAt !== savedAt) {
      const { rows: saved } = await sql<{ data: Uint8Array }>`
        SELECT data FROM search_models WHERE name = ${CELLS_MODEL}`.execute(this.db);
      const data = saved[0]?.data;
      if (!data) return null;
      this.cached = { savedAt, ...decodeCells(data) };
    }
    return this.cached;
  }

  async put(rows: { pk: number; vector: Float32Array }[]): Promise<void> {
    await this.upgradeLayout(rows[0]?.vector.length ?? 0);
    const cells = (await this.cells())?.cells;
    await this.db.transaction().execute(async (trx) => {
      for (const { pk, vector } of rows) {
        const cell = cells ? cellOf(cells, vector) : 0;
        // vec0 has no upsert; rowids must be BigInt or it reads them as floats.
        await sql`DELETE FROM paper_vectors WHERE rowid = ${BigInt(pk)}`.execute(trx);
        await sql`INSERT INTO paper_vectors(rowid, cell, embedding)
          VALUES (${BigInt(pk)}, ${BigInt(cell)}, ${asBlob(vector)})`.execute(trx);
      }
    });
  }

  /**
   * Rebuilds a vector table made by an earlier version: before cells, with no cell column to
   * write, or with vec0's default chunks, which make lookups by key slow.
   */
  private async upgradeLayout(dimension: number, onProgress?: (progress: CellsProgress) => void): Promise<void> {
    if (this.layoutChecked) return;
    const { rows } = await sql<{ sql: string }>`
      SELECT sql FROM sqlite_master WHERE name = 'paper_vectors'`.execute(this.db);
    const made = rows[0]?.sql ?? "";
    if (made && !/partition key/i.test(made)) await this.rebuild(dimension, null);
    else if (made && !made.includes(`chunk_size=${CHUNK_SIZE}`)) await this.rebuild(dimension, "kept", onProgress);
    this.layoutChecked = true;
  }

  async vectorOf(pk: number): Promise<Float32Array | null> {
    const { rows } = await sql<{ embedding: Buffer }>`
      SELECT embedding FROM paper_vectors WHERE rowid = ${BigInt(pk)}`.execute(this.db);
    const blob = rows[0]?.embedding;
    return blob ? asVector(blob) : null;
  }

  async vectorsOf(pks: number[]): Promise<Map<number, Float32Array>> {
    const out = new Map<number, Float32Array>();
    // vec0 looks rows up by rowid one at a time (it reads `rowid IN (…)` by scanning every row),
    // and hybrid search asks for a hundred: one prepared statement of the driver, run for each,
    // costs a fraction of a query built and awaited for each.
    const lookup = this.sqlite?.prepare<[bigint], { embedding: Buffer }>(
      "SELECT embedding FROM paper_vectors WHERE rowid = ?",
    );
    for (const pk of pks) {
      const vector = lookup ? asVectorOrNull(lookup.get(BigInt(pk))?.embedding) : await this.vectorOf(pk);
      if (vector) out.set(pk, vector);
    }
    return out;
  }

  async nearest(vector: Float32Array, limit: number, filter: VectorFilter): Promise<VectorHit[]> {
    const conditions = filterConditions(filter);
    const cells = (await this.cells())?.cells;
    // vec0 finds the k nearest before any join, so ask for more when filters will drop some:
    // ten times the limit in all, which with cells is shared among them (each gives its own k).
    const wanted = conditions.length ? Math.min(4096, limit * 10) : limit;
    const searched = Math.max(this.layout.searched, Math.ceil((cells?.count ?? 0) * SEARCHED_SHARE));
    const k = cells && conditions.length ? Math.max(limit, Math.ceil(wanted / searched)) : wanted;
    // The outer ORDER BY keeps the best of the cells' nearest.
    const inCells = cells ? sql`AND cell IN (${sql.join(nearestCells(cells, vector, searched).map(BigInt))})` : sql``;
    const knn = sql`SELECT rowid, distance FROM paper_vectors WHERE embedding MATCH ${asBlob(vector)} AND k = ${k} ${inCells}`;
    if (conditions.length) {
      const { rows } = await sql<VectorHit>`
        SELECT p.id, knn.distance FROM (${knn}) knn JOIN papers p ON p.pk = knn.rowid
        WHERE ${whereAll(conditions)} ORDER BY knn.distance LIMIT ${limit}`.execute(this.db);
      return rows;
    }
    // Each cell gives its own k: the best are picked before they are joined to their papers.
    // (Materialized, or SQLite would hand the LIMIT to vec0, which takes k or LIMIT, not both.)
    const { rows } = await sql<VectorHit>`
      WITH knn AS MATERIALIZED (${knn}),
        best AS MATERIALIZED (SELECT rowid, distance FROM knn ORDER BY distance LIMIT ${limit})
      SELECT p.id, best.distance FROM best JOIN papers p ON p.pk = best.rowid ORDER BY best.distance`.execute(this.db);
    return rows;
  }
}
