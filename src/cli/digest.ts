import { isCalendarDay } from "../calendar/new-york.ts";
import type { Config } from "../config/index.ts";
import {
  collectDigest,
  type DigestPeriod,
  digestPeriod,
  followedPaperDigests,
  lastCompletePeriod,
} from "../inbox/digest.ts";
import { digestPeriods, parseEmail } from "../inbox/inbox.ts";
import { describeDigestRun } from "../inbox/jobs.ts";
import { openInbox } from "../server/inbox.ts";
import { createLogger } from "../server/logger.ts";
import { type DigestPeriodKind, Store } from "../store/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

const usage = [
  "Usage: paperboy digest <action> [options]",
  "",
  "  preview --period daily|weekly [--date YYYY-MM-DD] [--email E] [--format text|html]",
  "      Prints the digest mail that would be sent (headers, then the text or HTML body): by",
  "      default of the last complete day or ISO week, to the subscriber E or a sample one.",
  "  send --period daily|weekly [--date YYYY-MM-DD]",
  "      Queues the period's digest for every confirmed subscriber and sends it now. A digest",
  "      already queued for a subscriber and period is never queued again.",
  "  status [--json]",
  "      Jobs and their last runs, subscribers, the mail queue, and mail that failed.",
  "  suppress EMAIL [--reason bounce|complaint|manual]",
  "      Sends no more mail to EMAIL (an address that bounced or complained).",
  "  unsubscribe EMAIL",
  "      Ends EMAIL's subscription, e.g. after an unsubscribe mail to the List-Unsubscribe address.",
].join("\n");

