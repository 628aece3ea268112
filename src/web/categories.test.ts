import assert from "node:assert/strict";
import { test } from "node:test";
import { readJsonLines } from "../ingest/file-source.ts";
import { DEMO_CORPUS } from "../server/demo.ts";
import { categoryLabel, categoryName } from "./categories.ts";

test("names arXiv categories and archives, falling back to the id", () => {
  assert.equal(categoryName("cs.CL"), "Computation and Language");
  assert.equal(categoryName("stat.ML"), "Machine Learning");
  assert.equal(categoryName("eess.IV"), "Image and Video Processing");
  assert.equal(categoryName("math.OC"), "Optimization and Control");
  assert.equal(categoryName("cs"), "Computer Science");
  assert.equal(categoryName("cs.XX"), "cs.XX");
  assert.equal(categoryName("constructor"), "constructor", "only the map's own entries");
  assert.equal(categoryLabel("hep-th"), "High Energy Physics - Theory (hep-th)");
  assert.equal(categoryLabel("cs.XX"), "cs.XX");
});

test("knows every category in the demo corpus", async () => {
  const unnamed = new Set<string>();
  for await (const item of readJsonLines(DEMO_CORPUS)) {
    if (!("record" in item)) continue;
    for (const category of item.record.categories ?? []) {
      if (categoryName(category) === category) unnamed.add(category);
    }
  }
  assert.deepEqual([...unnamed], []);
});
