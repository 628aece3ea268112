import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseQuery } from "../search/query.ts";
import type { Store } from "./index.ts";

/** How many papers migration 008 keeps in each common word's list. */
const TOP_PAPERS_PER_WORD = 300;

const filler = "We study how methods behave across many settings and report results on standard benchmarks.";

function paper(n: number, title: string, abstract: string): PaperRecord {
  return {
    id: `2402.${String(n).padStart(5, "0")}`,
    title,
    abstract,
    authors: [{ name: "Ada Lovelace" }],
    categories: ["cs.LG"],
    publishedAt: "2024-02-01T00:00:00.000Z",
  };
}

const ids = async (store: Store, text: string) =>
  (await store.search.keyword(parseQuery(text).query)).hits.map((h) => h.id);

for (const kind of databaseKinds) {
  describe(`keyword ranking (bm25) on ${kind.kind}`, { skip: kind.skip }, () => {
    it("ranks a paper with the rare word above one full of the common word", () =>
      withStore(kind, async (store) => {
        const common = Array.from({ length: 8 }, (_, i) => paper(i + 10, `Study ${i}`, `Neural networks. ${filler}`));
        await store.papers.upsertBatch([
          ...common,
          paper(1, "Pruning", `Sparse weights. ${filler}`),
          paper(2, "Deep nets", `Networks of networks: networks everywhere. ${filler}`),
        ]);
        const ranked = await ids(store, "sparse networks");
        assert.equal(ranked[0], "2402.00001");
        assert.ok(ranked.indexOf("2402.00001") < ranked.indexOf("2402.00002"));
      }));

    it("ranks a title match above an abstract-only match", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          paper(1, "A study of things", `Tokenizers matter. ${filler}`),
          paper(2, "Tokenizers for code", `We compare approaches. ${filler}`),
          paper(3, "Unrelated work", filler),
        ]);
        assert.deepEqual(await ids(store, "tokenizers"), ["2402.00002", "2402.00001"]);
      }));

    it("finds the best of hundreds of matches, a rare word's paper and filtered papers", () =>
      withStore(kind, async (store) => {
        // 800 papers mention both words in passing; the papers about them came first (lowest keys),
        // so only ranking, not recency, can bring them up.
        const crowd = Array.from({ length: 800 }, (_, i) => ({
          ...paper(i + 100, `Study ${i}`, `A graph with a coloring appears here. ${filler}`),
          categories: [i >= 700 ? "cs.CV" : "cs.LG"],
        }));
        await store.papers.upsertBatch([
          paper(1, "Graph coloring heuristics", "Graph coloring: heuristics for coloring every graph."),
          paper(2, "Coloring sparse graphs", "Coloring graphs with few edges."),
          paper(3, "Zebra crossings", "A zebra, a graph and a coloring."),
          ...crowd,
        ]);
        assert.deepEqual((await ids(store, "graph coloring")).slice(0, 2), ["2402.00001", "2402.00002"]);
        assert.equal((await ids(store, "zebra graph coloring"))[0], "2402.00003");
        const vision = await store.search.keyword(parseQuery("graph coloring cat:cs.CV").query);
        assert.equal(vision.total, 100);
        assert.equal(vision.hits.length, 20);
      }));
  });
}

