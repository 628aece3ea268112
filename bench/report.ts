/**
 * The benchmark's one table: every figure beside a baseline measured in the same run, as a ratio,
 * so that it means the same on a busy laptop and on a quiet server. Written to bench/results.json
 * with the machine, the command, the commit and the date, one run per database and size.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline, or baseline / value when lower is better (so above 1 always means "faster"). */
  ratio?: number;
  /** What the issue asks for, e.g. "≥ 0.8x". */
  goal?: string;
  met?: boolean;
  /** Where a missed goal comes from, or what the figure includes. */
  note?: string;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly context: Record<string, unknown> = {};

  /** A figure where more is better (papers/s, requests/s): ratio = value / baseline. */
  higher(
    section: string,
    name: string,
    value: number,
    unit: string,
    baseline: Figure["baseline"],
    goal?: number,
    note?: string,
  ) {
    const ratio = baseline && baseline.value > 0 ? value / baseline.value : undefined;
    this.add({ section, name, value, unit, baseline, ratio, goal, note, better: "higher" });
  }

  /** A figure where less is better (ms, bytes): ratio = value / baseline, so a ratio of 3 means three times the baseline. */
  lower(
    section: string,
    name: string,
    value: number,
    unit: string,
    baseline: Figure["baseline"],
    goal?: number,
    note?: string,
  ) {
    const ratio = baseline && baseline.value > 0 ? value / baseline.value : undefined;
    this.add({ section, name, value, unit, baseline, ratio, goal, note, better: "lower" });
  }

  private add(f: Omit<Figure, "goal" | "met"> & { goal?: number; better: "higher" | "lower" }) {
    const { goal, better, ...figure } = f;
    const met =
      goal === undefined || figure.ratio === undefined
        ? undefined
        : better === "higher"
          ? figure.ratio >= goal
          : figure.ratio <= goal;
    this.figures.push({
      ...figure,
      ...(goal !== undefined ? { goal: `${better === "higher" ? "≥" : "≤"} ${goal}x`, met } : {}),
    });
    process.stderr.write(`bench: ${figure.section}, ${figure.name}: ${formatValue(figure.value, figure.unit)}\n`);
  }

  print(title: string): void {
    const rows = this.figures.map((f) => [
      f.section,
      f.name,
      formatValue(f.value, f.unit),
      f.baseline ? `${f.baseline.name}: ${formatValue(f.baseline.value, f.unit)}` : "",
      f.ratio === undefined ? "" : `${f.ratio >= 10 ? f.ratio.toFixed(0) : f.ratio.toFixed(2)}x`,
      f.goal ? `${f.goal} ${f.met ? "met" : "MISSED"}` : "",
    ]);
    const header = ["section", "figure", "value", "baseline (same run)", "ratio", "goal"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(" | ")} |`;
    console.log(`\n${title}\n`);
    console.log(line(header));
    console.log(
      `|${widths.map((w, i) => (i === 2 || i === 4 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
    );
    for (const row of rows) console.log(line(row));
    const notes = this.figures.filter((f) => f.note);
    if (notes.length) {
      console.log("");
      for (const f of notes) console.log(`- ${f.section}, ${f.name}: ${f.note}`);
    }
  }

  /**
   * Writes this run into `file`, which keeps one run per `key` (e.g. "sqlite quick", "postgres
   * 2800000 papers"): a run replaces the earlier one of the same key and leaves the others. With
   * `merge`, the earlier run's figures that this run did not measure again, and its context,
   * stay (a run on an already loaded database keeps the ingest figures of the run that loaded it).
   */
  write(file: string, key: string, extra: Record<string, unknown>, options: { merge?: boolean } = {}): void {
    let runs: Run[] = [];
    try {
      const earlier = JSON.parse(fs.readFileSync(file, "utf8")) as { runs?: Run[] };
      runs = Array.isArray(earlier.runs) ? earlier.runs : [];
    } catch {
      // No file yet, or not one of ours: start afresh.
    }
    const previous = options.merge ? runs.find((r) => r.key === key) : undefined;
    const measured = new Set(this.figures.map((f) => `${f.section}\u0000${f.name}`));
    const kept = (previous?.figures ?? []).filter((f) => !measured.has(`${f.section}\u0000${f.name}`));
    const run: Run = {
      key,
      date: new Date().toISOString(),
      machine: machine(),
      git: git(),
      ...extra,
      ...(previous ? { earlier: { date: previous.date, command: previous.command, git: previous.git } } : {}),
      context: { ...(previous?.context ?? {}), ...this.context },
      figures: [...kept, ...this.figures],
    };
    fs.writeFileSync(file, `${JSON.stringify({ runs: [...runs.filter((r) => r.key !== key), run] }, null, 2)}\n`);
  }
}

interface Run {
  key?: string;
  date?: string;
  command?: unknown;
  git?: unknown;
  context?: Record<string, unknown>;
  figures?: Figure[];
  [field: string]: unknown;
}

export function formatValue(value: number, unit: string): string {
  if (unit === "bytes") {
    const mib = value / 1024 / 1024;
    return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(mib >= 100 ? 0 : 1)} MiB`;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

/** The q-quantile (0..1) of a list of numbers, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The commit measured: PAPERBOY_BENCH_COMMIT when the bench runs from an exported snapshot of one, else the checkout's. */
function git() {
  const snapshot = process.env.PAPERBOY_BENCH_COMMIT;
  if (snapshot) return { commit: snapshot, dirty: false };
  const run = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: path.resolve(import.meta.dirname, ".."), encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  return { commit: run("rev-parse", "HEAD"), dirty: run("status", "--porcelain") !== "" };
}
