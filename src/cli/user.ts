import pino from "pino";
import type { Accounts } from "../community/accounts.ts";
import { CommunityError } from "../community/index.ts";
import type { Config } from "../config/index.ts";
import { communityFor } from "../server/community.ts";
import { type Role, Store } from "../store/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

const roles: Role[] = ["user", "moderator", "admin"];

/** Runs `fn` with the accounts service over the configured database; a refused rule is a usage error. */
export async function withAccounts<T>(
  config: Config,
  fn: (accounts: Accounts, store: Store) => Promise<T>,
): Promise<T> {
  const store = await Store.open(config.database);
  try {
    const community = communityFor({ store, config, logger: pino({ level: "silent" }) });
    return await fn(community.accounts, store);
  } catch (error) {
    if (error instanceof CommunityError) throw new UsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/** The first line of standard input: a password piped in never shows in `ps` or the shell's history. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter, then Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (password === "") throw new UsageError("--password-stdin: standard input held no password");
  return password;
}

function roleOption(value: string | undefined): Role {
  const role = roles.find((r) => r === (value ?? "user"));
  if (!role) throw new UsageError(`--role "${value}" must be one of ${roles.join(", ")}`);
  return role;
}

export const userCommand: Command = {
  name: "user",
  summary: "Create accounts and set their roles",
  help: [
    "Usage: paperboy user create --username NAME --email ADDRESS --password-stdin [--role user|moderator|admin]",
    "       paperboy user role --username NAME --role user|moderator|admin",
    "",
    "create makes a verified account (no mail is sent); the password is read from the first line of",
    "standard input, e.g.  printf '%s\\n' \"$PASSWORD\" | paperboy user create --username ada \\",
    "  --email ada@example.org --password-stdin --role admin",
    "role changes the role of an existing account: moderators can delete any comment; admins too.",
  ].join("\n"),
  async run(args, config) {
    const [action, ...rest] = args;
    if (action === "create") {
      const { values } = parseCommandArgs(
        rest,
        {
          username: { type: "string" },
          email: { type: "string" },
          "password-stdin": { type: "boolean" },
          role: { type: "string" },
        },
        false,
      );
      if (!values.username) throw new UsageError("user create needs --username");
      if (!values.email) throw new UsageError("user create needs --email");
      if (!values["password-stdin"]) {
        throw new UsageError("user create needs --password-stdin (the password is never taken from the command line)");
      }
      const role = roleOption(values.role);
      const password = await readPasswordFromStdin();
      const user = await withAccounts(config, (accounts) =>
        accounts.createUser({ username: values.username ?? "", email: values.email ?? "", password, role }),
      );
      process.stdout.write(`created ${user.role} ${user.username} <${user.email}>, verified\n`);
      return 0;
    }
    if (action === "role") {
      const { values } = parseCommandArgs(rest, { username: { type: "string" }, role: { type: "string" } }, false);
      if (!values.username) throw new UsageError("user role needs --username");
      if (!values.role) throw new UsageError("user role needs --role");
      const role = roleOption(values.role);
      const user = await withAccounts(config, async (_, store) => {
        const found = await store.users.byUsername(values.username ?? "");
        if (!found || found.deleted) throw new UsageError(`no account named "${values.username}"`);
        await store.users.setRole(found.id, role);
        return found;
      });
      process.stdout.write(`${user.username} is now ${role === "admin" ? "an admin" : `a ${role}`}\n`);
      return 0;
    }
    throw new UsageError(
      action ? `unknown action "${action}": use create or role` : "user needs an action: create or role",
    );
  },
};