const postgres = databaseKinds.find((k) => k.kind === "postgres");
if (postgres) {
  describe("bm25 statistics on postgres", { skip: postgres.skip }, () => {
    it("keep document frequencies and token lengths right through inserts, updates and deletes", () =>
      withStore(postgres, async (store) => {
        const db = store.connection.db;
        const differences = async () => {
          const { rows } = await sql<{ lexeme: string; kept: number | null; actual: number | null }>`
            SELECT coalesce(l.lexeme, s.word) AS lexeme, l.papers AS kept, s.ndoc AS actual
            FROM (SELECT * FROM search_lexicon WHERE papers <> 0) l
            FULL JOIN ts_stat('SELECT search_vector FROM papers') s ON s.word = l.lexeme
            WHERE l.papers IS DISTINCT FROM s.ndoc`.execute(db);
          const corpus = await sql<{ kept: string; actual: string }>`
            SELECT (SELECT row(papers, tokens)::text FROM search_corpus) AS kept,
              (SELECT row(count(*), coalesce(sum(search_length), 0))::text FROM papers) AS actual`.execute(db);
          // A paper's length is its count of word occurrences, counted here from the positions.
          const lengths = await sql<{ id: string }>`
            SELECT id FROM papers p WHERE search_length IS DISTINCT FROM
              (SELECT count(*) FROM unnest(p.search_vector) u, unnest(u.positions))`.execute(db);
          return { lexemes: rows, corpus: corpus.rows[0], wrongLengths: lengths.rows };
        };
        const consistent = async () => {
          const { lexemes, corpus, wrongLengths } = await differences();
          assert.deepEqual(lexemes, []);
          assert.deepEqual(wrongLengths, []);
          assert.equal(corpus?.kept, corpus?.actual);
        };

        await store.papers.upsertBatch([
          paper(1, "Pruning", `Sparse weights. ${filler}`),
          paper(2, "Deep nets", `Networks of networks. ${filler}`),
          paper(3, "Quantum annealing", "Qubits and couplers."),
        ]);
        await consistent();
        // New text replaces the old counts; other writes (upvotes) change nothing.
        await store.papers.upsertBatch([paper(2, "Deep nets", "Sparse networks, now without the filler.")]);
        await db.updateTable("papers").set({ upvotes: 5 }).execute();
        await consistent();
        await db.deleteFrom("papers").where("id", "=", "2402.00003").execute();
        await consistent();
        // Both sparse papers rank; the deleted one's words are gone from the counts.
        assert.deepEqual(new Set(await ids(store, "sparse")), new Set(["2402.00001", "2402.00002"]));
        const qubit = await sql<{ papers: number }>`SELECT papers FROM search_lexicon WHERE lexeme = 'qubit'`.execute(
          db,
        );
        assert.equal(Number(qubit.rows[0]?.papers ?? 0), 0);
      }));

    it("keep each common word's list of its best papers through inserts, updates and deletes", () =>
      withStore(postgres, async (store) => {
        const db = store.connection.db;
        const listOf = async (lexeme: string) =>
          (
            await sql<{ id: string }>`SELECT p.id FROM search_top_papers t JOIN papers p USING (pk)
              WHERE t.lexeme = ${lexeme} ORDER BY t.weight DESC, p.pk DESC`.execute(db)
          ).rows.map((r) => r.id);
        const floorOf = async (lexeme: string) =>
          (
            await sql<{
              floor: number | null;
            }>`SELECT top_floor AS floor FROM search_lexicon WHERE lexeme = ${lexeme}`.execute(db)
          ).rows[0]?.floor ?? null;
        // Every listed paper exists and holds the word; a list is never twice TOP_PAPERS_PER_WORD
        // long, and its length is kept right.
        const sound = async () => {
          const strays = await sql<{ n: number }>`SELECT count(*) AS n FROM search_top_papers t
            LEFT JOIN papers p USING (pk)
            WHERE p.pk IS NULL OR NOT p.search_vector @@ search_any_word(ARRAY[t.lexeme])`.execute(db);
          assert.equal(Number(strays.rows[0]?.n), 0);
          const longest = await sql<{ n: number }>`SELECT coalesce(max(n), 0) AS n FROM
            (SELECT count(*) AS n FROM search_top_papers GROUP BY lexeme) c`.execute(db);
          assert.ok(Number(longest.rows[0]?.n) <= 2 * TOP_PAPERS_PER_WORD);
          const miscounted = await sql<{ lexeme: string }>`SELECT l.lexeme FROM search_lexicon l
            WHERE l.top_papers <> (SELECT count(*) FROM search_top_papers t WHERE t.lexeme = l.lexeme)`.execute(db);
          assert.deepEqual(miscounted.rows, []);
        };

        const crowd = (from: number, count: number) =>
          Array.from({ length: count }, (_, i) => paper(from + i, `Study ${from + i}`, `One graph. ${filler}`));
        await store.papers.upsertBatch(crowd(100, TOP_PAPERS_PER_WORD));
        assert.equal(await floorOf("graph"), null, "a word in few enough papers has no list");
        // One more paper makes the word common: its list is built from all its papers.
        await store.papers.upsertBatch(crowd(1000, 1));
        assert.equal((await listOf("graph")).length, TOP_PAPERS_PER_WORD + 1);
        assert.equal(await floorOf("graph"), 0);
        await sound();
        // Grown past twice its length, the list is cut back to its best, which sets the floor.
        await store.papers.upsertBatch(crowd(2000, TOP_PAPERS_PER_WORD));
        assert.equal((await listOf("graph")).length, TOP_PAPERS_PER_WORD);
        assert.ok(((await floorOf("graph")) ?? 0) > 0);
        await sound();

        // A paper about graphs goes to the top of the list; rewritten without the word it leaves.
        await store.papers.upsertBatch([paper(1, "Graph graphs", "Graph theory: graphs, graphs and more graphs.")]);
        assert.equal((await listOf("graph"))[0], "2402.00001");
        await store.papers.upsertBatch([paper(1, "Trees", "Trees only.")]);
        assert.ok(!(await listOf("graph")).includes("2402.00001"));
        // Upvotes change no text and leave the lists alone; a deleted paper leaves every list.
        const before = await listOf("graph");
        await db.updateTable("papers").set({ upvotes: 3 }).execute();
        assert.deepEqual(await listOf("graph"), before);
        await db
          .deleteFrom("papers")
          .where("id", "=", before[0] ?? "")
          .execute();
        assert.ok(!(await listOf("graph")).includes(before[0] ?? ""));
        await sound();
      }));
  });
}
