import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../../test/support/databases.ts";
import type { PaperRecord } from "../../papers/record.ts";
import { parseQuery } from "../../search/query.ts";
import type { Store } from "../index.ts";
import { rankedTerms } from "../search.ts";
import { analyzePaper } from "./analysis.ts";
import { inverseDocumentFrequency, termWeight, weightedFrequency } from "./postings.ts";
import { settledScore } from "./ranking.ts";
import { BlockCache, readTerms } from "./reader.ts";
import type { SearchIndexTables } from "./schema.ts";

// A vocabulary with a few very common words and a long tail, so that lists span many blocks,
// some terms are in most papers and MaxScore has lists to leave out.
const vocabulary = Array.from({ length: 120 }, (_, i) => `w${i.toString(36)}x`);

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function text(next: () => number, words: number): string {
  return Array.from({ length: words }, () => vocabulary[Math.floor(vocabulary.length * next() ** 2.5)]).join(" ");
}

function paper(n: number, next: () => number): PaperRecord {
  return {
    id: `2403.${String(n).padStart(5, "0")}`,
    title: text(next, 3 + Math.floor(next() * 6)),
    abstract: text(next, 10 + Math.floor(next() * 60)),
    authors: [{ name: next() < 0.1 ? `Ada ${vocabulary[3]}` : "Ada Lovelace" }],
    categories: [next() < 0.3 ? "cs.CV" : "cs.LG"],
    publishedAt: "2024-03-01T00:00:00.000Z",
  };
}

/** bm25 of every paper holding a query term, from the papers' text: what ranking must equal. */
async function exhaustive(
  store: Store,
  query: string,
  allowed?: Set<string>,
): Promise<{ id: string; score: number }[]> {
  const rows = await store.connection.db
    .selectFrom("papers")
    .select(["pk", "id", "title", "abstract", "author_names"])
    .execute();
  const analyzed = rows.map((row) => ({ row, ...analyzePaper(row) }));
  const averageLength = analyzed.reduce((sum, a) => sum + a.length, 0) / analyzed.length;
  const terms = rankedTerms(parseQuery(query).query);
  const idf = new Map(
    [...terms].map(([term, times]) => [
      term,
      times * inverseDocumentFrequency(analyzed.length, analyzed.filter((a) => a.terms.has(term)).length),
    ]),
  );
  return analyzed
    .filter((a) => [...terms.keys()].some((t) => a.terms.has(t)) && (!allowed || allowed.has(a.row.id)))
    .map((a) => ({
      pk: a.row.pk,
      id: a.row.id,
      score: settledScore(
        [...terms.keys()].reduce((sum, t) => {
          const counts = a.terms.get(t);
          return counts
            ? sum + (idf.get(t) ?? 0) * termWeight(weightedFrequency(counts), a.length, averageLength)
            : sum;
        }, 0),
      ),
    }))
    .sort((a, b) => b.score - a.score || b.pk - a.pk);
}

/** Asserts the two rankings agree: the same papers in the same order, scores equal to rounding. */
function assertSameRanking(
  found: { id: string; score: number }[],
  expected: { id: string; score: number }[],
  what: string,
): void {
  assert.deepEqual(
    found.map((f) => f.id),
    expected.map((e) => e.id),
    what,
  );
  for (const [i, e] of expected.entries()) {
    assert.ok(Math.abs((found[i]?.score ?? 0) - e.score) <= 1e-9 * e.score, `${what}: score of ${e.id}`);
  }
}

const queries = [
  "w0x",
  "w0x w1x",
  "w5x w0x w2x",
  "w9x w1x w0x w3x w2x",
  "w1x w2x w3x w4x w5x w6x w7x w8x w9x wax wbx",
  "w2fx w1x",
  "wzx w10x w0x w2x w4x",
  "w3x w3x w3x",
  "w0x w1x w2x w3x w4x w5x w6x w7x w8x w9x wax wbx wcx wdx wex wfx wgx",
];

