import { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Bring the database schema up to date",
  help: "Usage: paperboy migrate\n\nApplies pending schema migrations to DATABASE_URL (serve does this on start too).",
  async run(args, config) {
    parseCommandArgs(args, {}, false);
    const store = await Store.open(config.database, { migrate: false });
    try {
      const applied = await store.migrate();
      process.stdout.write(
        applied.length
          ? `applied ${applied.join(", ")} to ${store.description}\n`
          : `${store.description} is up to date\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
