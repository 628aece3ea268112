import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Config } from "../config/index.ts";

/** A wrong argument or option: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(args: string[], config: Config): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with errors turned into UsageErrors that name the bad option. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** A whole number option, checked against its bounds. */
export function integerOption(
  value: string | undefined,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

/** An http(s) URL option, such as the endpoint of a remote service. */
export function urlOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} "${value}" is not a URL like https://example.org/path`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--${name} "${value}" must start with http:// or https://`);
  return url.href;
}

/** Resolves once SIGTERM or SIGINT has come and `stop` has finished (or failed): the end of a long-running command. */
export function untilSignalled(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = () => {
      stop().then(resolve, resolve);
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
}
