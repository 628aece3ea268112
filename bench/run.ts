/**
 * `npm run bench [-- --papers N] [-- --search-db sqlite:FILE]`: speed figures as ratios against
 * baselines measured in the same run, so they mean the same on any machine. PostgreSQL ingest
 * figures are added when DATABASE_URL names a PostgreSQL database (a private schema is created
 * and dropped). Search is measured on --search-db (e.g. the embedded 75k corpus), or else on a
 * scratch SQLite database built from the first N papers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { databaseKinds } from "../test/support/databases.ts";
import { benchIngest } from "./ingest.ts";
import { benchPages } from "./pages.ts";
import { benchSearch, buildSearchCorpus } from "./search-latency.ts";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "20000" },
    "search-db": { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const papers = Number(values.papers);
if (!Number.isInteger(papers) || papers < 1000)
  throw new Error(`--papers "${values.papers}" must be a whole number ≥ 1000`);

const postgres = databaseKinds.find((k) => k.kind === "postgres" && !k.skip);
const pg = postgres ? await postgres.create() : undefined;
try {
  await benchIngest(papers, pg?.url);
} finally {
  await pg?.dispose();
}
console.log();
const pagesPg = postgres ? await postgres.create() : undefined;
try {
  await benchPages(papers, pagesPg?.url);
} finally {
  await pagesPg?.dispose();
}

console.log();
if (values["search-db"]) {
  await benchSearch(values["search-db"], Number(values.rounds));
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-bench-search-"));
  try {
    const url = `sqlite:${path.join(dir, "paperboy.db")}`;
    await buildSearchCorpus(url, papers);
    await benchSearch(url, Number(values.rounds));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
