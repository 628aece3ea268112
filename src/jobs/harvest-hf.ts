import { newYorkDate } from "../calendar/new-york.ts";
import { addDays } from "../calendar/periods.ts";
import { readHfDayJson } from "../ingest/file-source.ts";
import { fetchText } from "../ingest/http.ts";
import { describeSummary, type IngestSummary, ingest } from "../ingest/run.ts";
import { type Job, untilAborted } from "./job.ts";

/** ingest_state key of the last New York day fetched completely. */
export const HF_HARVESTED_KEY = "harvest-hf:last-day";
/** How far back a worker that was off catches up. */
const LONGEST_CATCH_UP_DAYS = 7;

function dayUrl(base: string, day: string): URL {
  const url = new URL(base);
  url.searchParams.set("date", day);
  return url;
}

/**
 * The Hugging Face daily feed: each day from the last one fetched to today (New York days, as
 * the feed's), so today's new picks and upvotes arrive through the day and a day missed while
 * the worker was down is caught up.
 */
export function hfDailyJob(baseUrl: string, now: () => Date = () => new Date()): Job {
  return {
    name: "harvest-hf",
    summary: `Hugging Face daily papers from ${baseUrl}`,
    async run({ store, logger, signal }) {
      const today = newYorkDate(now());
      const last = (await store.ingestState.get(HF_HARVESTED_KEY)) ?? addDays(today, -1);
      const earliest = addDays(today, -LONGEST_CATCH_UP_DAYS);
      const total: IngestSummary = { inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
      let from = last < earliest ? earliest : last;
      if (from > today) from = today;
      for (let day = from; day <= today; day = addDays(day, 1)) {
        signal.throwIfAborted();
        const url = dayUrl(baseUrl, day);
        const text = await fetchText(url, {
          maxRetries: 2,
          onNotice: (message) => logger.info({ day }, message),
        });
        async function* items() {
          yield* readHfDayJson(text, `${url.host} ${day}`, day);
        }
        const summary = await ingest(store, untilAborted(items(), signal), {
          onError: (message) => logger.warn({ day }, `skipped an item: ${message}`),
        });
        for (const key of ["inserted", "updated", "unchanged", "failed"] as const) total[key] += summary[key];
        // Today stays the day to start from: its list grows until it is over.
        await store.ingestState.set(HF_HARVESTED_KEY, day);
      }
      return `fetched Hugging Face days ${from} to ${today}: ${describeSummary(total)}`;
    },
  };
}
