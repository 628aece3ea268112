import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type {
  FieldWeights,
  KeywordHit,
  KeywordPage,
  KeywordSearchDialect,
  KeywordSearchOptions,
  Phrase,
  TextQuery,
} from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";

const phrase = (p: Phrase) => sql`phraseto_tsquery('english', ${p.join(" ")})`;

/**
 * An author name, which must sit in the authors' part (B) of search_vector. PostgreSQL has no
 * function to label a tsquery with a weight, so the parsed query is relabelled as text:
 * phraseto_tsquery keeps the word gaps that a hand-built one would lose.
 */
function authorPhrase(p: Phrase): RawBuilder<unknown> {
  const parsed = sql`phraseto_tsquery('simple', ${p.join(" ")})::text`;
  return sql`to_tsquery('simple', regexp_replace(${parsed}, '''([^'']+)''', ${"'\\1':B"}, 'g'))`;
}

const anyOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` || `)})`;
const allOf = (queries: RawBuilder<unknown>[]) => sql`(${sql.join(queries, sql` && `)})`;

/** ts_rank's weights are listed {D, C, B, A} and must lie in [0, 1]. */
function rankWeights({ title, abstract, authors }: FieldWeights): RawBuilder<unknown> {
  const top = Math.max(title, abstract, authors);
  return sql`${sql.lit(`{0,${abstract / top},${authors / top},${title / top}}`)}::float4[]`;
}

/** bm25's term-frequency saturation and length normalization, as in SQLite's FTS5. */
const K1 = 1.2;
const B = 0.75;

/** Beyond this many matches, ranking starts from those with telling words in the title. */
const RANKED_AT_MOST = 300;
/**
 * The most papers one ranking pass scores by relevance. Scoring reads a paper's search_vector
 * once per term and field run, 5–30 µs a paper, so passes over thousands of matches took
 * 50–250 ms on the 75k corpus. A pass with more matches scores only the newest (by
 * pk, as SQLite keeps its newest 10,000), and the pass over contenders (see search) keeps only
 * the rarest essential terms whose papers fit (see rarestWithin). At 2,000 SciFact's figures are
 * those of exact ranking (train hybrid nDCG@10 0.7045); smaller caps cost quality there, as any of
 * a long claim's words matches most of its 5,183 abstracts (train keyword 0.6998 exact, 0.6949 at
 * 1,000, 0.6607 at 300; test hybrid 0.7022 exact, 0.6968 at 1,000, 0.6779 at 500).
 */
const SCORED_AT_MOST = 2000;
/** Beyond this many matches, the total is the planner's estimate. */
const COUNTED_AT_MOST = 1000;

/** One stemmed word of the query and how many papers hold it. */
interface Term {
  lexeme: string;
  papers: number;
}

interface Corpus {
  papers: number;
  /** Mean number of tokens in a paper (search_length), bm25's average document length. */
  averageLength: number;
  terms: Term[];
}

/** Papers holding a lexeme (already stemmed, so the simple configuration leaves it as it is). */
const lexemeQuery = (t: Term) => sql`plainto_tsquery('simple', ${t.lexeme})`;

/** Okapi idf as FTS5 computes it, kept just above 0 for words in over half the papers. */
const idf = (papers: number, matching: number) =>
  Math.max(1e-6, Math.log((papers - matching + 0.5) / (matching + 0.5)));

/**
 * The terms a paper needs one of to score above `threshold`: a term adds at most idf × (k1 + 1)
 * to bm25, so a paper with only the most common terms, whose bounds sum below the threshold,
 * cannot reach it (the MaxScore argument).
 */
function essentialTerms(corpus: Corpus, threshold: number): Term[] {
  const bound = (t: Term) => idf(corpus.papers, t.papers) * (K1 + 1);
  const commonFirst = [...corpus.terms].sort((a, b) => bound(a) - bound(b));
  let sum = 0;
  const common = commonFirst.findIndex((t) => {
    sum += bound(t);
    return sum >= threshold;
  });
  return common === -1 ? [] : commonFirst.slice(common);
}

/**
 * The rarest of `terms` whose papers number at most `papers` in all (at least the rarest term):
 * when the papers holding any essential term are too many to score, those holding the rarest
 * ones are the likeliest to rank high.
 */
function rarestWithin(terms: Term[], papers: number): Term[] {
  const rarestFirst = [...terms].sort((a, b) => a.papers - b.papers);
  let sum = 0;
  const over = rarestFirst.findIndex((t) => {
    sum += t.papers;
    return sum > papers;
  });
  return over === -1 ? rarestFirst : rarestFirst.slice(0, Math.max(1, over));
}

/**
 * How often a term occurs in a paper, each field's occurrences weighted. search_occurrences counts
 * the occurrences in a leading run of fields (title; title and authors; all), so each run's
 * coefficient is the weight its last field adds; runs whose coefficient is 0 are not counted.
 */
function weightedOccurrences(term: Term, { title, abstract, authors }: FieldWeights): RawBuilder<unknown> {
  const runs: [weights: string, coefficient: number][] = [
    ["{0,0,0,1}", title - authors],
    ["{0,0,1,1}", authors - abstract],
    ["{1,1,1,1}", abstract],
  ];
  const counted = runs
    .filter(([, coefficient]) => coefficient !== 0)
    .map(
      ([weights, coefficient]) =>
        sql`${sql.lit(coefficient)} * search_occurrences(${sql.lit(weights)}::float4[], p.search_vector, ${lexemeQuery(term)})`,
    );
  return counted.length ? sql`(${sql.join(counted, sql` + `)})` : sql`0`;
}

/**
 * Keyword search over the weighted tsvector (GIN-indexed), ranked by bm25 with field weights
 * like SQLite's: document frequencies and lengths come from the statistics tables that
 * triggers keep (see bm25.ts), term frequencies from the paper's search_vector.
 *
 * Ranking reads each paper's search_vector, so the search keeps the papers it ranks few. It first
 * requires every word; when that finds fewer papers than the caller needs, it stops requiring the
 * most common words one at a time, and only when even the rarest word alone is not enough does
 * it match papers with any of the words. When still more than RANKED_AT_MOST papers match, it
 * ranks those with the most telling words in the title first; their page sets a score that only
 * papers with one of the query's rarer words can beat (see essentialTerms), and those are ranked
 * next, so the page is exactly bm25's unless they are too many to score (SCORED_AT_MOST). A
 * query of phrases alone has no such bound: its page comes from the title matches (phrases in
 * the title rank first anyway).
 */
export class PostgresKeywordSearch implements KeywordSearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage> {
    const corpus = await this.corpus(query.anyWords);
    // Words that are all stop words are in no paper's search_vector.
    if (query.anyWords.length > 0 && corpus.terms.length === 0) return { hits: [], total: 0 };

    const requirements = [...query.phrases.map(phrase), ...query.authors.map(authorPhrase)];
    // title: is checked on the title index: a weighted query on search_vector would make
    // PostgreSQL read every paper with the word anywhere to look at its weights.
    const inTitle = query.titlePhrases.map((p) => sql`to_tsvector('english', p.title) @@ ${phrase(p)}`);
    const excluded = query.excluded.length ? anyOf(query.excluded.map(phrase)) : null;
    const filters = [...inTitle, ...filterConditions(query)];
    // One tsquery for everything asked of the text, exclusions included, so the GIN index
    // answers it without reading papers whenever no phrase needs word positions checked.
    const textMatch = (words: RawBuilder<unknown> | null) => {
      const positive = [...(words ? [words] : []), ...requirements];
      if (positive.length === 0) return excluded ? [sql`NOT (p.search_vector @@ ${excluded})`] : [];
      return [sql`p.search_vector @@ ${allOf(excluded ? [...positive, sql`!!${excluded}`] : positive)}`];
    };
    const required = await this.requiredTerms(corpus.terms, textMatch, filters, options.minimumMatches);
    const words = corpus.terms.length
      ? required.length
        ? allOf(required.map(lexemeQuery))
        : anyOf(corpus.terms.map(lexemeQuery))
      : null;
    const conditions = [...textMatch(words), ...filters];
    const where = whereAll(conditions);

    const phrasesAsked = [...requirements, ...query.titlePhrases.map(phrase)];
    const ranked = corpus.terms.length > 0 || phrasesAsked.length > 0;
    const score = corpus.terms.length
      ? this.bm25(corpus, options.weights)
      : phrasesAsked.length
        ? sql`ts_rank(${rankWeights(options.weights)}, p.search_vector, ${allOf(phrasesAsked)}, 1)`
        : sql`0`;
    const sort = ranked ? options.sort : options.sort === "relevance" ? "date" : options.sort;
    const total = await this.total(where);
    const needed = options.offset + options.limit;
    // By relevance each pass scores only the newest SCORED_AT_MOST of its papers; the planner
    // finds them by walking pk backwards or from the GIN bitmap, whichever reads fewer papers.
    const scored = (rankedWhere: RawBuilder<unknown>) =>
      sort === "relevance"
        ? sql`p.pk IN (SELECT p.pk FROM papers p WHERE ${rankedWhere} ORDER BY p.pk DESC LIMIT ${SCORED_AT_MOST})`
        : rankedWhere;
    const rank = async (rankedWhere: RawBuilder<unknown>) =>
      (
        await sql<{ id: string; score: number }>`
          SELECT p.id, ${score} AS score FROM papers p WHERE ${scored(rankedWhere)}
          ORDER BY ${orderFor(sort)} LIMIT ${needed}`.execute(this.db)
      ).rows.map((r) => ({ id: r.id, score: Number(r.score) }));

    let hits: KeywordHit[];
    const tier =
      sort === "relevance" && total > RANKED_AT_MOST
        ? await this.titleMatches(corpus.terms, query.phrases, conditions, needed)
        : null;
    if (!tier) {
      hits = await rank(where);
    } else {
      hits = await rank(tier);
      // The title matches' page sets the score any other paper must beat; only papers with one
      // of the essential terms can, so ranking them too gives exactly the page bm25 would, as
      // long as they are few enough to score (SCORED_AT_MOST); otherwise those with the rarest.
      const essential = rarestWithin(
        corpus.terms.length ? essentialTerms(corpus, hits[hits.length - 1]?.score ?? 0) : [],
        SCORED_AT_MOST,
      );
      if (essential.length) {
        const contenders = whereAll([...conditions, sql`p.search_vector @@ ${anyOf(essential.map(lexemeQuery))}`]);
        const best = new Map([...hits, ...(await rank(contenders))].map((h) => [h.id, h]));
        hits = [...best.values()].sort((a, b) => b.score - a.score).slice(0, needed);
      }
    }
    return { hits: hits.slice(options.offset), total };
  }

  /**
   * How many papers match: counted up to COUNTED_AT_MOST, the planner's estimate beyond. An exact
   * count of tens of thousands of phrase or filter matches would read every one of them, for a
   * number readers only take as "very many".
   */
  private async total(where: RawBuilder<unknown>): Promise<number> {
    const counted = await this.count(where, COUNTED_AT_MOST);
    if (counted < COUNTED_AT_MOST) return counted;
    const { rows } = await sql<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>`
      EXPLAIN (FORMAT JSON) SELECT FROM papers p WHERE ${where}`.execute(this.db);
    return Math.max(counted, Math.round(rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0));
  }

  /** The corpus statistics bm25 needs for these words; words the index drops (stop words) yield no term. */
  private async corpus(words: string[]): Promise<Corpus> {
    const { rows } = await sql<{ lexeme: string | null; matching: number | null; papers: number; tokens: string }>`
      SELECT t.lexeme, coalesce(l.papers, 0) AS matching, c.papers, c.tokens
      FROM search_corpus c
      LEFT JOIN (
        SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('english', w))) AS lexeme FROM unnest(${words}::text[]) w
      ) t ON true
      LEFT JOIN search_lexicon l ON l.lexeme = t.lexeme`.execute(this.db);
    const papers = Number(rows[0]?.papers ?? 0);
    return {
      papers,
      averageLength: papers ? Number(rows[0]?.tokens ?? 0) / papers : 1,
      terms: rows.flatMap((r) => (r.lexeme === null ? [] : [{ lexeme: r.lexeme, papers: Number(r.matching) }])),
    };
  }

  /** Σ over the query's terms of idf × saturated, length-normalized weighted occurrences. */
  private bm25(corpus: Corpus, weights: FieldWeights): RawBuilder<unknown> {
    const norm = sql`(${sql.lit(K1 * (1 - B))} + ${sql.lit((K1 * B) / corpus.averageLength)} * p.search_length)`;
    const parts = corpus.terms.map((term) => {
      const f = weightedOccurrences(term, weights);
      return sql`${sql.lit(idf(corpus.papers, term.papers) * (K1 + 1))} * ${f} / (${f} + ${norm})`;
    });
    return sql`(${sql.join(parts, sql` + `)})`;
  }

  /** Papers matching, counted no further than `upTo`. */
  private async count(where: RawBuilder<unknown>, upTo: number): Promise<number> {
    // Selecting no columns lets PostgreSQL count from the index alone on pages it knows are visible.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT FROM papers p WHERE ${where} LIMIT ${upTo}) m`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The matches with the most telling words in the title, when enough of them fill the page:
   * first those with every word and phrase there, then with all of the rarest words (one fewer
   * each time), then with any of the rarest words (one more each time). The title index finds
   * them without reading the other papers.
   */
  private async titleMatches(terms: Term[], phrases: Phrase[], conditions: RawBuilder<unknown>[], needed: number) {
    const rarestFirst = [...terms].sort((a, b) => a.papers - b.papers).map(lexemeQuery);
    const prefixes = rarestFirst.map((_, i) => rarestFirst.slice(0, i + 1));
    const everything = [...rarestFirst, ...phrases.map(phrase)];
    const tiers = [
      ...(everything.length ? [allOf(everything)] : []),
      ...prefixes.slice(0, -1).reverse().map(allOf),
      ...prefixes.slice(1).map(anyOf),
    ];
    for (const inTitle of tiers) {
      const where = whereAll([...conditions, sql`to_tsvector('english', p.title) @@ ${inTitle}`]);
      if ((await this.count(where, needed)) >= needed) return where;
    }
    return null;
  }

  /** The terms every result must have: all of them if that finds enough papers, else the rarest that do. */
  private async requiredTerms(
    terms: Term[],
    textMatch: (words: RawBuilder<unknown>) => RawBuilder<unknown>[],
    filters: RawBuilder<unknown>[],
    enough: number,
  ): Promise<Term[]> {
    if (terms.length < 2) return terms;
    const rarestFirst = [...terms].sort((a, b) => a.papers - b.papers);
    // Every set tried holds the rarest term, so none finds enough when it alone is in too few papers.
    if ((rarestFirst[0]?.papers ?? 0) < enough) return [];
    for (let kept = terms.length; kept >= 1; kept--) {
      const required = rarestFirst.slice(0, kept);
      const where = whereAll([...textMatch(allOf(required.map(lexemeQuery))), ...filters]);
      if ((await this.count(where, enough)) >= enough) return required;
    }
    return [];
  }
}
