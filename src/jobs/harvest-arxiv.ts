import { addDays } from "../calendar/periods.ts";
import { harvestOai, oaiCheckpointKey } from "../ingest/oai-source.ts";
import { describeSummary, ingest } from "../ingest/run.ts";
import { type Job, untilAborted } from "./job.ts";

/** ingest_state key of the last UTC day a harvest completed, which the next one starts from. */
export const ARXIV_HARVESTED_KEY = "harvest-arxiv:last-day";

export interface ArxivHarvestSettings {
  endpoint: string;
  /** OAI sets; empty harvests everything. */
  sets: string[];
}

/**
 * The daily arXiv harvest: OAI-PMH ListRecords of everything changed since the last harvested
 * day (inclusive, as OAI datestamps are whole UTC days; storing again what is stored changes
 * nothing). A harvest cut short resumes from its resumption token on the next run, and the day
 * moves on only when every set has been harvested.
 */
export function arxivHarvestJob(settings: ArxivHarvestSettings, now: () => Date = () => new Date()): Job {
  return {
    name: "harvest-arxiv",
    summary: `arXiv OAI-PMH from the last harvested day (${settings.endpoint}${settings.sets.length ? `, sets ${settings.sets.join(", ")}` : ""})`,
    async run({ store, logger, signal }) {
      const today = now().toISOString().slice(0, 10);
      const from = (await store.ingestState.get(ARXIV_HARVESTED_KEY)) ?? addDays(today, -1);
      const parts: string[] = [];
      for (const set of settings.sets.length ? settings.sets : [undefined]) {
        const request = { endpoint: settings.endpoint, from, ...(set ? { set } : {}) };
        const key = oaiCheckpointKey(request);
        const records = harvestOai({
          ...request,
          resumeFrom: await store.ingestState.get(key),
          http: { onNotice: (message) => logger.info({ set }, message) },
        });
        const summary = await ingest(store, untilAborted(records, signal), {
          checkpointKey: key,
          onError: (message) => logger.warn({ set }, `skipped a record: ${message}`),
        });
        await store.ingestState.delete(key);
        parts.push(`${set ?? "all"}: ${describeSummary(summary)}`);
      }
      await store.ingestState.set(ARXIV_HARVESTED_KEY, today);
      return `harvested arXiv from ${from}: ${parts.join("; ")}`;
    },
  };
}
