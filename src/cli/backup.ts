import fs from "node:fs";
import path from "node:path";
import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

export const backupCommand: Command = {
  name: "backup",
  summary: "Copy the SQLite database to a file while the site runs",
  help: "Usage: paperboy backup FILE\n\nWrites a consistent copy of the SQLite database to FILE (an online backup: the site\nmay keep running). On PostgreSQL use pg_dump instead.",
  async run(args, config) {
    const { positionals } = parseCommandArgs(args, {});
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError("backup takes exactly one FILE");
    if (config.database.kind !== "sqlite") {
      throw new UsageError('backup works on SQLite; for PostgreSQL run: pg_dump -Fc "$DATABASE_URL" > paperboy.dump');
    }
    if (!fs.existsSync(path.dirname(path.resolve(file))))
      throw new UsageError(`cannot write ${file}: its directory does not exist`);
    const store = await Store.open(config.database);
    try {
      await store.backup(file);
      process.stdout.write(`backed up ${store.description} to ${file}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
