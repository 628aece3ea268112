import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { databaseKinds, withStore } from "../../test/support/databases.ts";
import type { PaperRecord } from "../papers/record.ts";
import { parseQuery } from "./query.ts";

function paper(n: number, title: string, abstract: string): PaperRecord {
  return {
    id: `2403.${String(n).padStart(5, "0")}`,
    title,
    abstract,
    authors: [{ name: "Grace Hopper" }],
    categories: ["cs.CL"],
    publishedAt: "2024-03-01T00:00:00.000Z",
  };
}

describe("questions in plain English", () => {
  it("drops the request for papers and keeps the topic", () => {
    const asked = parseQuery(
      "Could you recommend a study that examines task-agnostic knowledge distillation for compressing language models?",
    );
    assert.deepEqual(asked.query.anyWords, [
      "task",
      "agnostic",
      "knowledge",
      "distillation",
      "compressing",
      "language",
      "models",
    ]);
    assert.doesNotMatch(asked.topic, /recommend|study|examines/);
    for (const opening of [
      "Are there any papers on graph coloring heuristics?",
      "I am looking for research on graph coloring heuristics",
      "What studies have been conducted on graph coloring heuristics?",
    ]) {
      assert.deepEqual(parseQuery(opening).query.anyWords, ["graph", "coloring", "heuristics"], opening);
    }
  });

  it("leaves topics alone: a query that is not a question, quoted phrases and fields keep every word", () => {
    assert.deepEqual(parseQuery("literature review of study design").query.anyWords, [
      "literature",
      "review",
      "study",
      "design",
    ]);
    const quoted = parseQuery('Are there papers on "research software" citations?');
    assert.deepEqual(quoted.query.phrases, [["research", "software"]]);
    assert.deepEqual(parseQuery("Are there any papers on recommendation systems?").query.anyWords, [
      "recommendation",
      "systems",
    ]);
  });
});

for (const kind of databaseKinds) {
  describe(`questions ranked on ${kind.kind}`, { skip: kind.skip }, () => {
    it("ranks the paper on the question's topic first, not papers sharing its request words", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch([
          paper(1, "Recommend what to read: a study of paper recommendation", "We recommend papers to researchers."),
          paper(2, "Distilling language models", "Task-agnostic knowledge distillation compresses language models."),
          paper(3, "Language models at scale", "Scaling laws for language models."),
        ]);
        const { query } = parseQuery(
          "Could you recommend a study on compressing language models with task-agnostic distillation?",
        );
        const ranked = (await store.search.keyword(query)).hits.map((h) => h.id);
        assert.equal(ranked[0], "2403.00002");
        assert.ok(!ranked.includes("2403.00001"), `the recommender paper matched: ${ranked.join(", ")}`);
      }));
  });
}
