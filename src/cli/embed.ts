import { embeddedPapers } from "../metrics/index.ts";
import { configuredEmbedder } from "../search/embedders/index.ts";
import { type EmbedProgress, embedPapers, trainBuiltinEmbedder } from "../search/indexing.ts";
import { Store } from "../store/index.ts";
import { type Command, integerOption, parseCommandArgs } from "./command.ts";
import { progressReporter, rate } from "./progress.ts";

export const embedCommand: Command = {
  name: "embed",
  summary: "Give papers vectors for semantic search (training the built-in model if needed)",
  help: [
    "Usage: paperboy embed [--retrain] [--rank N]",
    "",
    "Embeds every paper that has no vector yet, so run it after each ingest. With the built-in",
    "embedder (PAPERBOY_EMBEDDER=builtin, the default) it first trains the model on the papers",
    "in the database when there is none; --retrain trains afresh (after a large ingest) and",
    "re-embeds everything. --rank sets the built-in model's dimensions (default 256).",
    "With PAPERBOY_EMBEDDER=onnx it runs the model in PAPERBOY_ONNX_MODEL_DIR instead, and with",
    "PAPERBOY_EMBEDDER=openai it sends the papers to that server.",
  ].join("\n"),
  async run(args, config) {
    const { values } = parseCommandArgs(args, { retrain: { type: "boolean" }, rank: { type: "string" } }, false);
    const rank = integerOption(values.rank, "rank", 2, 2048);
    const store = await Store.open(config.database);
    try {
      const builtin = config.embedder.kind === "builtin";
      let embeddingSince = 0;
      const reporter = progressReporter("embed", (p: EmbedProgress) => {
        if (p.step === "embedding papers") embeddingSince ||= Date.now();
        return {
          done: p.done,
          total: p.total,
          text: `${p.step}: ${p.done.toLocaleString("en-US")} / ${p.total.toLocaleString("en-US")}${
            p.step === "embedding papers" ? ` ${rate(p.done, embeddingSince, "papers")}` : ""
          }`,
        };
      });
      let embedder = builtin && values.retrain ? null : await configuredEmbedder(store, config.embedder);
      if (!embedder) {
        const papers = (await store.papers.count()).toLocaleString("en-US");
        process.stderr.write(`embed: training the built-in model on ${papers} papers\n`);
        embedder = await trainBuiltinEmbedder(store, { rank, onProgress: (p) => reporter.update(p) });
      }
      const result = await embedPapers(store, embedder, { onProgress: (p) => reporter.update(p) });
      reporter.done();
      embeddedPapers.inc(result.done);
      process.stdout.write(`embedded ${result.done} papers with ${embedder.id}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
