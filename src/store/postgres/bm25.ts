import { type Kysely, type RawBuilder, sql } from "kysely";
import { searchDocument } from "./migrations.ts";

/**
 * The body of search_statistics_apply(added, removed): the change in the corpus row (papers, and
 * `total`, the sum of `lengthOf(v)` over the papers' search vectors v), then in the lexicon. With
 * `listedBeyond`, a word whose count rises past it and has no list of its best papers yet is
 * marked to get one (top_floor 0, see top-papers.ts), which spares that trigger a lexicon lookup
 * of every word of the new papers.
 */
function statisticsApplied(
  total: RawBuilder<unknown>,
  lengthOf: RawBuilder<unknown>,
  listedBeyond?: number,
): RawBuilder<unknown> {
  const beyond = listedBeyond === undefined ? null : sql.lit(listedBeyond);
  const marked = beyond
    ? {
        column: sql`, top_floor`,
        value: sql`, CASE WHEN sum(change) > ${beyond} THEN 0 END`,
        update: sql`, top_floor = CASE WHEN l.top_floor IS NULL AND l.papers + excluded.papers > ${beyond}
                                       THEN 0 ELSE l.top_floor END`,
      }
    : { column: sql``, value: sql``, update: sql`` };
  const body = sql`
    BEGIN
      IF cardinality(added) + cardinality(removed) = 0 THEN RETURN; END IF;
      UPDATE search_corpus SET
        papers = papers + cardinality(added) - cardinality(removed),
        ${total} = ${total} + coalesce((SELECT sum(${lengthOf}) FROM unnest(added) v), 0)
                          - coalesce((SELECT sum(${lengthOf}) FROM unnest(removed) v), 0);
      INSERT INTO search_lexicon AS l (lexeme, papers${marked.column})
        SELECT lexeme, sum(change)${marked.value} FROM (
          SELECT unnest(tsvector_to_array(v)) AS lexeme, 1 AS change FROM unnest(added) v
          UNION ALL
          SELECT unnest(tsvector_to_array(v)), -1 FROM unnest(removed) v
        ) changes
        GROUP BY lexeme HAVING sum(change) <> 0 ORDER BY lexeme
      ON CONFLICT (lexeme) DO UPDATE SET papers = l.papers + excluded.papers${marked.update};
    END`;
  return sql`$$${body}$$`;
}

