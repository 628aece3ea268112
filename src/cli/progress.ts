export interface ProgressReporter<P> {
  update(progress: P): void;
  done(): void;
}

/** Where long work stands: `done` of `total` (when known), and what to say about it. */
export interface ProgressView {
  done: number;
  total?: number;
  /** The words after the bar or percentage, e.g. "1,000 papers (…) 4,400 papers/s". */
  text: string;
}

const BAR_WIDTH = 28;

/** How many things a second since `started` (a Date.now()), for the progress text. */
export function rate(count: number, started: number, unit: string): string {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? `${Math.round(count / seconds).toLocaleString("en-US")} ${unit}/s` : "";
}

/**
 * A redrawn bar on a terminal; on anything else (logs, CI) one plain line every few seconds,
 * so long runs show they are alive without flooding the output. `view` says what a progress
 * report means.
 */
export function progressReporter<P>(
  label: string,
  view: (progress: P) => ProgressView,
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 5000,
): ProgressReporter<P> {
  let lastLine = 0;
  let last: ProgressView | null = null;
  const fraction = (v: ProgressView) => (v.total ? Math.min(1, v.done / v.total) : null);

  if (stream.isTTY) {
    return {
      update(p) {
        last = view(p);
        const f = fraction(last);
        const bar =
          f === null
            ? ""
            : `[${"#".repeat(Math.round(f * BAR_WIDTH)).padEnd(BAR_WIDTH, ".")}] ${(f * 100).toFixed(0).padStart(3)}% `;
        stream.write(`\r\x1b[2K${label} ${bar}${last.text}`);
      },
      done() {
        if (last) stream.write("\n");
      },
    };
  }
  return {
    update(p) {
      last = view(p);
      if (Date.now() - lastLine < intervalMs) return;
      lastLine = Date.now();
      const f = fraction(last);
      stream.write(`${label}: ${f === null ? "" : `${(f * 100).toFixed(1)}% `}${last.text}\n`);
    },
    done() {
      if (last) stream.write(`${label}: finished, ${last.text}\n`);
    },
  };
}
