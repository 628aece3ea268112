import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import pino from "pino";
import { createMcpServer } from "../mcp/server.ts";
import { queryEmbedderFor } from "../search/query-embedder.ts";
import { loadDemoIfEmpty } from "../server/demo.ts";
import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const mcpCommand: Command = {
  name: "mcp",
  summary: "Serve the papers to an AI assistant over MCP (stdio)",
  help: [
    "Usage: paperboy mcp",
    "",
    "Speaks the Model Context Protocol on standard input and output, for assistants that start",
    "Paperboy themselves (tools: search_papers, get_paper, daily_papers, similar_papers, trending;",
    "resources: paper://ID). Uses DATABASE_URL like every command; an empty database gets the demo",
    "corpus unless PAPERBOY_DEMO=off. `paperboy serve` offers the same over HTTP at /mcp.",
  ].join("\n"),
  async run(args, config) {
    parseCommandArgs(args, {}, false);
    // Standard output carries the protocol, so logs go to standard error.
    const logger = pino({ level: config.logLevel, base: { service: "paperboy-mcp" } }, pino.destination(2));
    const store = await Store.open(config.database, { searchCacheBytes: config.searchCacheBytes });
    if (config.demo) await loadDemoIfEmpty(store, logger, config.embedder);
    const embedder = queryEmbedderFor(config.embedder, (err, message) => logger.warn({ err }, message));
    const server = createMcpServer({ store, baseUrl: config.baseUrl, embedder, logger });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = resolve;
    });
    await server.connect(new StdioServerTransport());
    // The assistant closing our standard input is how a stdio session ends.
    process.stdin.once("end", () => void server.close());
    await closed;
    await store.close();
    return 0;
  },
};
