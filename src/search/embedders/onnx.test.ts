import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../../test/support/cli.ts";
import { databaseKinds, withStore } from "../../../test/support/databases.ts";
import { writeModelDirectory } from "../../../test/support/onnx-model.ts";
import { ConfigError, loadConfig } from "../../config/index.ts";
import { loadOnnxRuntime, OnnxEmbedder } from "./onnx.ts";

// Each token's hidden state is its row here, so a text's vector is the mean of its tokens' rows:
// the first axis is machine learning, the second biology; [PAD] points far along an axis of its
// own, so any padding that leaked into the mean would show.
const rows: [string, number[]][] = [
  ["[PAD]", [0, 0, 0, 10]],
  ["[UNK]", [0, 0, 1, 0]],
  ["[CLS]", [0.1, 0.1, 0.1, 0]],
  ["[SEP]", [0.1, 0.1, 0.1, 0]],
  ["deep", [1, 0, 0.2, 0]],
  ["neural", [1, 0.1, 0, 0]],
  ["network", [0.9, 0, 0.1, 0]],
  ["##s", [0, 0, 0.1, 0]],
  ["learning", [1, 0.2, 0, 0]],
  ["protein", [0, 1, 0.1, 0]],
  ["folding", [0.1, 1, 0, 0]],
  ["structure", [0.2, 0.8, 0.1, 0]],
  [".", [0, 0, 0.3, 0]],
];
const vocab = rows.map(([token]) => token);
const table = rows.map(([, row]) => row);

// The runtime is the same whichever database holds the vectors.
const sqlite = databaseKinds.find((kind) => kind.kind === "sqlite");
if (!sqlite) throw new Error("the SQLite test database is missing");

// No ONNX runtime is a dependency (onnxruntime-web is large, and only PAPERBOY_EMBEDDER=onnx
// needs one): CI installs it, so there these tests always run; elsewhere they say how to run them.
const runtimeMissing = await loadOnnxRuntime().then(
  () => undefined,
  (error: Error) => error.message,
);
if (runtimeMissing && process.env.CI) throw new Error(`CI must run the ONNX tests: ${runtimeMissing}`);
const needsRuntime = {
  skip: runtimeMissing && "no ONNX runtime installed: `npm install --no-save onnxruntime-web@~1.30.0` to run this test",
};

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

