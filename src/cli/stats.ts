import { configuredEmbedderId } from "../search/embedders/index.ts";
import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const statsCommand: Command = {
  name: "stats",
  summary: "Count papers, feed days, authors and vectors",
  help: [
    "Usage: paperboy stats [--json]",
    "",
    "Prints what the database holds, including how many papers have a vector from the configured",
    "embedder (PAPERBOY_EMBEDDER): the rest wait for `paperboy embed`. --json prints one JSON object.",
  ].join("\n"),
  async run(args, config) {
    const { values } = parseCommandArgs(args, { json: { type: "boolean" } }, false);
    const store = await Store.open(config.database);
    try {
      const embedder = await configuredEmbedderId(store, config.embedder);
      const vectors = embedder ? await store.vectors.countMadeBy(embedder) : 0;
      const stats = { ...(await store.stats()), vectors, database: store.description };
      if (values.json) {
        process.stdout.write(`${JSON.stringify(stats)}\n`);
      } else {
        const rows: [string, string | number | null][] = [
          ["database", stats.database],
          ["papers", stats.papers],
          ["feed days", stats.feedDays],
          ["feed entries", stats.feedEntries],
          ["authors", stats.authors],
          ["categories", stats.categories],
          ["vectors", stats.vectors],
          ["first feed day", stats.firstFeedDay],
          ["last feed day", stats.lastFeedDay],
        ];
        for (const [name, value] of rows) {
          process.stdout.write(
            `${name.padEnd(15)} ${typeof value === "number" ? value.toLocaleString("en-US") : (value ?? "-")}\n`,
          );
        }
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
