import { ConfigError, loadConfig } from "../config/index.ts";
import { backupCommand } from "./backup.ts";
import { type Command, UsageError } from "./command.ts";
import { digestCommand } from "./digest.ts";
import { embedCommand } from "./embed.ts";
import { ingestCommand } from "./ingest.ts";
import { mcpCommand } from "./mcp.ts";
import { migrateCommand } from "./migrate.ts";
import { searchCommand } from "./search.ts";
import { serveCommand } from "./serve.ts";
import { statsCommand } from "./stats.ts";
import { tokenCommand } from "./token.ts";
import { userCommand } from "./user.ts";
import { workerCommand } from "./worker.ts";

const commands: Command[] = [
  serveCommand,
  ingestCommand,
  migrateCommand,
  statsCommand,
  backupCommand,
  mcpCommand,
  embedCommand,
  searchCommand,
  userCommand,
  tokenCommand,
  workerCommand,
  digestCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    "Usage: paperboy <command> [options]",
    "",
    "A self-hostable daily-papers hub for arXiv.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Run `paperboy <command> --help` for a command's options. Configuration comes from the",
    "environment (PORT, DATABASE_URL, PAPERBOY_*): see the README.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`paperboy: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (name !== "ingest" && (args.includes("--help") || args.includes("-h"))) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  if (name === "ingest" && (args.length === 0 || args[0] === "--help" || args[0] === "-h")) {
    process.stdout.write(`${command.help}\n`);
    return args.length === 0 ? 2 : 0;
  }
  try {
    return await command.run(args, loadConfig());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`paperboy ${name}: ${error.message}\nRun \`paperboy ${name} --help\` for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`paperboy: bad configuration: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`paperboy ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
