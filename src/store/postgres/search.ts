import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type {
  FieldWeights,
  KeywordPage,
  KeywordSearchDialect,
  KeywordSearchOptions,
  Phrase,
  TextQuery,
} from "../search.ts";
import { filterConditions, orderFor, whereAll } from "../search-conditions.ts";
import { float8, termWeight, weightedOccurrences } from "./term-weight.ts";

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

/** Beyond this many matches, ranking starts from candidates: the papers the words weigh most in. */
const RANKED_AT_MOST = 300;
/** How many candidates the words' lists (search_top_papers) give at least, best first. */
const CANDIDATES = 500;
/** How many papers with the query's two rarest words in the title join the candidates. */
const TITLE_CANDIDATES = 300;
/**
 * The most papers a ranking pass over all matches scores, when the candidates leave the page
 * short (filters or required words rule most of them out): beyond it, only the newest (by pk).
 */
const SCORED_AT_MOST = 2000;
/** Beyond this many matches, the total is the planner's estimate. */
const COUNTED_AT_MOST = 1000;

/** One stemmed word of the query, how many papers hold it and whether it has a list of its best. */
interface Term {
  lexeme: string;
  papers: number;
  /** The weight the word has in any paper missing from its list; null: the word has no list. */
  floor: number | null;
  /** From the free words (which may stop being required), not only from phrases. */
  free: boolean;
}

interface Corpus {
  papers: number;
  /** Mean number of tokens in a paper (search_length), bm25's average document length. */
  averageLength: number;
  terms: Term[];
}

/** Papers holding a lexeme (already stemmed, so the simple configuration leaves it as it is). */
const lexemeQuery = (t: Term) => sql`plainto_tsquery('simple', ${t.lexeme})`;

const rarestFirst = (terms: Term[]) => [...terms].sort((a, b) => a.papers - b.papers);

/** Okapi idf as FTS5 computes it, kept just above 0 for words in over half the papers. */
const idf = (papers: number, matching: number) =>
  Math.max(1e-6, Math.log((papers - matching + 0.5) / (matching + 0.5)));

/**
 * Keyword search over the weighted tsvector (GIN-indexed), ranked by bm25 with field weights like
 * SQLite's, from the statistics tables triggers keep (bm25.ts). Ranking reads each paper's
 * search_vector, so it keeps the papers it ranks few: it requires the words while enough papers
 * have them, and beyond RANKED_AT_MOST matches ranks candidates from the per-word lists of top
 * papers (top-papers.ts). How and why: docs/postgres-search.md#ranking-a-search-searchts
 */
export class PostgresKeywordSearch implements KeywordSearchDialect {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: TextQuery, options: Required<KeywordSearchOptions>): Promise<KeywordPage> {
    // Phrases' words rank like free words; only free words may stop being required.
    const corpus = await this.corpus(query.anyWords, [...query.phrases, ...query.titlePhrases].flat());
    const freeTerms = corpus.terms.filter((t) => t.free);
    // Words that are all stop words are in no paper's search_vector.
    if (query.anyWords.length > 0 && freeTerms.length === 0) return { hits: [], total: 0 };

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
    const { required, counted } = await this.requiredTerms(freeTerms, textMatch, filters, options.minimumMatches);
    const words = freeTerms.length
      ? required.length
        ? allOf(required.map(lexemeQuery))
        : anyOf(freeTerms.map(lexemeQuery))
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
    const needed = options.offset + options.limit;
    const rank = async (rankedWhere: RawBuilder<unknown>) =>
      (
        await sql<{ id: string; score: number }>`
          SELECT p.id, ${score} AS score FROM papers p WHERE ${rankedWhere}
          ORDER BY ${orderFor(sort)} LIMIT ${needed}`.execute(this.db)
      ).rows.map((r) => ({ id: r.id, score: Number(r.score) }));

