import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";
import { filterConditions, whereAll } from "../search-conditions.ts";
import type { VectorDialect, VectorFilter, VectorHit } from "../vectors.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function postgresSearchTables(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
  await sql`CREATE TABLE search_models (name text PRIMARY KEY, data bytea NOT NULL, updated_at text NOT NULL)`.execute(
    db,
  );
  await sql`CREATE TABLE search_vector_index (embedder text PRIMARY KEY, dimension integer NOT NULL)`.execute(db);
}

const literal = (vector: Float32Array) => `[${Array.prototype.join.call(vector, ",")}]`;

/**
 * Vectors in a pgvector column keyed by papers.pk, searched through an HNSW index on cosine
 * distance. The column's length depends on the embedder, so useEmbedder makes the table.
 */
export class PostgresVectors implements VectorDialect {
  readonly keyColumn = "pk";

  constructor(private readonly db: Kysely<Database>) {}

  async createTable(dimension: number): Promise<void> {
    await sql`CREATE TABLE paper_vectors (
      pk integer PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
      embedding vector(${sql.lit(dimension)}) NOT NULL
    )`.execute(this.db);
    // A paper whose text changed needs a new vector: dropping the old one puts it back in the queue.
    await sql`CREATE OR REPLACE FUNCTION paper_vectors_stale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM paper_vectors WHERE pk = OLD.pk; RETURN NULL; END $$`.execute(this.db);
    await sql`CREATE TRIGGER paper_vectors_stale AFTER UPDATE OF title, abstract ON papers
      FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
      EXECUTE FUNCTION paper_vectors_stale()`.execute(this.db);
  }

  async dropTable(): Promise<void> {
    await sql`DROP TRIGGER IF EXISTS paper_vectors_stale ON papers`.execute(this.db);
    await sql`DROP TABLE IF EXISTS paper_vectors`.execute(this.db);
  }

  async ensureIndex(): Promise<void> {
    // Built after the bulk load: filling an existing HNSW graph row by row is several times slower.
    await sql`CREATE INDEX IF NOT EXISTS paper_vectors_hnsw ON paper_vectors USING hnsw (embedding vector_cosine_ops)`.execute(
      this.db,
    );
  }

  async put(rows: { pk: number; vector: Float32Array }[]): Promise<void> {
    const values = sql.join(rows.map(({ pk, vector }) => sql`(${pk}, ${literal(vector)}::vector)`));
    await sql`INSERT INTO paper_vectors (pk, embedding) VALUES ${values}
      ON CONFLICT (pk) DO UPDATE SET embedding = excluded.embedding`.execute(this.db);
  }

  async vectorOf(pk: number): Promise<Float32Array | null> {
    const { rows } = await sql<{ embedding: string }>`
      SELECT embedding::text AS embedding FROM paper_vectors WHERE pk = ${pk}`.execute(this.db);
    const text = rows[0]?.embedding;
    return text ? Float32Array.from(JSON.parse(text) as number[]) : null;
  }

  async vectorsOf(pks: number[]): Promise<Map<number, Float32Array>> {
    if (pks.length === 0) return new Map();
    const { rows } = await sql<{ pk: number; embedding: string }>`
      SELECT pk, embedding::text AS embedding FROM paper_vectors WHERE pk = ANY(${pks}::int[])`.execute(this.db);
    return new Map(rows.map((r) => [r.pk, Float32Array.from(JSON.parse(r.embedding) as number[])]));
  }

  async nearest(vector: Float32Array, limit: number, filter: VectorFilter): Promise<VectorHit[]> {
    const conditions = filterConditions(filter);
    const target = literal(vector);
    return this.db.transaction().execute(async (trx) => {
      // HNSW returns at most ef_search rows, and filters are applied after; iterative scans keep
      // searching until enough rows pass them.
      await sql`SET LOCAL hnsw.ef_search = ${sql.lit(Math.min(1000, Math.max(40, limit)))}`.execute(trx);
      await sql`SET LOCAL hnsw.iterative_scan = relaxed_order`.execute(trx);
      const { rows } = await sql<VectorHit>`
        SELECT p.id, v.embedding <=> ${target}::vector AS distance
        FROM paper_vectors v JOIN papers p ON p.pk = v.pk
        WHERE ${whereAll(conditions)}
        ORDER BY v.embedding <=> ${target}::vector LIMIT ${limit}`.execute(trx);
      return rows.map((r) => ({ id: r.id, distance: Number(r.distance) }));
    });
  }
}
