import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../../test/support/databases.ts";
import type { PaperRecord } from "../../papers/record.ts";
import { parseQuery } from "../../search/query.ts";
import { SqliteSearchDialect } from "./search.ts";

const sqlite = databaseKinds.find((k) => k.kind === "sqlite");

describe("SQLite search dialect", () => {
  it("checks papers against conditions alike by reading the matches in order or by seeking to each", () =>
    withStore(sqlite ?? databaseKinds[0]!, async (store) => {
      const papers: PaperRecord[] = Array.from({ length: 300 }, (_, i) => ({
        id: `2403.${String(i).padStart(5, "0")}`,
        title: `Study ${i}`,
        abstract: i % 2 === 0 ? "A language model for translation." : "A model of language in vision.",
        authors: [{ name: i % 5 === 0 ? "Grace Hopper" : "Ada Lovelace" }],
        categories: [i % 3 === 0 ? "cs.CL" : "cs.CV"],
        publishedAt: `${i % 4 === 0 ? 2023 : 2024}-02-01T00:00:00.000Z`,
      }));
      await store.papers.upsertBatch(papers);
      const rows = await store.connection.db.selectFrom("papers").select("pk").orderBy("pk").execute();
      const pks = rows.map((r) => r.pk).filter((pk, i) => i % 3 !== 1);
      const reading = new SqliteSearchDialect(store.connection.db);
      const seeking = new SqliteSearchDialect(store.connection.db, 0);
      for (const text of [
        '"language model"',
        '"language model" cat:cs.CL after:2024',
        "language -vision",
        "language -vision cat:cs.CV",
        'author:"grace hopper" translation',
        "cat:cs.CL",
      ]) {
        const query = parseQuery(text).query;
        const read = await reading.passing(query, pks);
        assert.deepEqual(read, await seeking.passing(query, pks), text);
        assert.ok(read.size > 0 && read.size < pks.length, text);
      }
    }));
});
