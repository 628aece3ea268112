import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A child's environment: only `env` beside what finding programs needs, and quiet logs unless asked. */
const childEnvironment = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  PAPERBOY_LOG_LEVEL: "warn",
  ...env,
});

/** Starts `paperboy <args>` as a user would, with its own environment and, optionally, standard input. */
export function startCli(args: string[], env: Record<string, string>, input?: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), ...args], {
    cwd: repoRoot,
    env: childEnvironment(env),
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (input !== undefined) child.stdin?.end(input);
  return child;
}

/** Starts the installed command, `bin/paperboy.js <args>`, from a directory that is not the project's. */
export function startInstalledCli(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(process.execPath, [path.join(repoRoot, "bin/paperboy.js"), ...args], {
    cwd,
    env: childEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A child's JSON log lines as they come (other lines passed over), and the first with message `msg` once written. */
export function logUntil(
  child: ChildProcess,
  msg: string,
): { logs: Record<string, unknown>[]; seen: Promise<Record<string, unknown>> } {
  const logs: Record<string, unknown>[] = [];
  let buffered = "";
  const seen = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === msg) resolve(entry);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited early with ${code}, before "${msg}"`)));
  });
  return { logs, seen };
}

/** Runs `paperboy <args>` to the end and collects what it printed. */
export function runCli(args: string[], env: Record<string, string>, child = startCli(args, env)): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
