import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import type { Store } from "../src/store/index.ts";
import { runCli, startCli } from "./support/cli.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-ingest-"));
after(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A listing-format line, like shared/data/arxiv/papers.jsonl.gz, with varied authors and dates. */
function listingLine(n: number): string {
  return JSON.stringify({
    id: `2505.${String(n).padStart(5, "0")}`,
    title: `Synthetic study ${n} of retrieval and ranking`,
    abstract: `Paper ${n} examines topic ${n % 37} with method ${n % 11}. Code: https://github.com/lab${n % 5}/repo${n}.`,
    authors: Array.from({ length: 1 + (n % 6) }, (_, i) => `Author ${(n * 7 + i) % 997}`),
    categories: [`cs.${["CL", "CV", "LG", "AI"][n % 4]}`, "stat.ML"],
    comment: n % 3 ? null : `${n % 20} pages`,
    published: `2025-05-${String(1 + (n % 28)).padStart(2, "0")}`,
  });
}

function writeLines(name: string, lines: string[], gzip = false): string {
  const file = path.join(workDir, name);
  const text = `${lines.join("\n")}\n`;
  fs.writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

/** Everything a reader could see of the stored papers, in a stable order. */
async function dump(store: Store) {
  const db = store.connection.db;
  return {
    papers: await db
      .selectFrom("papers")
      .selectAll()
      .orderBy("id")
      .execute()
      .then((rows) => rows.map(({ pk: _pk, ...row }) => row)),
    authors: await db.selectFrom("paper_authors").selectAll().orderBy("paper_id").orderBy("position").execute(),
    categories: await db.selectFrom("paper_categories").selectAll().orderBy("paper_id").orderBy("category").execute(),
    feed: await db.selectFrom("feed_entries").selectAll().orderBy("feed_date").orderBy("paper_id").execute(),
  };
}

for (const kind of databaseKinds) {
  describe(`paperboy ingest file on ${kind.kind}`, { skip: kind.skip }, () => {
    const databases: TestDatabase[] = [];
    const newDatabase = async () => {
      const db = await kind.create();
      databases.push(db);
      return db;
    };
    after(async () => {
      for (const db of databases) await db.dispose();
    });

    test("reports broken lines with file and line number, loads the rest, and is idempotent", async () => {
      const lines = Array.from({ length: 40 }, (_, i) => listingLine(i));
      lines[2] = '{"id": "2505.00002", "title": ';
      lines[9] = JSON.stringify({ ...JSON.parse(listingLine(9)), id: "not-an-id" });
      const file = writeLines("broken.jsonl", lines);
      const db = await newDatabase();

      const first = await runCli(["ingest", "file", file], { DATABASE_URL: db.url });
      assert.equal(first.code, 1, first.stderr);
      assert.match(first.stderr, /broken\.jsonl:3: invalid JSON/);
      assert.match(first.stderr, /broken\.jsonl:10: id "not-an-id" is not an arXiv id/);
      assert.match(first.stdout, /loaded 38, updated 0, unchanged 0, failed 2/);

      const second = await runCli(["ingest", "file", file], { DATABASE_URL: db.url });
      assert.match(second.stdout, /loaded 0, updated 0, unchanged 38, failed 2/);

      const stats = await runCli(["stats", "--json"], { DATABASE_URL: db.url });
      assert.equal(stats.code, 0, stats.stderr);
      assert.equal(JSON.parse(stats.stdout).papers, 38);
    });

    test("a run killed with -9 and rerun ends with the same rows as an uninterrupted run", async () => {
      const total = 8000;
      const file = writeLines(
        "bulk.jsonl.gz",
        Array.from({ length: total }, (_, i) => listingLine(i)),
        true,
      );
      const reference = await newDatabase();
      const clean = await runCli(["ingest", "file", file], { DATABASE_URL: reference.url });
      assert.equal(clean.code, 0, clean.stderr);
      assert.match(clean.stdout, new RegExp(`loaded ${total}, updated 0, unchanged 0, failed 0`));

      const crashed = await newDatabase();
      const observer = await crashed.open();
      let storedAtKill: number;
      try {
        const child = startCli(["ingest", "file", file], { DATABASE_URL: crashed.url });
        const exited = new Promise((resolve) => child.on("close", resolve));
        // Kill as soon as the first batch (and its checkpoint) is durable: mid-run, not at the end.
        while ((await observer.papers.count()) === 0) await sleep(10);
        child.kill("SIGKILL");
        await exited;
        storedAtKill = await observer.papers.count();
      } finally {
        await observer.close();
      }
      assert.ok(storedAtKill > 0 && storedAtKill < total, `killed after ${storedAtKill} of ${total} papers`);

      const resumed = await runCli(["ingest", "file", file], { DATABASE_URL: crashed.url });
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /interrupted; resuming/);

      const [expected, actual] = await Promise.all(
        [reference, crashed].map(async (db) => {
          const store = await db.open();
          try {
            return await dump(store);
          } finally {
            await store.close();
          }
        }),
      );
      assert.equal(actual?.papers.length, total);
      assert.deepEqual(actual, expected);

      const again = await runCli(["ingest", "file", file], { DATABASE_URL: crashed.url });
      assert.match(again.stdout, new RegExp(`loaded 0, updated 0, unchanged ${total}, failed 0`));
    });
  });
}

describe("paperboy ingest: bad arguments", () => {
  let url: string;
  before(() => {
    url = `sqlite:${path.join(workDir, "args.db")}`;
  });

  test("names the problem and exits 2", async () => {
    const missing = await runCli(["ingest", "file", path.join(workDir, "nope.jsonl")], { DATABASE_URL: url });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.jsonl: no such file/);

    const unknown = await runCli(["ingest", "ftp", "x"], { DATABASE_URL: url });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown source "ftp"/);

    const badConfig = await runCli(["stats"], { DATABASE_URL: "mysql://x" });
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /DATABASE_URL "mysql:\/\/x" is not supported/);

    const help = await runCli(["ingest", "--help"], { DATABASE_URL: url });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /paperboy ingest file PATH/);
  });
});