    // The candidates are ranked while the matches are counted, on another connection: whether
    // they are needed (more than RANKED_AT_MOST matches) is known only then, and when they are,
    // the two together take about the time of the slower.
    const mayNeedCandidates =
      sort === "relevance" && corpus.terms.length > 0 && (counted === null || counted > RANKED_AT_MOST);
    const [total, candidatesRanked] = await Promise.all([
      this.total(where, counted),
      mayNeedCandidates ? rank(whereAll([...conditions, this.candidates(corpus, needed)])) : [],
    ]);
    const candidates = total > RANKED_AT_MOST ? candidatesRanked : [];
    if (candidates.length >= needed) return { hits: candidates.slice(options.offset), total };
    // By relevance a pass over more matches than are counted scores only the newest
    // SCORED_AT_MOST; the planner finds them by walking pk backwards or from the GIN bitmap,
    // whichever reads fewer papers.
    const hits = await rank(
      sort === "relevance" && total >= COUNTED_AT_MOST
        ? sql`p.pk IN (SELECT p.pk FROM papers p WHERE ${where} ORDER BY p.pk DESC LIMIT ${SCORED_AT_MOST})`
        : where,
    );
    return { hits: hits.slice(options.offset), total };
  }

  /**
   * How many papers match: counted up to COUNTED_AT_MOST, the planner's estimate beyond. An exact
   * count of tens of thousands of phrase or filter matches would read every one of them, for a
   * number readers only take as "very many".
   */
  private async total(where: RawBuilder<unknown>, countedAlready: number | null): Promise<number> {
    const estimate = async () => {
      const { rows } = await sql<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>`
        EXPLAIN (FORMAT JSON) SELECT FROM papers p WHERE ${where}`.execute(this.db);
      return Math.round(rows[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
    };
    // The estimate is asked for beside the count whenever the count may reach its cap.
    const [counted, estimated] = await Promise.all([
      countedAlready ?? this.count(where, COUNTED_AT_MOST),
      countedAlready === null || countedAlready >= COUNTED_AT_MOST ? estimate() : 0,
    ]);
    return counted < COUNTED_AT_MOST ? counted : Math.max(counted, estimated);
  }

  /**
   * The corpus statistics bm25 needs for the free words and the phrases' words; words the index
   * drops (stop words) yield no term.
   */
  private async corpus(freeWords: string[], phraseWords: string[]): Promise<Corpus> {
    const words = [...freeWords, ...phraseWords];
    const { rows } = await sql<{
      lexeme: string | null;
      free: boolean | null;
      matching: number | null;
      floor: number | null;
      papers: number;
      tokens: string;
    }>`
      SELECT t.lexeme, t.free, coalesce(l.papers, 0) AS matching, l.top_floor AS floor, c.papers, c.tokens
      FROM search_corpus c
      LEFT JOIN (
        SELECT lexeme, bool_or(w.free) AS free
        FROM unnest(${words}::text[], ${words.map((_, i) => i < freeWords.length)}::boolean[]) AS w(word, free)
        CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', w.word))) AS lexeme
        GROUP BY lexeme
      ) t ON true
      LEFT JOIN search_lexicon l ON l.lexeme = t.lexeme`.execute(this.db);
    const papers = Number(rows[0]?.papers ?? 0);
    return {
      papers,
      averageLength: papers ? Number(rows[0]?.tokens ?? 0) / papers : 1,
      terms: rows.flatMap((r) =>
        r.lexeme === null
          ? []
          : [{ lexeme: r.lexeme, papers: Number(r.matching), floor: r.floor, free: r.free === true }],
      ),
    };
  }

  /** Σ over the query's terms of idf × their weight in the paper. */
  private bm25(corpus: Corpus, weights: FieldWeights): RawBuilder<unknown> {
    const parts = corpus.terms.map(
      (term) =>
        sql`${float8(idf(corpus.papers, term.papers))} * ${termWeight(
          weightedOccurrences(sql`p.search_vector`, lexemeQuery(term), weights),
          sql`p.search_length`,
          float8(corpus.averageLength),
        )}`,
    );
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
   * The papers worth ranking among thousands of matches: the CANDIDATES (or five times the page)
   * whose bm25 can be highest by the words' lists of their best papers, every paper holding a
   * word too rare to have a list (at most TOP_PAPERS_PER_WORD each), and TITLE_CANDIDATES with
   * the two rarest words in the title.
   */
  private candidates({ terms, papers }: Corpus, needed: number): RawBuilder<unknown> {
    const listed = terms.filter((t) => t.floor !== null);
    const rare = terms.filter((t) => t.floor === null);
    // A paper's bm25 is at most the sum over the words of idf × its weight where it is listed and
    // idf × the list's floor where not, so ordering by Σ idf × (weight − floor) over its lists
    // orders the candidates by that bound (the threshold algorithm's order).
    const sources = [
      ...(listed.length
        ? [
            sql`SELECT pk FROM (
              SELECT t.pk FROM search_top_papers t
              JOIN unnest(${listed.map((t) => t.lexeme)}::text[], ${listed.map((t) => idf(papers, t.papers))}::float8[],
                          ${listed.map((t) => t.floor ?? 0)}::float8[]) AS q(lexeme, idf, floor) USING (lexeme)
              GROUP BY t.pk ORDER BY sum(q.idf * (t.weight - q.floor)) DESC LIMIT ${Math.max(CANDIDATES, 5 * needed)}) best`,
          ]
        : []),
      ...(rare.length ? [sql`SELECT pk FROM papers WHERE search_vector @@ ${anyOf(rare.map(lexemeQuery))}`] : []),
      // A list holds the papers where its one word weighs most, close to bm25's ceiling for
      // common words (a title mention and a few more): a paper with most of the words in its
      // title can be in none of them and still rank first. The title index finds those with the
      // two rarest words in the title.
      sql`SELECT pk FROM (SELECT pk FROM papers p
        WHERE to_tsvector('english', p.title) @@ ${allOf(rarestFirst(terms).slice(0, 2).map(lexemeQuery))}
        LIMIT ${TITLE_CANDIDATES}) titled`,
    ];
    // As an array the candidates drive the pass through the primary key: as a subquery the planner,
    // misjudging how few papers hold every word, reads all of them from the GIN index instead.
    return sql`p.pk = ANY(ARRAY(${sql.join(sources, sql` UNION ALL `)}))`;
  }

  /**
   * The terms every result must have: all of them if that finds enough papers, else the rarest
   * that do; with how many papers have them, counted to COUNTED_AT_MOST (null if not counted).
   */
  private async requiredTerms(
    terms: Term[],
    textMatch: (words: RawBuilder<unknown>) => RawBuilder<unknown>[],
    filters: RawBuilder<unknown>[],
    enough: number,
  ): Promise<{ required: Term[]; counted: number | null }> {
    if (terms.length < 2) return { required: terms, counted: null };
    const rarest = rarestFirst(terms);
    // Every set tried holds the rarest term, so none finds enough when it alone is in too few papers.
    if ((rarest[0]?.papers ?? 0) < enough) return { required: [], counted: null };
    for (let kept = terms.length; kept >= 1; kept--) {
      const required = rarest.slice(0, kept);
      const where = whereAll([...textMatch(allOf(required.map(lexemeQuery))), ...filters]);
      // Counted as far as the total needs, so that the set kept is counted once.
      const counted = await this.count(where, Math.max(enough, COUNTED_AT_MOST));
      if (counted >= enough) return { required, counted };
    }
    return { required: [], counted: null };
  }
}
