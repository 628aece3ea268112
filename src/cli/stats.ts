import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const statsCommand: Command = {
  name: "stats",
  summary: "Count papers, feed days and authors",
  help: "Usage: paperboy stats [--json]\n\nPrints what the database holds. --json prints one JSON object.",
  async run(args, config) {
    const { values } = parseCommandArgs(args, { json: { type: "boolean" } }, false);
    const store = await Store.open(config.database);
    try {
      const stats = { ...(await store.stats()), database: store.description };
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
