import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../ingest/record.ts";
import { parseQuery } from "../search/query.ts";
import type { Store } from "./index.ts";

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
  });
}
