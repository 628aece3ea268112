import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { parseDatabaseUrl } from "../src/config/index.ts";
import { Store } from "../src/store/index.ts";
import { repoRoot, runCli } from "./support/cli.ts";
import { databaseKinds } from "./support/databases.ts";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-cli-"));
after(() => fs.rmSync(workDir, { recursive: true, force: true }));
const demoDay = path.join(repoRoot, "test/fixtures/hf-daily-2026-08-21.json");

describe("paperboy command line", () => {
  test("every command explains itself with --help, and unknown ones are named", async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(workDir, "help.db")}` };
    const overview = await runCli(["--help"], env);
    assert.equal(overview.code, 0);
    for (const command of ["serve", "ingest", "migrate", "stats", "backup", "worker", "digest"]) {
      assert.match(overview.stdout, new RegExp(`\\n  ${command} `));
      const help = await runCli([command, "--help"], env);
      assert.equal(help.code, 0, `${command} --help`);
      assert.match(help.stdout, new RegExp(`Usage: paperboy ${command}`));
    }
    const unknown = await runCli(["frobnicate"], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const badOption = await runCli(["stats", "--colour"], env);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--colour/);
    assert.equal(fs.existsSync(path.join(workDir, "help.db")), false, "asking for help touches no database");
  });

  for (const kind of databaseKinds) {
    test(`migrate, ingest hf-daily and stats on ${kind.kind}`, { skip: kind.skip }, async () => {
      const db = await kind.create();
      try {
        const migrate = await runCli(["migrate"], { DATABASE_URL: db.url });
        assert.equal(migrate.code, 0, migrate.stderr);
        assert.match(migrate.stdout, /applied 001_papers_and_feed/);
        assert.match((await runCli(["migrate"], { DATABASE_URL: db.url })).stdout, /is up to date/);

        const ingest = await runCli(["ingest", "hf-daily", demoDay], { DATABASE_URL: db.url });
        assert.equal(ingest.code, 0, ingest.stderr);
        assert.match(ingest.stdout, /loaded 17, updated 0, unchanged 0, failed 0/);

        const stats = await runCli(["stats", "--json"], { DATABASE_URL: db.url });
        const figures = JSON.parse(stats.stdout);
        assert.equal(figures.papers, 17);
        assert.equal(figures.feedDays, 1);
        assert.equal(figures.lastFeedDay, "2026-08-21");
        assert.ok(figures.authors > 17);
        assert.equal(figures.database.startsWith(kind.kind), true);

        assert.equal(figures.vectors, 0, "nothing embedded yet");

        assert.equal((await runCli(["embed"], { DATABASE_URL: db.url })).code, 0);
        const embedded = JSON.parse((await runCli(["stats", "--json"], { DATABASE_URL: db.url })).stdout);
        assert.equal(embedded.vectors, 17);
        const otherEmbedder = {
          DATABASE_URL: db.url,
          PAPERBOY_EMBEDDER: "openai",
          PAPERBOY_EMBEDDINGS_URL: "http://127.0.0.1:9/v1",
          PAPERBOY_EMBEDDINGS_MODEL: "some-model",
        };
        const switched = JSON.parse((await runCli(["stats", "--json"], otherEmbedder)).stdout);
        assert.equal(switched.vectors, 0, "vectors of another embedder are not current");

        const text = await runCli(["stats"], { DATABASE_URL: db.url });
        assert.match(text.stdout, /papers\s+17\n/);
        assert.match(text.stdout, /vectors\s+17\n/);
      } finally {
        await db.dispose();
      }
    });
  }

  test("backup copies a SQLite database that opens with the same papers", async () => {
    const url = `sqlite:${path.join(workDir, "live.db")}`;
    assert.equal((await runCli(["ingest", "hf-daily", demoDay], { DATABASE_URL: url })).code, 0);
    const copy = path.join(workDir, "copy.db");
    const backup = await runCli(["backup", copy], { DATABASE_URL: url });
    assert.equal(backup.code, 0, backup.stderr);
    const store = await Store.open(parseDatabaseUrl(`sqlite:${copy}`));
    try {
      assert.equal(await store.papers.count(), 17);
    } finally {
      await store.close();
    }
    const nowhere = await runCli(["backup", path.join(workDir, "missing-dir", "x.db")], { DATABASE_URL: url });
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /directory does not exist/);
  });

  test("backup on PostgreSQL points to pg_dump", async () => {
    const result = await runCli(["backup", path.join(workDir, "x.db")], {
      DATABASE_URL: "postgres://u@127.0.0.1:1/db",
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pg_dump/);
  });
});
