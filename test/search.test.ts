import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import { OpenAiEmbedder } from "../src/search/embedders/openai.ts";
import { search, similarPapers } from "../src/search/index.ts";
import { embedPapers, trainBuiltinEmbedder } from "../src/search/indexing.ts";
import { queryEmbedderOf } from "../src/search/query-embedder.ts";
import type { Store } from "../src/store/index.ts";
import { runCli } from "./support/cli.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const topics: [string, string, string][] = [
  [
    "2401.00001",
    "Protein folding with deep networks",
    "We predict protein structure and folding from amino acid sequences.",
  ],
  [
    "2401.00002",
    "Amino acid sequence models",
    "Predicting protein structure from amino acid sequences with attention.",
  ],
  ["2401.00003", "Folding proteins in simulation", "Protein folding simulations of amino acid chains and structure."],
  [
    "2401.00004",
    "Galaxy formation simulations",
    "Dark matter halos shape galaxy formation in cosmological simulations.",
  ],
  ["2401.00005", "Dark matter in galaxy clusters", "Telescope surveys of galaxy clusters constrain dark matter halos."],
  ["2401.00006", "A telescope survey of galaxies", "We survey distant galaxies and clusters with a new telescope."],
  ["2401.00007", "Machine translation with language models", "Large language models translate text between languages."],
  ["2401.00008", "Language models as translators", "Translation quality of large language models on many languages."],
  [
    "2401.00009",
    "Tokenization for language models",
    "How text is split into tokens changes what language models learn.",
  ],
];

const corpus: PaperRecord[] = topics.map(([id, title, abstract], i) => ({
  id,
  title,
  abstract,
  authors: [{ name: i < 3 ? "Rosalind Franklin" : "Vera Rubin" }],
  categories: [i < 3 ? "q-bio.BM" : i < 6 ? "astro-ph.GA" : "cs.CL"],
  publishedAt: `2024-01-0${i + 1}T00:00:00.000Z`,
}));

const proteinPapers = new Set(["2401.00001", "2401.00002", "2401.00003"]);

async function results(store: Store, text: string, options: Parameters<typeof search>[2] = {}) {
  const outcome = await search(store, text, options);
  assert.equal(outcome.kind, "results");
  return outcome;
}

