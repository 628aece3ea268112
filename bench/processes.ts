/**
 * Paperboy's commands run as child processes, as an operator runs them, with their wall time and
 * peak resident memory (VmHWM, read from /proc while they run).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..");

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakRssBytes: number;
}

/** Peak and current resident memory of a live process, in bytes (0 once it has gone). */
export function memoryOf(pid: number | undefined): { peak: number; current: number } {
  if (!pid) return { peak: 0, current: 0 };
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { peak: kb("VmHWM"), current: kb("VmRSS") };
  } catch {
    return { peak: 0, current: 0 };
  }
}

/** Starts `paperboy <args>` with the given environment (nothing else of ours leaks in). */
export function startPaperboy(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Watches a child's peak memory until it exits. */
export function watchPeakMemory(child: ChildProcess): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(child.pid).peak);
  }, 100);
  child.once("exit", () => clearInterval(timer));
  return () => Math.max(peak, memoryOf(child.pid).peak);
}

/** Runs `paperboy <args>` to the end. */
export async function runPaperboy(
  args: string[],
  env: Record<string, string>,
  onStderr?: (line: string) => void,
): Promise<Finished> {
  const started = performance.now();
  const child = startPaperboy(args, env);
  const peak = watchPeakMemory(child);
  let stdout = "";
  let stderr = "";
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onStderr?.(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode));
  });
  const result = { code, stdout, stderr, seconds: (performance.now() - started) / 1000, peakRssBytes: peak() };
  if (code !== 0) throw new Error(`paperboy ${args.join(" ")} failed (${code}): ${stderr.slice(-2000)}`);
  return result;
}
