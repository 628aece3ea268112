import type { Job } from "../jobs/job.ts";
import type { DigestPeriodKind } from "../store/index.ts";
import { lastCompletePeriod } from "./digest.ts";
import type { DigestRun, Inbox } from "./inbox.ts";
import { describeDelivery } from "./outbox.ts";

export function describeDigestRun(run: DigestRun): string {
  const what = `${run.period.kind} digest of ${run.period.key}`;
  if (run.papers === 0) return `${what}: no papers on the feed then, nothing queued; ${describeDelivery(run.delivery)}`;
  return `${what}: ${run.papers} papers, ${run.queued} digests queued; ${describeDelivery(run.delivery)}`;
}

/** Digests of the last complete day or week to every confirmed subscriber of that kind. */
export function digestJob(inbox: Inbox, kind: DigestPeriodKind): Job {
  return {
    name: `digest-${kind}`,
    summary: `${kind} digests of the ${kind === "daily" ? "day" : "ISO week"} before`,
    async run({ signal }) {
      const now = new Date();
      return describeDigestRun(await inbox.sendDigests(lastCompletePeriod(kind, now), now, signal));
    },
  };
}

/** Delivers queued mail: what a web request could not send at once, and retries. */
export function mailJob(inbox: Inbox): Job {
  return {
    name: "mail",
    summary: "delivers queued mail and retries what the mail server refused for now",
    async run({ signal }) {
      return describeDelivery(await inbox.deliver({ signal }));
    },
  };
}
