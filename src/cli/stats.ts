import { configuredEmbedderId } from "../search/embedders/index.ts";
import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const statsCommand: Command = {
  name: "stats",
  summary: "Count papers, feed days, authors, vectors, subscribers and queued mail",
  help: [
    "Usage: paperboy stats [--json]",
    "",
    "Prints what the database holds, including how many papers have a vector from the configured",
    "embedder (PAPERBOY_EMBEDDER): the rest wait for `paperboy embed`; confirmed digest subscribers,",
    "mail waiting to be sent and mail given up on (`paperboy digest status` tells which and why).",
    "--json prints one JSON object.",
  ].join("\n"),
  async run(args, config) {
    const { values } = parseCommandArgs(args, { json: { type: "boolean" } }, false);
    const store = await Store.open(config.database);
    try {
      const embedder = await configuredEmbedderId(store, config.embedder);
      const vectors = embedder ? await store.vectors.countMadeBy(embedder) : 0;
      const outbox = await store.outbox.depths();
      const subscribers = (await store.subscribers.counts())
        .filter((row) => row.status === "active")
        .reduce((sum, row) => sum + row.subscribers, 0);
      const stats = {
        ...(await store.stats()),
        vectors,
        subscribers,
        mailQueued: outbox.due + outbox.waiting + outbox.sending,
        mailFailed: outbox.failed,
        database: store.description,
      };
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
          ["subscribers", stats.subscribers],
          ["mail queued", stats.mailQueued],
          ["mail failed", stats.mailFailed],
        ];
        for (const [name, value] of rows) {
          process.stdout.write(
            `${name.padEnd(15)} ${typeof value === "number" ? value.toLocaleString("en-US") : (value ?? "-")}\n`,
          );
        }
        if (stats.mailFailed > 0) process.stdout.write("mail was given up on: see `paperboy digest status`\n");
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
