import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";
import { filterConditions, whereAll } from "../search-conditions.ts";
import type { PaperText, VectorDialect, VectorFilter, VectorHit } from "../vectors.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function sqliteSearchTables(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_models (name TEXT PRIMARY KEY, data BLOB NOT NULL, updated_at TEXT NOT NULL)`.execute(
    db,
  );
  await sql`CREATE TABLE search_vector_index (embedder TEXT PRIMARY KEY, dimension INTEGER NOT NULL)`.execute(db);
}

const asBlob = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/**
 * Vectors in a sqlite-vec vec0 table keyed by papers.pk. Its length is fixed when it is created,
 * and it depends on the embedder, so the table is made by useEmbedder rather than a migration.
 */
export class SqliteVectors implements VectorDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async createTable(dimension: number): Promise<void> {
    await sql`CREATE VIRTUAL TABLE paper_vectors USING vec0(embedding float[${sql.lit(dimension)}] distance_metric=cosine)`.execute(
      this.db,
    );
    // vec0 tables take no foreign keys: these keep it from holding vectors of deleted or rewritten papers.
    await sql`CREATE TRIGGER paper_vectors_delete AFTER DELETE ON papers BEGIN
      DELETE FROM paper_vectors WHERE rowid = old.pk;
    END`.execute(this.db);
    await sql`CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers BEGIN
      DELETE FROM paper_vectors WHERE rowid = old.pk;
    END`.execute(this.db);
  }

  async dropTable(): Promise<void> {
    await sql`DROP TRIGGER IF EXISTS paper_vectors_delete`.execute(this.db);
    await sql`DROP TRIGGER IF EXISTS paper_vectors_stale`.execute(this.db);
    await sql`DROP TABLE IF EXISTS paper_vectors`.execute(this.db);
  }

  async ensureIndex(): Promise<void> {
    // vec0 searches exactly (brute force over compact float32 rows), so there is no index to build.
  }

  async put(rows: { pk: number; vector: Float32Array }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const { pk, vector } of rows) {
        // vec0 has no upsert; rowids must be BigInt or it reads them as floats.
        await sql`DELETE FROM paper_vectors WHERE rowid = ${BigInt(pk)}`.execute(trx);
        await sql`INSERT INTO paper_vectors(rowid, embedding) VALUES (${BigInt(pk)}, ${asBlob(vector)})`.execute(trx);
      }
    });
  }

  async vectorOf(pk: number): Promise<Float32Array | null> {
    const { rows } = await sql<{ embedding: Buffer }>`
      SELECT embedding FROM paper_vectors WHERE rowid = ${BigInt(pk)}`.execute(this.db);
    const blob = rows[0]?.embedding;
    return blob ? new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) : null;
  }

  async nearest(vector: Float32Array, limit: number, filter: VectorFilter): Promise<VectorHit[]> {
    const conditions = filterConditions(filter);
    // vec0 finds the k nearest before any join, so ask for more when filters will drop some.
    const k = conditions.length ? Math.min(4096, limit * 10) : limit;
    const { rows } = await sql<VectorHit>`
      SELECT p.id, knn.distance FROM (
        SELECT rowid, distance FROM paper_vectors WHERE embedding MATCH ${asBlob(vector)} AND k = ${k}
      ) knn JOIN papers p ON p.pk = knn.rowid
      WHERE ${whereAll(conditions)} ORDER BY knn.distance LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  async papersWithoutVectors(afterPk: number, limit: number): Promise<PaperText[]> {
    const { rows } = await sql<PaperText>`
      SELECT p.pk, p.id, p.title, p.abstract FROM papers p
      WHERE p.pk > ${afterPk} AND NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.rowid = p.pk)
      ORDER BY p.pk LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  async countWithoutVectors(): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.rowid = p.pk)`.execute(
      this.db,
    );
    return Number(rows[0]?.n ?? 0);
  }
}
