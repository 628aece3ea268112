import { newYorkDate } from "../../src/calendar/new-york.ts";

const utcDate = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * Waits until neither New York's nor UTC's midnight falls within the next `marginMs`. A test that reads
 * "today" on both sides of its work (seeding yesterday's feed, then checking the digest of yesterday)
 * would otherwise fail when run across midnight; this waits at most `marginMs`, at most once a day.
 */
export async function clearOfMidnight(marginMs: number): Promise<void> {
  for (;;) {
    const now = new Date();
    const later = new Date(now.getTime() + marginMs);
    if (newYorkDate(now) === newYorkDate(later) && utcDate(now) === utcDate(later)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