for (const kind of databaseKinds) {
  describe(`search and discovery on ${kind.kind}`, { skip: kind.skip }, () => {
    it("jumps to a paper named by id or link, and says when it is not in the archive", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        for (const text of [
          "2401.00002",
          "arXiv:2401.00002v3",
          "https://arxiv.org/abs/2401.00002",
          "huggingface.co/papers/2401.00002",
        ]) {
          assert.deepEqual(await search(store, text), { kind: "paper", id: "2401.00002" });
        }
        const missing = await results(store, "https://arxiv.org/pdf/2401.09999v1");
        assert.equal(missing.unknownId, "2401.09999");
      }));

    it("finds papers by keyword before any embedding, with highlighted titles and snippets", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        const found = await results(store, "folding");
        assert.equal(found.mode, "keyword");
        assert.deepEqual(found.notices, []);
        assert.deepEqual(new Set(found.hits.map((h) => h.paper.id)), new Set(["2401.00001", "2401.00003"]));
        const first = found.hits.find((h) => h.paper.id === "2401.00003");
        assert.deepEqual(first?.title, [
          { text: "Folding", match: true },
          { text: " proteins in simulation", match: false },
        ]);
        assert.ok(first?.snippet.some((part) => part.match && part.text === "folding"));

        const asked = await results(store, "folding", { mode: "semantic" });
        assert.equal(asked.mode, "keyword");
        assert.match(asked.notices[0] ?? "", /paperboy embed/);
        const bad = await results(store, "folding after:yesterday");
        assert.match(bad.problems[0] ?? "", /after: wants a date/);
      }));

    it("ranks by meaning once embedded: topic matches without the words, and similar papers", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        const progress: number[] = [];
        // Three topics, so three dimensions: a corpus this small has no room for more.
        const embedder = await trainBuiltinEmbedder(store, { rank: 3 });
        const done = await embedPapers(store, embedder, {
          batchSize: 4,
          onProgress: (p) => progress.push(p.done),
        });
        assert.deepEqual(done, { done: 9, total: 9 });
        assert.deepEqual(progress, [4, 8, 9]);

        const semantic = await results(store, "folding", { mode: "semantic", limit: 3 });
        assert.equal(semantic.mode, "semantic");
        assert.deepEqual(new Set(semantic.hits.map((h) => h.paper.id)), proteinPapers);

        // Hybrid keeps the keyword matches on top and adds the paper that never says "folding".
        const hybrid = await results(store, "folding", { limit: 3 });
        assert.equal(hybrid.mode, "hybrid");
        assert.deepEqual(new Set(hybrid.hits.map((h) => h.paper.id)), proteinPapers);
        assert.equal(hybrid.hits[2]?.paper.id, "2401.00002");

        // Conditions a keyword index must check still hold in hybrid mode.
        const filtered = await results(store, "folding -simulation");
        assert.deepEqual(
          filtered.hits.map((h) => h.paper.id),
          ["2401.00001"],
        );
        const inCategory = await results(store, "galaxy cat:astro-ph", { mode: "semantic" });
        assert.ok(inCategory.hits.every((h) => h.paper.categories[0] === "astro-ph.GA"));

        // Words the model never saw give no direction: no semantic guesses, just no results.
        for (const mode of ["semantic", "hybrid"] as const) {
          const unknown = await results(store, "zzzqx", { mode });
          assert.deepEqual(unknown.hits, [], mode);
          assert.equal(unknown.total, 0, mode);
        }

        const similar = await similarPapers(store, "2401.00004", 2);
        assert.equal(similar.length, 2);
        assert.ok(similar.every((s) => s.paper.id !== "2401.00004" && s.paper.categories[0] === "astro-ph.GA"));
        assert.deepEqual(await similarPapers(store, "2401.09999"), []);

        // New papers are embedded incrementally, and join the similar papers shown since.
        const folding = async () => (await similarPapers(store, corpus[0]?.id ?? "", 5)).map((s) => s.paper.id);
        assert.ok(!(await folding()).includes("2401.00010"));
        await store.papers.upsertBatch([
          { ...corpus[0], id: "2401.00010", title: "More protein folding" } as PaperRecord,
        ]);
        assert.deepEqual(await embedPapers(store, embedder), { done: 1, total: 1 });
        assert.equal((await folding())[0], "2401.00010");
      }));

    it("uses an OpenAI-compatible embeddings server", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(corpus);
        // A stand-in server: one dimension per topic, from the words it sees.
        const requests: { model: string; input: string[]; auth?: string }[] = [];
        const server = http.createServer((req, res) => {
          let body = "";
          req.on("data", (c) => {
            body += c;
          });
          req.on("end", () => {
            const parsed = JSON.parse(body) as { model: string; input: string[] };
            requests.push({ ...parsed, auth: req.headers.authorization });
            const vector = (t: string) => [
              /protein|folding/i.test(t) ? 1 : 0,
              /galax/i.test(t) ? 1 : 0,
              /language/i.test(t) ? 1 : 0.01,
            ];
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ data: parsed.input.map((t, index) => ({ index, embedding: vector(t) })) }));
          });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          const { port } = server.address() as AddressInfo;
          const embedder = new OpenAiEmbedder({ url: `http://127.0.0.1:${port}/v1`, model: "tiny", apiKey: "k" });
          await embedPapers(store, embedder);
          assert.equal(requests[0]?.model, "tiny");
          assert.equal(requests[0]?.auth, "Bearer k");
          const found = await results(store, "galaxies", {
            mode: "semantic",
            limit: 3,
            embedder: queryEmbedderOf(embedder),
          });
          assert.deepEqual(
            new Set(found.hits.map((h) => h.paper.id)),
            new Set(["2401.00004", "2401.00005", "2401.00006"]),
          );
          const broken = new OpenAiEmbedder(
            { url: `http://127.0.0.1:${port}/nowhere`, model: "tiny" },
            async () => new Response("no", { status: 404 }),
          );
          await assert.rejects(broken.embed(["x"]), /answered 404/);
        } finally {
          server.close();
        }
      }));

    it("paperboy embed and paperboy search --json work from the command line", () =>
      withStore(kind, async (store, db) => {
        await store.papers.upsertBatch(corpus);
        const env = { DATABASE_URL: db.url };
        const embedded = await runCli(["embed"], env);
        assert.equal(embedded.code, 0, embedded.stderr);
        assert.match(embedded.stdout, /embedded 9 papers/);
        const found = await runCli(["search", "galaxy clusters", "--limit", "2", "--json"], env);
        assert.equal(found.code, 0, found.stderr);
        const rows = JSON.parse(found.stdout) as { id: string; title: string; score: number }[];
        assert.equal(rows.length, 2);
        assert.deepEqual(Object.keys(rows[0] ?? {}), ["id", "title", "score"]);
        assert.equal(rows[0]?.id, "2401.00005");
        const jump = await runCli(["search", "arxiv.org/abs/2401.00007", "--json"], env);
        assert.deepEqual(JSON.parse(jump.stdout), [{ id: "2401.00007", title: corpus[6]?.title, score: 1 }]);
        const wrong = await runCli(["search", "x", "--mode", "fuzzy"], env);
        assert.equal(wrong.code, 2);
        assert.match(wrong.stderr, /--mode "fuzzy"/);
      }));
  });
}
