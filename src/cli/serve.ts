import { startServer } from "../server/index.ts";
import { type Command, integerOption, parseCommandArgs, untilSignalled } from "./command.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "Run the web site and APIs",
  help: [
    "Usage: paperboy serve [--port N]",
    "",
    "Serves the site on PORT (default 3000), migrating the database first. With an empty",
    "database and PAPERBOY_DEMO on (the default) it loads the bundled demo corpus and embeds",
    "it for semantic search, as `paperboy embed` would.",
    "Stops gracefully on SIGTERM or SIGINT.",
  ].join("\n"),
  async run(args, config) {
    const { values } = parseCommandArgs(args, { port: { type: "string" } }, false);
    const port = integerOption(values.port, "port", 0, 65535) ?? config.port;
    const server = await startServer({ ...config, port });
    await untilSignalled(() => server.close());
    return 0;
  },
};
