import type SqliteDatabase from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { PostgresVectors } from "./postgres/vectors.ts";
import type { Database } from "./schema.ts";
import type { TextQuery } from "./search.ts";
import { defaultCellLayout, SqliteVectors } from "./sqlite/vectors.ts";
import type { CellsProgress } from "./vector-cells.ts";

/** Tables behind semantic search; created by migration 004_search_vectors. */
export interface SearchModelsTable {
  name: string;
  data: Uint8Array;
  updated_at: string;
}

/** At most one row: which embedder made the vectors in paper_vectors, and their length. */
export interface SearchVectorIndexTable {
  embedder: string;
  dimension: number;
}

type SearchDatabase = Database & { search_models: SearchModelsTable; search_vector_index: SearchVectorIndexTable };

export interface PaperText {
  pk: number;
  id: string;
  title: string;
  abstract: string;
}

export interface VectorHit {
  id: string;
  /** Cosine distance: 0 is the same direction, 2 the opposite. */
  distance: number;
}

/** Filters that apply to vector search: the categories and dates of a TextQuery. */
export type VectorFilter = Pick<TextQuery, "categories" | "after" | "before">;

/** What differs between sqlite-vec and pgvector. */
export interface VectorDialect {
  createTable(dimension: number): Promise<void>;
  dropTable(): Promise<void>;
  /** Builds the approximate-nearest-neighbour index once the bulk of vectors is in (no-op where none is needed). */
  ensureIndex(onProgress?: (progress: CellsProgress) => void): Promise<void>;
  put(rows: { pk: number; vector: Float32Array }[]): Promise<void>;
  vectorOf(pk: number): Promise<Float32Array | null>;
  vectorsOf(pks: number[]): Promise<Map<number, Float32Array>>;
  nearest(vector: Float32Array, limit: number, filter: VectorFilter): Promise<VectorHit[]>;
  /** The vector table's column holding papers.pk: sqlite-vec calls it rowid. */
  readonly keyColumn: "pk" | "rowid";
}

/** Stored embeddings of papers and the models that made them. */
export class VectorRepository {
  private readonly db: Kysely<SearchDatabase>;
  private readonly dialect: VectorDialect;

  /** `sqlite`: the driver's own connection under `db`, for lookups too many and small for the query builder. */
  constructor(db: Kysely<Database>, kind: DatabaseKind, sqlite: SqliteDatabase.Database | null = null) {
    this.db = db.withTables<{ search_models: SearchModelsTable; search_vector_index: SearchVectorIndexTable }>();
    this.dialect = kind === "sqlite" ? new SqliteVectors(db, defaultCellLayout, sqlite) : new PostgresVectors(db);
  }

  /** The embedder whose vectors are stored, or null before the first `paperboy embed`. */
  async current(): Promise<SearchVectorIndexTable | null> {
    return (await this.db.selectFrom("search_vector_index").selectAll().executeTakeFirst()) ?? null;
  }

  /**
   * Makes the vector table hold vectors of this embedder. Vectors of another model (or length)
   * mean nothing next to the new ones, so switching embedders starts the table afresh.
   */
  async useEmbedder(embedder: string, dimension: number): Promise<{ reset: boolean }> {
    const current = await this.current();
    if (current?.embedder === embedder && current.dimension === dimension) return { reset: false };
    await this.dialect.dropTable();
    await this.dialect.createTable(dimension);
    await this.db.deleteFrom("search_vector_index").execute();
    await this.db.insertInto("search_vector_index").values({ embedder, dimension }).execute();
    return { reset: true };
  }

  ensureIndex(onProgress?: (progress: CellsProgress) => void): Promise<void> {
    return this.dialect.ensureIndex(onProgress);
  }

  put(rows: { pk: number; vector: Float32Array }[]): Promise<void> {
    return rows.length ? this.dialect.put(rows) : Promise.resolve();
  }

  /** Papers with no vector yet (new, or edited since they were embedded), in key order from afterPk. */
  async papersWithoutVectors(afterPk: number, limit: number): Promise<PaperText[]> {
    const { rows } = await sql<PaperText>`
      SELECT p.pk, p.id, p.title, p.abstract FROM papers p
      WHERE p.pk > ${afterPk} AND NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE ${this.vectorKey} = p.pk)
      ORDER BY p.pk LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  /** Every paper's text in key order from afterPk, for training a model on the whole corpus. */
  paperTexts(afterPk: number, limit: number): Promise<PaperText[]> {
    return this.db
      .selectFrom("papers")
      .select(["pk", "id", "title", "abstract"])
      .where("pk", ">", afterPk)
      .orderBy("pk")
      .limit(limit)
      .execute();
  }

  /** How many papers have a vector made by this embedder: none when the stored vectors are another's. */
  async countMadeBy(embedder: string): Promise<number> {
    if ((await this.current())?.embedder !== embedder) return 0;
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers p
      WHERE EXISTS (SELECT 1 FROM paper_vectors v WHERE ${this.vectorKey} = p.pk)`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async countWithoutVectors(): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM papers p
      WHERE NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE ${this.vectorKey} = p.pk)`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  private get vectorKey() {
    return sql.ref(`v.${this.dialect.keyColumn}`);
  }

  /** A paper's stored vector; null when it has none, including before the first `paperboy embed` made the table. */
  async vectorOf(id: string): Promise<Float32Array | null> {
    if (!(await this.current())) return null;
    const row = await this.db.selectFrom("papers").select("pk").where("id", "=", id).executeTakeFirst();
    return row ? this.dialect.vectorOf(row.pk) : null;
  }

  /** The stored vectors of these papers (those that have one). */
  async vectorsOf(ids: string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    if (ids.length === 0 || !(await this.current())) return out;
    const rows = await this.db.selectFrom("papers").select(["pk", "id"]).where("id", "in", ids).execute();
    const vectors = await this.dialect.vectorsOf(rows.map((r) => r.pk));
    for (const row of rows) {
      const vector = vectors.get(row.pk);
      if (vector) out.set(row.id, vector);
    }
    return out;
  }

  /** The papers whose vectors point most nearly the same way, nearest first. */
  nearest(vector: Float32Array, limit: number, filter: VectorFilter = { categories: [] }): Promise<VectorHit[]> {
    return this.dialect.nearest(vector, limit, filter);
  }

  async saveModel(name: string, data: Uint8Array): Promise<void> {
    await this.db
      .insertInto("search_models")
      .values({ name, data, updated_at: new Date().toISOString() })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet((eb) => ({ data: eb.ref("excluded.data"), updated_at: eb.ref("excluded.updated_at") })),
      )
      .execute();
  }

  async loadModel(name: string): Promise<{ data: Uint8Array; updatedAt: string } | null> {
    const row = await this.db.selectFrom("search_models").selectAll().where("name", "=", name).executeTakeFirst();
    return row ? { data: new Uint8Array(row.data), updatedAt: row.updated_at } : null;
  }
}
