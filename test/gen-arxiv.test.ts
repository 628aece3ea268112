import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { generateArxiv, type KagglePaper, monthPlan } from "../bench/synthetic-arxiv/generate.ts";
import { readTextModel } from "../bench/synthetic-arxiv/text-model.ts";
import { runCli } from "./support/cli.ts";
import { databaseKinds } from "./support/databases.ts";

const model = readTextModel();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-gen-arxiv-"));
after(() => fs.rmSync(workDir, { recursive: true, force: true }));

const generate = (papers: number, seed: number) => [...generateArxiv(model, { papers, seed })];

/** The month a paper was first submitted, yymm, from its v1 date. */
function submittedYymm(paper: KagglePaper): string {
  const created = new Date(paper.versions[0]?.created ?? "");
  return `${String(created.getUTCFullYear() % 100).padStart(2, "0")}${String(created.getUTCMonth() + 1).padStart(2, "0")}`;
}

describe("the synthetic arXiv generator", () => {
  test("gives the same papers for the same seed, and others for another seed", () => {
    const first = generate(400, 7);
    assert.deepEqual(generate(400, 7), first);
    const other = generate(400, 8);
    assert.equal(other.length, 400);
    assert.notDeepEqual(
      other.map((p) => p.title),
      first.map((p) => p.title),
    );
  });

  test("numbers papers as arXiv did: old style before April 2007, four digits to 2014, five since", () => {
    const papers = generate(5000, 3);
    assert.equal(papers.length, 5000);
    assert.equal(new Set(papers.map((p) => p.id)).size, papers.length, "ids are unique");
    const styles = { old: 0, four: 0, five: 0 };
    for (const paper of papers) {
      const yymm = submittedYymm(paper);
      const year = Number(paper.versions[0]?.created.split(" ")[3]);
      if (year < 2007 || (year === 2007 && Number(yymm.slice(2)) < 4)) {
        assert.match(paper.id, new RegExp(`^[a-z-]+/${yymm}\\d{3}$`), `${paper.id} submitted ${yymm}`);
        assert.equal(paper.categories.split(" ")[0]?.split(".")[0], paper.id.split("/")[0]);
        styles.old += 1;
      } else if (year < 2015) {
        assert.match(paper.id, new RegExp(`^${yymm}\\.\\d{4}$`), `${paper.id} submitted ${yymm}`);
        styles.four += 1;
      } else {
        assert.match(paper.id, new RegExp(`^${yymm}\\.\\d{5}$`), `${paper.id} submitted ${yymm}`);
        styles.five += 1;
      }
    }
    assert.ok(styles.old > 100 && styles.four > 100 && styles.five > 100, JSON.stringify(styles));
    // Growth: the last full year has many times the papers of the first full one.
    const inYear = (y: string) => papers.filter((p) => p.versions[0]?.created.includes(` ${y} `)).length;
    assert.ok(inYear("2025") > 20 * inYear("1993"), `${inYear("1993")} in 1993, ${inYear("2025")} in 2025`);
    assert.ok(new Set(papers.map((p) => p.categories.split(/[ .]/)[0])).size >= 15, "most archives appear");
  });

  test("spreads exactly the requested number of papers over the months", () => {
    for (const papers of [1, 999, 123_457]) {
      assert.equal(
        monthPlan(papers).reduce((sum, m) => sum + m.papers, 0),
        papers,
      );
    }
  });

  test("writes a file that paperboy ingest file loads without a failure", async () => {
    const file = path.join(workDir, "synthetic.jsonl.gz");
    const written = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/synthetic-arxiv/cli.ts", "--papers", "300", "--seed", "5", "--out", file],
      { encoding: "utf8" },
    );
    assert.equal(written.status, 0, written.stderr);
    for (const kind of databaseKinds) {
      if (kind.skip) continue;
      const db = await kind.create();
      try {
        const result = await runCli(["ingest", "file", file], { DATABASE_URL: db.url });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /loaded 300, updated 0, unchanged 0, failed 0/);
        const store = await db.open();
        try {
          assert.equal(await store.papers.count(), 300);
          const oldStyle = generate(300, 5).find((p) => p.id.includes("/"));
          assert.ok(oldStyle, "the sample holds an old-style id");
          const paper = await store.papers.get(oldStyle.id);
          assert.equal(paper?.title, oldStyle.title.replace(/\s+/g, " ").trim());
        } finally {
          await store.close();
        }
      } finally {
        await db.dispose();
      }
    }
  });
});
