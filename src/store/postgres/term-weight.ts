import { type RawBuilder, sql } from "kysely";
import type { FieldWeights } from "../search.ts";

/** bm25's term-frequency saturation and length normalization, as in SQLite's FTS5. */
export interface Bm25Parameters {
  k1: number;
  b: number;
}

export const bm25Parameters: Bm25Parameters = { k1: 1.2, b: 0.75 };

/** A constant as float8: a bare 2.2 is numeric to PostgreSQL, whose arithmetic is several times slower. */
export const float8 = (x: number) => sql`${sql.lit(x)}::float8`;

/**
 * How often a word occurs in a paper's search_vector, each field's occurrences weighted.
 * search_occurrences counts the occurrences in a leading run of fields (title; title and
 * authors; all), so each run's coefficient is the weight its last field adds; runs whose
 * coefficient is 0 are not counted. `word` is a tsquery of the one lexeme.
 */
export function weightedOccurrences(
  document: RawBuilder<unknown>,
  word: RawBuilder<unknown>,
  { title, abstract, authors }: FieldWeights,
): RawBuilder<unknown> {
  const runs: [weights: string, coefficient: number][] = [
    ["{0,0,0,1}", title - authors],
    ["{0,0,1,1}", authors - abstract],
    ["{1,1,1,1}", abstract],
  ];
  const counted = runs
    .filter(([, coefficient]) => coefficient !== 0)
    .map(
      ([weights, coefficient]) =>
        sql`${float8(coefficient)} * search_occurrences(${sql.lit(weights)}::float4[], ${document}, ${word})`,
    );
  return counted.length ? sql`(${sql.join(counted, sql` + `)})` : sql`0`;
}

/**
 * bm25's weight of a word in a paper, idf aside: its weighted occurrences, saturated and
 * normalized by the paper's length (search_length) against the average length.
 */
export function termWeight(
  occurrences: RawBuilder<unknown>,
  length: RawBuilder<unknown>,
  averageLength: RawBuilder<unknown>,
  { k1, b }: Bm25Parameters = bm25Parameters,
): RawBuilder<unknown> {
  return sql`(${occurrences} * ${float8(k1 + 1)} / (${occurrences}
    + ${float8(k1)} * (${float8(1 - b)} + ${float8(b)} * ${length} / ${averageLength})))`;
}
