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

/**
 * vec0 scans every vector it is asked to compare, so large collections are split into cells of
 * similar vectors and a search scans the nearest cells only. Below `from` vectors the exact scan
 * is fast enough and stays exact. Recall and speed: docs/search-quality.md.
 */
export interface CellLayout {
  from: number;
  /** About one vec0 chunk (1,024 rows): a search reads whole chunks, so smaller cells save nothing. */
  vectorsPerCell: number;
  /**
   * Cells a search scans at least (a tenth of the vectors at 75,000); with more cells a search
   * scans SEARCHED_SHARE of them.
   */
  searched: number;
}

/**
 * The share of cells a search scans once there are many (beyond about 270): at the scale of all
 * of arXiv, 75 of 2,500 cells, as many vectors as an exact scan of the 75k corpus. (Not measured
 * at that scale: there is no such corpus here.)
 */
const SEARCHED_SHARE = 0.03;

export const defaultCellLayout: CellLayout = { from: 20000, vectorsPerCell: 1000, searched: 8 };
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

async function createVectorTable(db: Kysely<Database>, dimension: number): Promise<void> {
  await sql`CREATE VIRTUAL TABLE paper_vectors USING vec0(
    cell integer partition key, embedding float[${sql.lit(dimension)}] distance_metric=cosine)`.execute(db);
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
): AsyncGenerator<{ pk: number; vector: Float32Array }> {
  for (let after = 0; ; ) {
    const { rows } = await sql<{ pk: number; embedding: Buffer }>`
      SELECT rowid AS pk, embedding FROM ${sql.table(table)} WHERE rowid > ${BigInt(after)}
      ORDER BY rowid LIMIT ${READ_PAGE}`.execute(db);
    for (const row of rows) yield { pk: Number(row.pk), vector: asVector(row.embedding) };
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
   * Rewrites paper_vectors with every row in its cell (vec0 cannot move a row to another
   * partition) and saves the cells; without cells, only brings a table made before cells to
   * today's layout.
   */
  private async rebuild(
    dimension: number,
    cells: (TrainedCells & { vectors: number }) | null,
    onProgress: (progress: CellsProgress) => void = () => {},
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // vec0 cannot rename its shadow tables, so the rows wait in a plain table while it is remade.
      await sql`CREATE TEMP TABLE paper_vectors_copy (rowid INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`.execute(trx);
      await sql`INSERT INTO paper_vectors_copy SELECT rowid, embedding FROM paper_vectors`.execute(trx);
      await dropTriggers(trx);
      await sql`DROP TABLE paper_vectors`.execute(trx);
      await createVectorTable(trx, dimension);
      await createTriggers(trx);
      const total = cells?.vectors ?? 0;
      let placed = 0;
      for await (const { pk, vector } of allVectors(trx, "paper_vectors_copy")) {
        const cell = cells ? cells.place(vector) : 0;
        await sql`INSERT INTO paper_vectors(rowid, cell, embedding)
          VALUES (${BigInt(pk)}, ${BigInt(cell)}, ${asBlob(vector)})`.execute(trx);
        if (++placed % READ_PAGE === 0) onProgress({ step: "placing vectors", done: placed, total });
      }
      if (cells) onProgress({ step: "placing vectors", done: placed, total: placed });
      await sql`DROP TABLE paper_vectors_copy`.execute(trx);
      if (cells) {
        await sql`INSERT INTO search_models (name, data, updated_at)
          VALUES (${CELLS_MODEL}, ${encodeCells(cells.cells, cells.vectors)}, ${new Date().toISOString()})
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

  /** Rebuilds a vector table made before cells existed, which has no cell column to write. */
  private async upgradeLayout(dimension: number): Promise<void> {
    if (this.layoutChecked) return;
    const { rows } = await sql<{ sql: string }>`
      SELECT sql FROM sqlite_master WHERE name = 'paper_vectors'`.execute(this.db);
    if (!/partition key/i.test(rows[0]?.sql ?? "")) await this.rebuild(dimension, null);
    this.layoutChecked = true;
  }

  async vectorOf(pk: number): Promise<Float32Array | null> {
    const { rows } = await sql<{ embedding: Buffer }>`
      SELECT embedding FROM paper_vectors WHERE rowid = ${BigInt(pk)}`.execute(this.db);
    const blob = rows[0]?.embedding;
    return blob ? asVector(blob) : null;
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
    const { rows } = await sql<VectorHit>`
      SELECT p.id, knn.distance FROM (
        SELECT rowid, distance FROM paper_vectors WHERE embedding MATCH ${asBlob(vector)} AND k = ${k} ${inCells}
      ) knn JOIN papers p ON p.pk = knn.rowid
      WHERE ${whereAll(conditions)} ORDER BY knn.distance LIMIT ${limit}`.execute(this.db);
    return rows;
  }
}
