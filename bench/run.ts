/**
 * `npm run bench [-- --papers N]`: speed figures as ratios against baselines measured in the
 * same run, so they mean the same on any machine. PostgreSQL figures are added when
 * DATABASE_URL names a PostgreSQL database (a private schema is created and dropped).
 */
import { parseArgs } from "node:util";
import { databaseKinds } from "../test/support/databases.ts";
import { benchIngest } from "./ingest.ts";

const { values } = parseArgs({ options: { papers: { type: "string", default: "20000" } } });
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