let root: string;
const modelDir = (name: string) => path.join(root, name);

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-onnx-"));
  writeModelDirectory(modelDir("bert"), { vocab, table, tokenizer: "tokenizer.json" });
  writeModelDirectory(modelDir("ids-only"), { vocab, table, tokenizer: "vocab.txt", extraInputs: [] });
  writeModelDirectory(modelDir("short"), { vocab, table, tokenizer: "vocab.txt" });
  fs.writeFileSync(path.join(modelDir("short"), "sentence_bert_config.json"), JSON.stringify({ max_seq_length: 4 }));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("ONNX sentence-embedding model", () => {
  it("runs a real ONNX model: unit vectors of the model's width, the same every time", needsRuntime, async () => {
    const embedder = await OnnxEmbedder.load(modelDir("bert"));
    const [first, second] = await embedder.embed(["Deep neural networks.", "Deep neural networks."]);
    assert.equal(first?.length, 4);
    assert.ok(Math.abs(dot(first ?? new Float32Array(), first ?? new Float32Array()) - 1) < 1e-6);
    assert.deepEqual(first, second);
    const again = await OnnxEmbedder.load(modelDir("bert"));
    assert.equal(again.id, embedder.id);
    assert.match(embedder.id, /^onnx:bert@[0-9a-f]{12}$/);
    assert.deepEqual(await again.embed(["Deep neural networks."]), [first]);
    assert.deepEqual(await embedder.embed([]), []);
  });

  it("mean-pools over the text's own tokens: padding in a batch does not change a vector", needsRuntime, async () => {
    const embedder = await OnnxEmbedder.load(modelDir("bert"));
    const [alone] = await embedder.embed(["protein"]);
    const long = "deep neural network learning structure folding protein deep neural network learning";
    const batched = await embedder.embed([long, "protein", ...Array(20).fill("deep learning")]);
    assert.deepEqual(batched[1], alone);
    // [CLS] protein [SEP]: the mean of those three rows, normalised.
    const mean = [0.2, 1.2, 0.3, 0].map((x) => x / 3);
    const norm = Math.hypot(...mean);
    assert.deepEqual(
      Array.from(alone ?? [], (x) => x.toFixed(5)),
      mean.map((x) => (x / norm).toFixed(5)),
    );
  });

  it("puts texts on one topic closer together than texts on different topics", needsRuntime, async () => {
    const embedder = await OnnxEmbedder.load(modelDir("bert"));
    const [deep, neural, protein] = await embedder.embed([
      "Deep neural networks.",
      "Learning neural network structure",
      "Protein folding",
    ]);
    assert.ok(deep && neural && protein);
    assert.ok(dot(deep, neural) > dot(deep, protein) + 0.3, `${dot(deep, neural)} vs ${dot(deep, protein)}`);
  });

  it("feeds only the inputs the model declares, and keeps to the model's token limit", needsRuntime, async () => {
    const idsOnly = await OnnxEmbedder.load(modelDir("ids-only"));
    const bert = await OnnxEmbedder.load(modelDir("bert"));
    assert.deepEqual(await idsOnly.embed(["protein folding"]), await bert.embed(["protein folding"]));
    assert.notEqual(idsOnly.id.split("@")[1], bert.id.split("@")[1], "another model file gets another id");
    // max_seq_length 4 leaves room for two tokens between [CLS] and [SEP].
    const short = await OnnxEmbedder.load(modelDir("short"));
    assert.deepEqual(await short.embed(["deep neural network learning"]), await bert.embed(["deep neural"]));
  });

  it("says what to install when no ONNX runtime is there", async () => {
    await assert.rejects(loadOnnxRuntime(["paperboy-no-such-runtime"]), /npm install onnxruntime-node/);
  });

  it("is chosen by PAPERBOY_EMBEDDER=onnx, whose directory is checked when the configuration loads", () => {
    const config = loadConfig({ PAPERBOY_EMBEDDER: "onnx", PAPERBOY_ONNX_MODEL_DIR: modelDir("bert") });
    assert.deepEqual(config.embedder, { kind: "onnx", modelDir: modelDir("bert") });
    const empty = modelDir("empty");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(root, "model.onnx"), "");
    const cases: [string | undefined, RegExp][] = [
      [undefined, /PAPERBOY_EMBEDDER=onnx needs PAPERBOY_ONNX_MODEL_DIR/],
      [modelDir("nowhere"), /PAPERBOY_ONNX_MODEL_DIR ".*nowhere" is not a directory/],
      [empty, new RegExp(`${path.join(empty, "model.onnx")} is missing`)],
      [root, /has neither tokenizer.json nor vocab.txt/],
    ];
    for (const [dir, message] of cases) {
      assert.throws(
        () => loadConfig({ PAPERBOY_EMBEDDER: "onnx", ...(dir ? { PAPERBOY_ONNX_MODEL_DIR: dir } : {}) }),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    }
  });

  it("paperboy embed and paperboy search use the model when configured", needsRuntime, () =>
    withStore(sqlite, async (store, db) => {
      const paper = (id: string, title: string, abstract: string) => ({
        id,
        title,
        abstract,
        authors: [{ name: "A. Author" }],
        categories: ["cs.LG"],
        publishedAt: "2024-01-01T00:00:00.000Z",
      });
      await store.papers.upsertBatch([
        paper("2401.00001", "Deep neural networks", "Learning deep networks."),
        paper("2401.00002", "Protein folding", "Protein structure."),
        paper("2401.00003", "Neural network learning", "Deep learning."),
      ]);
      const env = { DATABASE_URL: db.url, PAPERBOY_EMBEDDER: "onnx", PAPERBOY_ONNX_MODEL_DIR: modelDir("bert") };
      const embedded = await runCli(["embed"], env);
      assert.equal(embedded.code, 0, embedded.stderr);
      assert.match(embedded.stdout, /embedded 3 papers with onnx:bert@/);
      const found = await runCli(["search", "folding protein structure", "--mode", "semantic", "--json"], env);
      assert.equal(found.code, 0, found.stderr);
      const ids = (JSON.parse(found.stdout) as { id: string }[]).map((row) => row.id);
      assert.equal(ids[0], "2401.00002");
    }),
  );
});
