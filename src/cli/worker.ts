import { type WorkerJobName, workerJobNames } from "../config/index.ts";
import { isConfigured, runJobOnce, startWorker } from "../server/worker.ts";
import { type Command, parseCommandArgs, UsageError, untilSignalled } from "./command.ts";

export const workerCommand: Command = {
  name: "worker",
  summary: "Run scheduled jobs: arXiv and Hugging Face harvests, digests, mail",
  help: [
    "Usage: paperboy worker [--once JOB]",
    "",
    "Runs the jobs named by PAPERBOY_WORKER_JOBS at their schedules (PAPERBOY_*_SCHEDULE, cron",
    "expressions read in PAPERBOY_TIMEZONE), until SIGTERM or SIGINT:",
    "  harvest-arxiv   arXiv OAI-PMH from the last harvested day (PAPERBOY_ARXIV_OAI_URL, PAPERBOY_ARXIV_SETS)",
    "  harvest-hf      the Hugging Face daily feed, when PAPERBOY_HF_DAILY_URL is set",
    "  digest-daily    daily digests of the day before, to confirmed subscribers",
    "  digest-weekly   weekly digests of the ISO week before",
    "  mail            delivers queued mail and retries what SMTP refused",
    "",
    "Each job holds a lease in the database while it runs, so several workers on one database",
    "never run the same job at once, and a crashed worker's lease expires",
    "(PAPERBOY_WORKER_LEASE_SECONDS). A job that fails (arXiv or SMTP down) is logged and tried",
    "again later; the worker keeps running.",
    "",
    "  --once JOB   run one job now and exit (0 when it succeeded or another worker is running it)",
  ].join("\n"),
  async run(args, config) {
    const { values } = parseCommandArgs(args, { once: { type: "string" } }, false);
    if (values.once !== undefined) {
      const name = workerJobNames.find((job) => job === values.once) as WorkerJobName | undefined;
      if (!name) throw new UsageError(`--once "${values.once}" is not a job: use one of ${workerJobNames.join(", ")}`);
      if (!isConfigured(config, name))
        throw new UsageError(`${name} is not configured: harvest-hf needs PAPERBOY_HF_DAILY_URL`);
      const stop = new AbortController();
      const onSignal = () => stop.abort(new Error("interrupted"));
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
      const result = await runJobOnce(config, name, stop.signal);
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      if (result.status === "busy") {
        process.stderr.write(`${name} is running on another worker; not started\n`);
        return 0;
      }
      process[result.status === "ok" ? "stdout" : "stderr"].write(`${name}: ${result.message}\n`);
      return result.status === "ok" ? 0 : 1;
    }
    const worker = await startWorker(config);
    await untilSignalled(() => worker.stop());
    return 0;
  },
};