/**
 * Migration 005: what bm25 needs to know about the corpus (papers per lexeme, papers and their
 * total length), kept by statement triggers so that no search counts it. Writers lock the corpus
 * row first, so they never deadlock. The whole story: docs/postgres-search.md#corpus-statistics-bm25ts-migrations-005-and-007
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function postgresBm25Tables(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_lexicon (lexeme text PRIMARY KEY, papers integer NOT NULL)`.execute(db);
  await sql`CREATE TABLE search_corpus (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    papers integer NOT NULL,
    lexemes bigint NOT NULL
  )`.execute(db);

  await sql`CREATE FUNCTION search_statistics_apply(added tsvector[], removed tsvector[]) RETURNS void
    LANGUAGE plpgsql AS ${statisticsApplied(sql`lexemes`, sql`length(v)`)}`.execute(db);

  await trackSearchTextChanges(db, "search_statistics", sql`search_vector`);

  // Papers already there are counted once, with writers held off until this migration commits.
  await sql`LOCK TABLE papers IN SHARE MODE`.execute(db);
  await sql`INSERT INTO search_corpus (papers, lexemes)
    SELECT count(*), coalesce(sum(length(search_vector)), 0) FROM papers`.execute(db);
  await sql`INSERT INTO search_lexicon (lexeme, papers)
    SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM papers')`.execute(db);

  // How often a lexeme occurs in the leading fields `weights` gives weight 1, solved for from
  // ts_rank's sum of 1/j² (docs/postgres-search.md#term-frequency-from-ts_rank).
  await sql`CREATE FUNCTION search_occurrences(weights float4[], document tsvector, lexeme tsquery) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN round(1 / (1.64493406685 * (1 - ts_rank(weights, document, lexeme, 0))) - 0.5)`.execute(db);

  // Which papers have a word in the title, known from an index alone: when a query matches
  // thousands of papers, only those are ranked (see PostgresKeywordSearch).
  await sql`CREATE INDEX papers_title_search ON papers USING gin (to_tsvector('english', title))`.execute(db);
}

/**
 * Migration 007: bm25's document length in tokens, as FTS5 counts it, kept per paper
 * (search_length) and summed in search_corpus.tokens; search_vector moves into the row, where
 * bm25 reads it faster. See docs/postgres-search.md.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function postgresBm25TokenLengths(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION search_tokens(document tsvector) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(sum(cardinality(positions)), 0) FROM unnest(document))`.execute(db);
  // In the row (MAIN) rather than TOAST: each of bm25's reads is a copy, not a lookup and a fetch.
  await sql`ALTER TABLE papers ALTER COLUMN search_vector SET STORAGE MAIN`.execute(db);
  // Rewrites papers, moving every search_vector into its row, with writers held off meanwhile.
  await sql`ALTER TABLE papers ADD COLUMN search_length integer GENERATED ALWAYS AS (
    search_tokens(${searchDocument})) STORED`.execute(db);
  await sql`ALTER TABLE search_corpus RENAME COLUMN lexemes TO tokens`.execute(db);
  await sql`UPDATE search_corpus SET tokens = (SELECT coalesce(sum(search_length), 0) FROM papers)`.execute(db);
  await defineTokenStatistics(db);
}

/** search_statistics_apply counting lengths in tokens (since 007); see statisticsApplied for `listedBeyond`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function defineTokenStatistics(db: Kysely<any>, listedBeyond?: number): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION search_statistics_apply(added tsvector[], removed tsvector[]) RETURNS void
    LANGUAGE plpgsql AS ${statisticsApplied(sql`tokens`, sql`search_tokens(v)`, listedBeyond)}`.execute(db);
}

/**
 * Calls `<name>_apply(added, removed)` after every INSERT, UPDATE or DELETE statement on papers
 * with `column` of the papers whose search text came or went (for an UPDATE, only those whose
 * search_vector changed), so writes that change no text cost next to nothing.
 */
export async function trackSearchTextChanges(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
  db: Kysely<any>,
  name: string,
  column: RawBuilder<unknown>,
): Promise<void> {
  const apply = sql.id(`${name}_apply`);
  const track = sql.id(`${name}_track`);
  const changed = (side: RawBuilder<unknown>) => sql`
    ARRAY(SELECT ${side}.${column} FROM new_papers n JOIN old_papers o USING (pk)
          WHERE n.search_vector IS DISTINCT FROM o.search_vector)`;
  await sql`CREATE FUNCTION ${track}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM ${apply}(ARRAY(SELECT ${column} FROM new_papers), '{}');
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM ${apply}('{}', ARRAY(SELECT ${column} FROM old_papers));
      ELSE
        PERFORM ${apply}(${changed(sql`n`)}, ${changed(sql`o`)});
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  const trigger = (event: string) => sql.id(`${name}_${event}`);
  const run = sql`FOR EACH STATEMENT EXECUTE FUNCTION ${track}()`;
  await sql`CREATE TRIGGER ${trigger("insert")} AFTER INSERT ON papers REFERENCING NEW TABLE AS new_papers ${run}`.execute(
    db,
  );
  await sql`CREATE TRIGGER ${trigger("update")} AFTER UPDATE ON papers
    REFERENCING OLD TABLE AS old_papers NEW TABLE AS new_papers ${run}`.execute(db);
  await sql`CREATE TRIGGER ${trigger("delete")} AFTER DELETE ON papers REFERENCING OLD TABLE AS old_papers ${run}`.execute(
    db,
  );
}