function periodOptions(args: string[], extra: Record<string, { type: "string" }> = {}) {
  const { values, positionals } = parseCommandArgs(args, {
    period: { type: "string" },
    date: { type: "string" },
    ...extra,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const kind = digestPeriods.find((p) => p === values.period);
  if (!kind) throw new UsageError(`--period must be daily or weekly${values.period ? `, not "${values.period}"` : ""}`);
  const date = values.date;
  if (date !== undefined && !isCalendarDay(date))
    throw new UsageError(`--date "${date}" must be a date written YYYY-MM-DD`);
  const period: DigestPeriod = date ? digestPeriod(kind, date) : lastCompletePeriod(kind, new Date());
  return { period, values: values as Record<string, string | undefined> };
}

function emailArgument(args: string[], options: Record<string, { type: "string" }> = {}) {
  const { values, positionals } = parseCommandArgs(args, options);
  if (positionals.length !== 1) throw new UsageError("give exactly one e-mail address");
  const email = parseEmail(positionals[0] ?? "");
  if (!email) throw new UsageError(`"${positionals[0]}" is not an e-mail address`);
  return { email, values: values as Record<string, string | undefined> };
}

async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(config.database);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The inbox with the configured mailer, for as long as `fn` runs. */
async function withInbox<T>(
  config: Config,
  fn: (store: Store, inbox: ReturnType<typeof openInbox>["inbox"]) => Promise<T>,
) {
  return withStore(config, async (store) => {
    const { inbox, mailer } = openInbox(store, config, createLogger(config), followedPaperDigests(store));
    try {
      return await fn(store, inbox);
    } finally {
      await mailer.close();
    }
  });
}

async function preview(args: string[], config: Config): Promise<number> {
  const { period, values } = periodOptions(args, { email: { type: "string" }, format: { type: "string" } });
  const format = values.format ?? "text";
  if (format !== "text" && format !== "html") throw new UsageError(`--format must be text or html, not "${format}"`);
  const email = values.email === undefined ? "subscriber@example.org" : parseEmail(values.email);
  if (!email) throw new UsageError(`--email "${values.email}" is not an e-mail address`);
  return withInbox(config, async (store, inbox) => {
    const digest = await collectDigest(store, period);
    if (!digest) {
      process.stderr.write(`no papers on the feed in ${period.key}: no ${period.kind} digest would be sent\n`);
      return 1;
    }
    const subscriber = (await store.subscribers.findByEmail(email)) ?? {
      id: "preview",
      email,
      period: period.kind as DigestPeriodKind,
      accountId: null,
    };
    const [mail] = await inbox.digestMails(digest, [subscriber]);
    if (!mail) throw new Error("no digest mail rendered");
    const headers = {
      From: config.mail.from,
      To: mail.recipient,
      Subject: mail.subject,
      "Message-ID": mail.messageId,
      ...mail.headers,
    };
    for (const [name, value] of Object.entries(headers)) process.stdout.write(`${name}: ${value}\n`);
    process.stdout.write(`\n${format === "html" ? `${mail.html}\n` : mail.text}`);
    return 0;
  });
}

async function send(args: string[], config: Config): Promise<number> {
  const { period } = periodOptions(args);
  return withInbox(config, async (_store, inbox) => {
    const run = await inbox.sendDigests(period);
    process.stdout.write(`${describeDigestRun(run)}\n`);
    return run.delivery.failed + run.delivery.retrying === 0 ? 0 : 1;
  });
}

async function status(args: string[], config: Config): Promise<number> {
  const { values } = parseCommandArgs(args, { json: { type: "boolean" } }, false);
  return withStore(config, async (store) => {
    const report = {
      jobs: await store.jobs.list(),
      subscribers: await store.subscribers.counts(),
      outbox: await store.outbox.depths(),
      suppressedAddresses: await store.outbox.suppressions(),
      failures: await store.outbox.failures(20),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out("jobs:");
    if (report.jobs.length === 0) out("  none has run yet");
    for (const job of report.jobs) {
      const last = job.lastFinishedAt
        ? `last ${job.lastOutcome} at ${job.lastFinishedAt}: ${job.lastMessage}`
        : "never finished";
      out(`  ${job.name.padEnd(14)} ${job.runningOn ? `running on ${job.runningOn}; ` : ""}${last}`);
    }
    out("subscribers:");
    if (report.subscribers.length === 0) out("  none");
    for (const row of report.subscribers) out(`  ${row.status.padEnd(13)} ${row.period.padEnd(7)} ${row.subscribers}`);
    out(
      `mail queue: ${Object.entries(report.outbox)
        .map(([state, n]) => `${state} ${n}`)
        .join(", ")}`,
    );
    out(`suppressed addresses: ${report.suppressedAddresses}`);
    if (report.failures.length > 0) {
      out("mail that failed or is being retried (newest first):");
      for (const f of report.failures) {
        out(`  ${f.createdAt} ${f.status} after ${f.attempts} attempts: ${f.kind} to ${f.recipient}: ${f.lastError}`);
      }
    }
    return 0;
  });
}

async function suppress(args: string[], config: Config): Promise<number> {
  const { email, values } = emailArgument(args, { reason: { type: "string" } });
  const reason = values.reason ?? "manual";
  if (!["bounce", "complaint", "manual"].includes(reason))
    throw new UsageError(`--reason must be bounce, complaint or manual, not "${reason}"`);
  await withStore(config, (store) => store.outbox.suppress(email, reason, "by paperboy digest suppress", new Date()));
  process.stdout.write(`no more mail goes to ${email} (${reason})\n`);
  return 0;
}

async function unsubscribe(args: string[], config: Config): Promise<number> {
  const { email } = emailArgument(args);
  return withStore(config, async (store) => {
    const subscriber = await store.subscribers.findByEmail(email);
    if (!subscriber) {
      process.stderr.write(`${email} has no subscription\n`);
      return 1;
    }
    await store.subscribers.unsubscribe(subscriber.id, new Date());
    process.stdout.write(`${email} is unsubscribed\n`);
    return 0;
  });
}

const actions: Record<string, (args: string[], config: Config) => Promise<number>> = {
  preview,
  send,
  status,
  suppress,
  unsubscribe,
};

export const digestCommand: Command = {
  name: "digest",
  summary: "Preview and send e-mail digests; see subscribers and the mail queue",
  help: usage,
  async run(args, config) {
    const [action, ...rest] = args;
    const run = action ? actions[action] : undefined;
    if (!run) {
      throw new UsageError(
        action ? `unknown action "${action}": use ${Object.keys(actions).join(", ")}` : "digest needs an action",
      );
    }
    return run(rest, config);
  },
};
