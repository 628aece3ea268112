import type { IngestProgress } from "../ingest/run.ts";

export interface ProgressReporter {
  update(progress: IngestProgress): void;
  done(): void;
}

const BAR_WIDTH = 28;

function rate(papers: number, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? `${Math.round(papers / seconds).toLocaleString("en-US")} papers/s` : "";
}

function percent(p: IngestProgress): number | null {
  return p.total ? Math.min(1, p.done / p.total) : null;
}

/**
 * A redrawn bar on a terminal; on anything else (logs, CI) one plain line every few seconds,
 * so long runs show they are alive without flooding the output.
 */
export function progressReporter(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 5000,
): ProgressReporter {
  const started = Date.now();
  let lastLine = 0;
  let last: IngestProgress | null = null;
  const describe = (p: IngestProgress) =>
    `${p.papers.toLocaleString("en-US")} papers (${p.summary.inserted} new, ${p.summary.updated} updated, ${p.summary.unchanged} unchanged, ${p.summary.failed} failed) ${rate(p.papers, started)}`;

  if (stream.isTTY) {
    return {
      update(p) {
        last = p;
        const fraction = percent(p);
        const bar =
          fraction === null
            ? ""
            : `[${"#".repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, ".")}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
        stream.write(`\r\x1b[2K${label} ${bar}${describe(p)}`);
      },
      done() {
        if (last) stream.write("\n");
      },
    };
  }
  return {
    update(p) {
      last = p;
      if (Date.now() - lastLine < intervalMs) return;
      lastLine = Date.now();
      const fraction = percent(p);
      stream.write(`${label}: ${fraction === null ? "" : `${(fraction * 100).toFixed(1)}% `}${describe(p)}\n`);
    },
    done() {
      if (last) stream.write(`${label}: finished, ${describe(last)}\n`);
    },
  };
}
