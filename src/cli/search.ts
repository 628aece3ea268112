import { type SearchMode, type SearchSort, search, searchModes } from "../search/index.ts";
import { queryEmbedderFor } from "../search/query-embedder.ts";
import { Store } from "../store/index.ts";
import { type Command, integerOption, parseCommandArgs, UsageError } from "./command.ts";

const sorts: SearchSort[] = ["relevance", "date", "upvotes"];

export const searchCommand: Command = {
  name: "search",
  summary: "Search papers from the command line",
  help: [
    'Usage: paperboy search "QUERY" [--mode keyword|semantic|hybrid] [--sort relevance|date|upvotes] [--limit N] [--json]',
    "",
    'QUERY takes the search box syntax: "exact phrase", -exclude, author:NAME, cat:cs.CL,',
    "title:WORD, after:2024-01 and before:2025. An arXiv id or link finds that paper.",
    '--json prints [{"id","title","score"}] for scripts. Default mode hybrid, limit 10.',
  ].join("\n"),
  async run(args, config) {
    const { values, positionals } = parseCommandArgs(args, {
      mode: { type: "string" },
      sort: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
    });
    const text = positionals.join(" ").trim();
    if (!text) throw new UsageError("search needs a QUERY");
    const mode = values.mode as SearchMode | undefined;
    if (mode && !searchModes.includes(mode))
      throw new UsageError(`--mode "${mode}" must be one of ${searchModes.join(", ")}`);
    const sort = values.sort as SearchSort | undefined;
    if (sort && !sorts.includes(sort)) throw new UsageError(`--sort "${sort}" must be one of ${sorts.join(", ")}`);
    const limit = integerOption(values.limit, "limit", 1, 1000) ?? 10;
    const store = await Store.open(config.database);
    try {
      const embedder = queryEmbedderFor(config.embedder, (error, message) =>
        process.stderr.write(`search: ${message}: ${error instanceof Error ? error.message : String(error)}\n`),
      );
      const outcome = await search(store, text, { mode, sort, limit, embedder });
      const rows =
        outcome.kind === "paper"
          ? [{ id: outcome.id, title: (await store.papers.get(outcome.id))?.title ?? "", score: 1 }]
          : outcome.hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: Number(h.score.toFixed(6)) }));
      if (values.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      if (outcome.kind === "results") {
        for (const message of [...outcome.problems, ...outcome.notices]) process.stderr.write(`note: ${message}\n`);
        process.stderr.write(`${outcome.total.toLocaleString("en-US")} results (${outcome.mode})\n`);
      }
      rows.forEach((row, i) => {
        process.stdout.write(`${String(i + 1).padStart(3)}. ${row.id.padEnd(16)} ${row.title}\n`);
      });
      return 0;
    } finally {
      await store.close();
    }
  },
};
