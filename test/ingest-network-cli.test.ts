import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startFixtureServer } from "./support/arxiv-fixture-server.ts";
import {
  multiVersionRecord,
  oaiHarvest,
  oaiListRecords,
  oaiResponder,
  oldStyleRecord,
} from "./support/arxiv-fixtures.ts";
import { runCli } from "./support/cli.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const paperboy = (args: string[], databaseUrl: string) => runCli(args, { DATABASE_URL: databaseUrl });

const cleanHarvest = new Map([
  [null, oaiListRecords([multiVersionRecord, oldStyleRecord], { value: "", cursor: 0, size: 2 })],
]);

for (const kind of databaseKinds) {
  describe(`paperboy ingest oai on ${kind.kind}`, { skip: kind.skip }, () => {
    test("exit code 0 when every record loads, 1 when one failed, naming where", async () => {
      const clean = await startFixtureServer(oaiResponder(cleanHarvest));
      const withBadRecord = await startFixtureServer(oaiResponder(oaiHarvest));
      try {
        await withStore(kind, async (_store, db) => {
          const ok = await paperboy(
            ["ingest", "oai", "--from", "2025-01-01", "--endpoint", `${clean.url}/oai`],
            db.url,
          );
          assert.equal(ok.code, 0, ok.stderr);
          assert.match(ok.stdout, /^loaded 2, updated 0, unchanged 0, failed 0$/m);

          const bad = await paperboy(
            ["ingest", "oai", "--from", "2025-01-01", "--endpoint", `${withBadRecord.url}/oai`],
            db.url,
          );
          assert.equal(bad.code, 1, bad.stderr);
          assert.match(bad.stdout, /^loaded 2, updated 0, unchanged 2, failed 1$/m);
          assert.match(bad.stderr, /error: OAI page 2 record 2 \(oai:arXiv\.org:2501\.00012\): title is missing/);
        });
      } finally {
        await clean.close();
        await withBadRecord.close();
      }
    });

    test("a harvest cut off on page 2 resumes there when rerun", async () => {
      const server = await startFixtureServer(oaiResponder(oaiHarvest, { failOnce: "6960524|2" }));
      try {
        await withStore(kind, async (_store, db) => {
          const args = ["ingest", "oai", "--from", "2025-01-01", "--endpoint", `${server.url}/oai`];
          const crashed = await paperboy(args, db.url);
          assert.equal(crashed.code, 1);
          assert.match(
            crashed.stderr,
            /cannot fetch http:\/\/127\.0\.0\.1:\d+\/oai\?verb=ListRecords&resumptionToken=/,
          );

          const rerun = await paperboy(args, db.url);
          assert.match(rerun.stderr, /resuming an interrupted harvest at resumption token 6960524\|2/);
          assert.match(rerun.stdout, /^loaded 2, updated 0, unchanged 0, failed 1$/m);
          const stats = await paperboy(["stats", "--json"], db.url);
          assert.equal(JSON.parse(stats.stdout).papers, 4);
        });
      } finally {
        await server.close();
      }
    });
  });
}

describe("paperboy ingest oai and arxiv-api arguments", () => {
  const sqlite = databaseKinds.find((k) => k.kind === "sqlite");
  test("bad arguments are named, exit code 2", async () => {
    assert.ok(sqlite);
    await withStore(sqlite, async (_store, db) => {
      const cases: [string[], RegExp][] = [
        [["ingest", "oai"], /needs --from YYYY-MM-DD/],
        [["ingest", "oai", "--from", "2025-02-30"], /--from "2025-02-30" must be a date written YYYY-MM-DD/],
        [["ingest", "oai", "--from", "2025-02-03", "--until", "2025-02-01"], /--until 2025-02-01 is before --from/],
        [["ingest", "oai", "--from", "2025-02-03", "--endpoint", "ftp://x"], /--endpoint "ftp:\/\/x" must start/],
        [["ingest", "arxiv-api"], /needs --query/],
        [["ingest", "arxiv-api", "--query", "cat:cs.CL", "--max", "0"], /--max "0" must be a whole number/],
      ];
      for (const [args, message] of cases) {
        const run = await paperboy(args, db.url);
        assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, message);
      }
    });
  });
});