for (const kind of databaseKinds) {
  describe(`keyword index on ${kind.kind}`, { skip: kind.skip }, () => {
    it("ranks exactly as bm25 over every match, through inserts, edits, deletes and merges", () =>
      withStore(kind, async (store) => {
        const next = random(7);
        // Indexed batch by batch, so each batch is a segment and segments of one size merge.
        const load = async (from: number, to: number, size: number) => {
          for (let batch = from; batch < to; batch++) {
            await store.papers.upsertBatch(Array.from({ length: size }, (_, i) => paper(batch * size + i, next)));
            await store.search.catchUp();
          }
        };
        await load(0, 12, 50);
        const db = store.connection.db.withTables<SearchIndexTables>();
        const segments = async () =>
          Number((await sql<{ n: number }>`SELECT count(*) AS n FROM search_segments`.execute(db)).rows[0]?.n);
        assert.ok((await segments()) < 12, "segments of one size were merged");

        // Larger segments, whose common terms fill blocks, then edits through the store, text
        // rewritten behind the store's back, deletions and an upvote (one segment of earlier
        // papers, and dead postings in those before), then more: a merge takes full blocks as
        // they are where it can and rewrites the others.
        await load(5, 9, 130);
        await store.papers.upsertBatch(Array.from({ length: 70 }, (_, i) => paper(i < 40 ? i * 7 : 650 + i * 3, next)));
        await db.updateTable("papers").set({ abstract: "w0x w0x w0x wzx" }).where("id", "=", "2403.00011").execute();
        await db
          .deleteFrom("papers")
          .where("id", "in", ["2403.00012", "2403.00100", "2403.00301", "2403.00700"])
          .execute();
        await db.updateTable("papers").set({ upvotes: 9 }).where("id", "=", "2403.00013").execute();
        await store.search.catchUp();
        const before = await segments();
        await load(9, 12, 130);
        assert.ok((await segments()) < before + 3, "segments holding dead postings were merged");

        for (const query of queries) {
          for (const limit of [1, 7, 20, 60]) {
            const page = await store.search.keyword(parseQuery(query).query, { limit });
            const expected = (await exhaustive(store, query)).slice(0, limit);
            assertSameRanking(page.hits, expected, `"${query}" limit ${limit}`);
          }
          const offset = await store.search.keyword(parseQuery(query).query, { limit: 10, offset: 15 });
          assertSameRanking(offset.hits, (await exhaustive(store, query)).slice(15, 25), `"${query}" page 2`);
        }
        // A deleted paper is gone; the rewritten one ranks by its new text.
        const rewritten = await store.search.keyword(parseQuery("wzx").query, { limit: 100 });
        assert.ok(rewritten.hits.some((h) => h.id === "2403.00011"));
        assert.ok(!rewritten.hits.some((h) => h.id === "2403.00012"));

        // Term counts equal the papers' own, dead postings not counted.
        const index = await readTerms(db, new Map(vocabulary.slice(0, 30).map((w) => [w, 1])), new BlockCache());
        const papers = await db.selectFrom("papers").select(["title", "abstract", "author_names"]).execute();
        const analyzed = papers.map((p) => analyzePaper(p));
        assert.equal(index.papers, papers.length);
        assert.deepEqual(
          index.holding,
          vocabulary.slice(0, 30).map((w) => analyzed.filter((a) => a.terms.has(w)).length),
        );
      }));

    it("ranks exactly within filters, whether few or many papers pass them", () =>
      withStore(kind, async (store) => {
        const next = random(11);
        for (let batch = 0; batch < 4; batch++) {
          await store.papers.upsertBatch(Array.from({ length: 100 }, (_, i) => paper(batch * 100 + i, next)));
        }
        const rows = await store.connection.db
          .selectFrom("papers")
          .select(["id", "categories", "author_names"])
          .execute();
        const vision = new Set(rows.filter((r) => r.categories.includes("cs.CV")).map((r) => r.id));
        const named = new Set(rows.filter((r) => r.author_names.includes(vocabulary[3] ?? "")).map((r) => r.id));
        for (const query of queries.slice(0, 6)) {
          const inVision = await store.search.keyword(parseQuery(`${query} cat:cs.CV`).query, { limit: 20 });
          assertSameRanking(inVision.hits, (await exhaustive(store, query, vision)).slice(0, 20), `${query} cat:cs.CV`);
          const byAuthor = await store.search.keyword(parseQuery(`${query} author:${vocabulary[3]}`).query);
          assertSameRanking(byAuthor.hits, (await exhaustive(store, query, named)).slice(0, 20), `${query} author:`);
        }
      }));
  });
}
