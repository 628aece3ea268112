/**
 * `npm run bench -- [--papers N] [--db sqlite|postgres] [--quick]`: Paperboy's speed, memory and
 * size, every figure beside a baseline measured in the same run (see report.ts), printed as one
 * table and written to bench/results.json.
 *
 * It generates a synthetic arXiv of N papers (cached under data/bench/), loads it into a fresh
 * database with bare engine inserts (the baseline) and with `paperboy ingest file`, embeds it
 * with `paperboy embed`, measures search in-process and the site under `paperboy serve`.
 * PostgreSQL needs DATABASE_URL to name a database where the benchmark may create schemas.
 * `--use-db URL` measures a database that is already loaded and embedded (e.g. all of arXiv),
 * skipping ingest and embed; `--corpus FILE` loads a JSON-lines file instead of synthetic papers;
 * `--keep` leaves the databases it made in place (their URLs are printed) for a later `--use-db`;
 * `--baseline-papers N` times the raw baseline on the corpus's first N papers only, into an empty
 * database (so the baseline runs faster than it would over the whole corpus, never slower);
 * `--questions N` times only the first N LitSearch questions (the exhaustive baseline of all 287
 * takes most of an hour at millions of papers).
 * The run is written to results.json after ingest and embed, and again at the end, so a run cut
 * short keeps what it measured; a `--use-db` run adds its figures to the entry of the same
 * database and size, keeping that entry's ingest and embed figures.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDatabaseUrl } from "../src/config/index.ts";
import { Store } from "../src/store/index.ts";
import { databaseKinds, type TestDatabase } from "../test/support/databases.ts";
import { type Corpus, syntheticCorpus } from "./corpus.ts";
import { databaseBytes, paperboyIngest, rawPostgresRate, rawSqliteRate } from "./ingest.ts";
import { benchPages } from "./pages.ts";
import { repoRoot, runPaperboy } from "./processes.ts";
import { Report } from "./report.ts";
import { benchSearchLatency, questions } from "./search.ts";
import { topics as topicQueries } from "./search-latency.ts";

const usage = `Usage: npm run bench -- [--papers N] [--db sqlite|postgres] [--quick] [--seed S]
                       [--corpus FILE] [--use-db URL] [--seconds S] [--rounds R] [--out FILE] [--keep]
                       [--baseline-papers N] [--questions N]`;

const { values } = parseArgs({
  options: {
    papers: { type: "string" },
    db: { type: "string", default: "sqlite" },
    quick: { type: "boolean", default: false },
    seed: { type: "string", default: "1" },
    corpus: { type: "string" },
    "use-db": { type: "string" },
    seconds: { type: "string" },
    rounds: { type: "string" },
    out: { type: "string", default: path.join(repoRoot, "bench", "results.json") },
    keep: { type: "boolean", default: false },
    "baseline-papers": { type: "string" },
    questions: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const whole = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min)
    throw new Error(`--${name} "${value}" must be a whole number ≥ ${min}\n${usage}`);
  return n;
};
const quick = values.quick ?? false;
const papers = whole("papers", values.papers ?? (quick ? "10000" : "20000"), 1000);
const seconds = whole("seconds", values.seconds ?? (quick ? "3" : "10"), 1);
const rounds = whole("rounds", values.rounds ?? (quick ? "1" : "3"), 1);
const questionCount = whole("questions", values.questions ?? (quick ? "30" : "287"), 0);
const dbKind = values["use-db"] ? parseDatabaseUrl(values["use-db"]).kind : values.db;
if (dbKind !== "sqlite" && dbKind !== "postgres") throw new Error(`--db "${values.db}" must be sqlite or postgres`);
const kind = databaseKinds.find((k) => k.kind === dbKind);
if (!kind) throw new Error(`no database kind ${values.db}`);
if (!values["use-db"] && kind.skip) throw new Error(`--db postgres: ${kind.skip}`);

const report = new Report();
const started = Date.now();
const resultsKey = (papersInDb: number) => `${kind.kind} ${quick ? "quick" : `${papersInDb} papers`}`;
const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
const writeResults = (papersInDb: number, extra: Record<string, unknown>) =>
  report.write(
    values.out,
    resultsKey(papersInDb),
    {
      command,
      database: kind.kind,
      papers: papersInDb,
      minutes: Math.round((Date.now() - started) / 6000) / 10,
      ...extra,
    },
    { merge: Boolean(values["use-db"]) },
  );
const created: TestDatabase[] = [];
let store: Store | null = null;
try {
  let url = values["use-db"];
  let corpus: Corpus | null = null;
  let rawBytes: number | null = null;
  if (!url) {
    corpus = values.corpus
      ? { file: values.corpus, papers: 0, bytes: 0, description: values.corpus }
      : await syntheticCorpus(papers, whole("seed", values.seed ?? "1", 0));
    report.context.corpus = corpus.description;

    const baselinePapers = values["baseline-papers"]
      ? whole("baseline-papers", values["baseline-papers"], 1000)
      : Number.POSITIVE_INFINITY;
    const rawDb = await kind.create();
    created.push(rawDb);
    const rawStore = await rawDb.open();
    try {
      const rawRate =
        kind.kind === "sqlite"
          ? await rawSqliteRate(rawStore, corpus, baselinePapers)
          : await rawPostgresRate(rawStore, corpus, baselinePapers);
      // A baseline of part of the corpus says nothing about the whole corpus's size on disk.
      if (!Number.isFinite(baselinePapers))
        rawBytes = await databaseBytes(rawStore, kind.kind === "sqlite" ? "paperboy" : "raw");
      const baselineName = `${kind.kind === "sqlite" ? "prepared INSERTs, same FTS schema" : "COPY, same tables and indexes"}${
        Number.isFinite(baselinePapers) ? `, first ${baselinePapers.toLocaleString("en-US")} papers` : ""
      }`;
      process.stderr.write(`bench: baseline, ${baselineName}: ${Math.round(rawRate)} papers/s\n`);
      const db = await kind.create();
      created.push(db);
      url = db.url;
      if (values.keep) process.stderr.write(`bench: loading ${url} (kept)\n`);
      const log = path.join(repoRoot, "data", "bench", `ingest-${kind.kind}-${papers}.log`);
      const first = await paperboyIngest(corpus, url, log);
      report.context.ingestLog = log;
      if (corpus.papers === 0) {
        const counting = await db.open();
        corpus.papers = await counting.papers.count();
        await counting.close();
      }
      report.higher(
        "ingest",
        `paperboy ingest file, ${corpus.papers.toLocaleString("en-US")} papers`,
        first.rate,
        "papers/s",
        {
          name: baselineName,
          value: rawRate,
        },
        kind.kind === "sqlite" ? 0.8 : 0.5,
      );
      // Reading a few million unchanged papers again says little more than a few hundred thousand do.
      if (corpus.papers <= 500_000) {
        const again = await paperboyIngest(corpus, url, log);
        report.higher("ingest", "the same file again (all unchanged)", again.rate, "papers/s", {
          name: baselineName,
          value: rawRate,
        });
      }
      writeResults(corpus.papers, { partial: "ingest only; embed, search and pages not measured yet" });
      const floor = await runPaperboy(["migrate"], { DATABASE_URL: url, PAPERBOY_LOG_LEVEL: "warn" });
      report.lower("memory", "ingest, peak resident", first.peakRssBytes, "bytes", {
        name: "paperboy migrate (the process alone)",
        value: floor.peakRssBytes,
      });
      const embedLog = fs.createWriteStream(path.join(repoRoot, "data", "bench", `embed-${kind.kind}-${papers}.log`));
      const embedStarted = Date.now();
      const embedded = await runPaperboy(["embed"], { DATABASE_URL: url, PAPERBOY_LOG_LEVEL: "warn" }, (line) =>
        embedLog.write(`${((Date.now() - embedStarted) / 1000).toFixed(1)}s ${line}\n`),
      );
      embedLog.end();
      report.context.embed = {
        seconds: Math.round(embedded.seconds),
        papersPerSecond: Math.round(corpus.papers / embedded.seconds),
        peakRssMiB: Math.round(embedded.peakRssBytes / 1024 / 1024),
      };
      writeResults(corpus.papers, { partial: "ingest and embed only; search and pages not measured yet" });
    } finally {
      await rawStore.close();
    }
  }

  store = await Store.open(parseDatabaseUrl(url));
  const bytes = await databaseBytes(store);
  if (rawBytes !== null) {
    report.lower("size", "database on disk, with vectors", bytes, "bytes", {
      name: kind.kind === "sqlite" ? "the raw baseline's file" : "the raw baseline's tables",
      value: rawBytes,
    });
  } else {
    report.context.databaseBytes = bytes;
  }
  report.context.papers = await store.papers.count();

  await benchSearchLatency(report, store, { rounds, questions: questions(questionCount) });
  await benchPages(report, store, url, { seconds, rounds: quick ? 3 : 9, topics: topicQueries });

  const title = `Paperboy on ${kind.kind}, ${Number(report.context.papers).toLocaleString("en-US")} papers${quick ? " (quick)" : ""}`;
  report.print(title);
  if (report.context.embed) console.log(`\nembed: ${JSON.stringify(report.context.embed)}`);
  writeResults(Number(report.context.papers), {});
  console.log(`\n${path.relative(process.cwd(), values.out)} written (${Math.round((Date.now() - started) / 1000)} s)`);
} finally {
  await store?.close();
  for (const db of created) {
    if (values.keep) console.log(`kept: ${db.url}`);
    else await db.dispose();
  }
}
