import type { TokenScope } from "../store/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { withAccounts } from "./user.ts";

export const tokenCommand: Command = {
  name: "token",
  summary: "Create a personal API token for an account",
  help: [
    "Usage: paperboy token create --username NAME [--scope read|write] [--name LABEL]",
    "",
    "Prints a new API token for the account as the last line of output; it is shown only this once",
    "(the database keeps its hash). Send it as `Authorization: Bearer <token>`. The read scope (the",
    "default) reads /api/v1/me; write also votes, comments and submits. Revoke tokens in the account's",
    "settings on the site.",
  ].join("\n"),
  async run(args, config) {
    const [action, ...rest] = args;
    if (action !== "create") {
      throw new UsageError(action ? `unknown action "${action}": use create` : "token needs an action: create");
    }
    const { values } = parseCommandArgs(
      rest,
      { username: { type: "string" }, scope: { type: "string" }, name: { type: "string" } },
      false,
    );
    if (!values.username) throw new UsageError("token create needs --username");
    const scope = (values.scope ?? "read") as TokenScope;
    if (scope !== "read" && scope !== "write") throw new UsageError(`--scope "${values.scope}" must be read or write`);
    const name = values.name ?? "command line";
    const { secret, username } = await withAccounts(config, async (accounts, store) => {
      const user = await store.users.byUsername(values.username ?? "");
      if (!user || user.deleted) throw new UsageError(`no account named "${values.username}"`);
      return { username: user.username, ...(await accounts.createApiToken(user, name, scope)) };
    });
    process.stdout.write(`API token "${name}" (${scope}) for ${username}; it is shown only once:\n${secret}\n`);
    return 0;
  },
};
