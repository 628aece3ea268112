import { type Kysely, sql } from "kysely";
import { defineTokenStatistics, trackSearchTextChanges } from "./bm25.ts";
import { termWeight, weightedOccurrences } from "./term-weight.ts";

// The values this migration was written with, copied in: a migration is history, so a later change
// to the live search settings needs a migration of its own rather than a different 008.
/**
 * How many papers each common word keeps in search_top_papers: its best by bm25 term weight.
 * Words in this many papers or fewer have no list: the GIN index gives all their papers cheaply.
 */
const TOP_PAPERS_PER_WORD = 300;
const fieldWeights = { title: 3, abstract: 1, authors: 1 };
const bm25 = { k1: 1.2, b: 0.75 };
const { title, authors, abstract } = fieldWeights;

/**
 * Migration 008: champion lists. For every common word, the papers where it weighs most by bm25's
 * term weight, kept by a trigger that runs after the statistics ones, so that a search over
 * thousands of matches scores a few hundred candidates exactly instead of every match. A list's
 * floor (search_lexicon.top_floor) is the weight a paper must beat to join it. The whole story:
 * docs/postgres-search.md#per-word-lists-of-top-papers-top-papersts-migration-008
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was
export async function postgresTopPapers(db: Kysely<any>): Promise<void> {
  const averageTokens = sql`SELECT greatest(tokens::float8 / greatest(papers, 1), 1) AS average_tokens FROM search_corpus`;
  const limit = sql.lit(TOP_PAPERS_PER_WORD);
  const overflow = sql.lit(2 * TOP_PAPERS_PER_WORD);
  await sql`ALTER TABLE search_lexicon ADD COLUMN top_floor real`.execute(db);
  await sql`ALTER TABLE search_lexicon ADD COLUMN top_papers integer NOT NULL DEFAULT 0`.execute(db);
  await sql`CREATE TABLE search_top_papers (
    lexeme text NOT NULL,
    pk integer NOT NULL,
    weight real NOT NULL,
    PRIMARY KEY (lexeme, pk) INCLUDE (weight)
  )`.execute(db);
  await sql`CREATE INDEX search_top_papers_paper ON search_top_papers (pk)`.execute(db);

  // A word's field-weighted occurrences from unnest(search_vector)'s positions and their weights
  // (A title, B authors, C abstract): every occurrence counts the abstract's weight, and those
  // in other fields what their weight adds. Only fields whose weight differs are looked for,
  // as array_positions costs about a microsecond a call.
  const extra = (
    [
      ["A", title - abstract],
      ["B", authors - abstract],
    ] as const
  ).filter(([, by]) => by !== 0);
  await sql`CREATE FUNCTION search_weighted_occurrences(positions smallint[], weights text[]) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ${sql.lit(abstract)} * cardinality(positions)
      ${sql.join(
        extra.map(([label, by]) => sql`+ ${sql.lit(by)} * cardinality(array_positions(weights, ${sql.lit(label)}))`),
        sql` `,
      )}`.execute(db);
  // Every word of every paper with its weight there: the rows lists are made of. A view rather
  // than a function of the occurrences, which PostgreSQL would not inline (it uses them twice).
  await sql`CREATE VIEW search_word_weights AS
    SELECT u.lexeme, p.pk, ${termWeight(sql`o.occurrences`, sql`p.search_length`, sql`c.average_tokens`, bm25)}::real AS weight
    FROM papers p
    CROSS JOIN (${averageTokens}) c
    CROSS JOIN LATERAL unnest(p.search_vector) u
    CROSS JOIN LATERAL (SELECT search_weighted_occurrences(u.positions, u.weights) AS occurrences) o`.execute(db);
  // The common words, found without reading the whole lexicon. (top_papers is left out: it
  // changes on most writes, and each change would then be a new index entry.)
  await sql`CREATE INDEX search_lexicon_listed ON search_lexicon (lexeme) INCLUDE (top_floor)
    WHERE top_floor IS NOT NULL`.execute(db);
  await defineTokenStatistics(db, TOP_PAPERS_PER_WORD);
  // A tsquery matching any of these lexemes, quoted so that none is parsed or stemmed again.
  await sql`CREATE FUNCTION search_any_word(words text[]) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_to_string(ARRAY(
      SELECT '''' || replace(replace(w, '\\', '\\\\'), '''', '''''') || '''' FROM unnest(words) w), ' | ')::tsquery`.execute(
    db,
  );

  await sql`CREATE FUNCTION search_top_papers_apply(added int[], removed int[]) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
      becoming_common text[];
      overflowing text[];
    BEGIN
      IF cardinality(removed) > 0 THEN
        WITH gone AS (DELETE FROM search_top_papers WHERE pk = ANY(removed) RETURNING lexeme)
        UPDATE search_lexicon l SET top_papers = l.top_papers - g.n
        FROM (SELECT lexeme, count(*) AS n FROM gone GROUP BY lexeme) g WHERE l.lexeme = g.lexeme;
      END IF;
      IF cardinality(added) = 0 THEN RETURN; END IF;

      -- Words now in more papers than a list holds (marked by search_statistics_apply): listed
      -- from all their papers.
      SELECT coalesce(array_agg(lexeme ORDER BY lexeme), '{}') INTO becoming_common
      FROM search_lexicon WHERE top_floor = 0 AND top_papers = 0;
      IF cardinality(becoming_common) > 0 THEN
        -- Only the one word is weighed in each of its papers (from ts_rank, see
        -- search_occurrences), rather than unnesting every word of each.
        WITH listing AS (
          INSERT INTO search_top_papers (lexeme, pk, weight)
            SELECT b.lexeme, p.pk, ${termWeight(
              weightedOccurrences(sql`p.search_vector`, sql`b.word`, fieldWeights),
              sql`p.search_length`,
              sql`c.average_tokens`,
              bm25,
            )}
            FROM (SELECT lexeme, search_any_word(ARRAY[lexeme]) AS word FROM unnest(becoming_common) lexeme) b
            CROSS JOIN (${averageTokens}) c
            JOIN papers p ON p.search_vector @@ b.word
          RETURNING lexeme)
        UPDATE search_lexicon l SET top_papers = c.n
        FROM (SELECT lexeme, count(*) AS n FROM listing GROUP BY lexeme) c WHERE l.lexeme = c.lexeme;
      END IF;

      -- New papers join the lists of the words they weigh more in than the floor.
      WITH joined AS (
        INSERT INTO search_top_papers (lexeme, pk, weight)
          SELECT w.lexeme, w.pk, w.weight
          -- OFFSET 0 keeps the common words a set of their own, which the planner hashes: joined
          -- to the whole lexicon, it looked up each of the papers' words one by one.
          FROM search_word_weights w
          JOIN (SELECT lexeme, top_floor FROM search_lexicon WHERE top_floor IS NOT NULL OFFSET 0) l USING (lexeme)
          WHERE w.pk = ANY(added) AND w.weight > l.top_floor AND l.lexeme <> ALL(becoming_common)
          ORDER BY w.lexeme, w.pk
        RETURNING lexeme),
      counted AS (
        UPDATE search_lexicon l SET top_papers = l.top_papers + j.n
        FROM (SELECT lexeme, count(*) AS n FROM joined GROUP BY lexeme) j WHERE l.lexeme = j.lexeme
        RETURNING l.lexeme, l.top_papers)
      SELECT coalesce(array_agg(lexeme), '{}') INTO overflowing FROM counted WHERE top_papers > ${overflow};
      IF cardinality(overflowing) = 0 THEN RETURN; END IF;

      -- Lists grown past twice their length go back to their best TOP_PAPERS_PER_WORD, whose
      -- weakest sets the floor: trimming a list now and then, not on every write, keeps ingest fast.
      WITH ranked AS (
        SELECT t.lexeme, t.pk, t.weight,
               row_number() OVER (PARTITION BY t.lexeme ORDER BY t.weight DESC, t.pk DESC) AS place
        FROM search_top_papers t WHERE t.lexeme = ANY(overflowing)),
      dropped AS (
        DELETE FROM search_top_papers t USING ranked r
        WHERE r.place > ${limit} AND t.lexeme = r.lexeme AND t.pk = r.pk)
      UPDATE search_lexicon l SET top_floor = f.floor, top_papers = ${limit}
      FROM (SELECT lexeme, min(weight) AS floor FROM ranked WHERE place <= ${limit} GROUP BY lexeme) f
      WHERE l.lexeme = f.lexeme;
    END $$`.execute(db);

  // Named to sort after search_statistics_*: PostgreSQL fires a table's triggers in name order.
  await trackSearchTextChanges(db, "search_top_papers", sql`pk`);

  // Lists for the papers already there, with writers held off until this migration commits.
  await sql`LOCK TABLE papers IN SHARE MODE`.execute(db);
  await sql`INSERT INTO search_top_papers (lexeme, pk, weight)
    SELECT lexeme, pk, weight FROM (
      SELECT w.lexeme, w.pk, w.weight,
             row_number() OVER (PARTITION BY w.lexeme ORDER BY w.weight DESC, w.pk DESC) AS place
      FROM search_word_weights w JOIN search_lexicon l USING (lexeme)
      WHERE l.papers > ${limit}
    ) ranked
    WHERE place <= ${limit}`.execute(db);
  await sql`UPDATE search_lexicon l SET top_floor = f.floor, top_papers = f.papers
    FROM (SELECT lexeme, min(weight) AS floor, count(*) AS papers FROM search_top_papers GROUP BY lexeme) f
    WHERE l.lexeme = f.lexeme`.execute(db);
}
