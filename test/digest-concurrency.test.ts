import assert from "node:assert/strict";
import { once } from "node:events";
import path from "node:path";
import { describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { newYorkDate } from "../src/calendar/new-york.ts";
import { addDays } from "../src/calendar/periods.ts";
import { readHfDaily } from "../src/ingest/file-source.ts";
import { ingest, type SourceItem } from "../src/ingest/run.ts";
import type { Store } from "../src/store/index.ts";
import { clearOfMidnight } from "./support/calendar.ts";
import { repoRoot, runCli, startCli } from "./support/cli.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { startSmtpServer, type TestSmtpOptions } from "./support/smtp.ts";

const SUBSCRIBERS = 30;
const addresses = Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${String(i).padStart(2, "0")}@example.org`);

/**
 * Yesterday's feed (the day `digest-daily` sends) holds the fixture's 17 papers; 30 confirmed daily subscribers.
 * Waits first until the test's run cannot straddle midnight, when "yesterday" would move under it.
 */
async function seed(store: Store): Promise<void> {
  await clearOfMidnight(120_000);
  const yesterday = addDays(newYorkDate(new Date()), -1);
  async function* onYesterday(): AsyncGenerator<SourceItem> {
    for await (const item of readHfDaily(path.join(repoRoot, "test/fixtures/hf-daily-2026-08-21.json"))) {
      if ("record" in item) yield { ...item, record: { ...item.record, feed: { date: yesterday, source: "hf" } } };
    }
  }
  await ingest(store, onYesterday());
  for (const email of addresses) {
    const subscriber = await store.subscribers.request(email, "daily", new Date());
    await store.subscribers.confirm(subscriber.id, new Date());
  }
}

const recipient = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? "";

/** How many digests each subscriber received. */
function digestsPerSubscriber(mails: ParsedMail[]): Map<string, number> {
  const counts = new Map(addresses.map((a) => [a, 0]));
  for (const mail of mails) counts.set(recipient(mail), (counts.get(recipient(mail)) ?? 0) + 1);
  return counts;
}

/** A short lease for the killed worker's claims to run out in, long enough for a busy machine's live workers to renew theirs. */
const LEASE_SECONDS = 4;

function environment(databaseUrl: string, smtpUrl: string, leaseSeconds = 120) {
  return {
    DATABASE_URL: databaseUrl,
    PAPERBOY_SMTP_URL: smtpUrl,
    PAPERBOY_BASE_URL: "https://papers.example.org",
    PAPERBOY_WORKER_LEASE_SECONDS: String(leaseSeconds),
  };
}

for (const kind of databaseKinds) {
  describe(`exactly one digest per subscriber on ${kind.kind}`, { skip: kind.skip }, () => {
    test("two workers and two `digest send` at once, on one database", async (t) => {
      // Hold the first mails until two processes are sending at the same moment, so they really race.
      let inFlight = 0;
      let mostAtOnce = 0;
      let raced: () => void = () => {};
      // A busy machine may take a while to start the second process; past a minute, stop holding.
      let giveUp: NodeJS.Timeout | undefined;
      const racing = new Promise<void>((resolve) => {
        raced = resolve;
        giveUp = setTimeout(resolve, 60_000);
      });
      const accept: TestSmtpOptions["accept"] = async () => {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        if (mostAtOnce >= 2) raced();
        await racing;
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return true;
      };
      const smtp = await startSmtpServer({ accept });
      try {
        await withStore(kind, async (store, db) => {
          await seed(store);
          const env = environment(db.url, smtp.url);
          const runs = await Promise.all([
            runCli(["worker", "--once", "digest-daily"], env),
            runCli(["worker", "--once", "digest-daily"], env),
            runCli(["digest", "send", "--period", "daily"], env),
            runCli(["digest", "send", "--period", "daily"], env),
          ]);
          for (const run of runs) assert.equal(run.code, 0, run.stderr);
          assert.ok(
            runs.some((r) => /digest-daily is running on another worker; not started/.test(r.stderr)),
            "the job's lease let one worker run it",
          );
          const sentBy = runs.map((r) => Number(/sent (\d+)/.exec(r.stdout)?.[1] ?? 0));
          assert.equal(
            sentBy.reduce((a, b) => a + b, 0),
            SUBSCRIBERS,
            `processes sent ${sentBy.join(" + ")}`,
          );
          assert.ok(mostAtOnce >= 2, "two processes were sending at the same moment");
          t.diagnostic(`digests sent by worker, worker, digest send, digest send: ${sentBy.join(", ")}`);
          assert.deepEqual([...digestsPerSubscriber(smtp.mails).values()], Array(SUBSCRIBERS).fill(1));
          assert.equal((await store.outbox.depths()).sent, SUBSCRIBERS);
        });
      } finally {
        clearTimeout(giveUp);
        await smtp.close();
      }
    });

    test("a worker killed (SIGKILL) mid-send, then restarted", async () => {
      const KILL_AT = 11;
      let child: ReturnType<typeof startCli> | undefined;
      const smtp = await startSmtpServer({
        accept: async (_mail, received) => {
          if (received !== KILL_AT || !child) return true;
          // The worker waits for this mail's answer: kill it now, so the mail is neither accepted nor marked.
          const exited = once(child, "exit");
          child.kill("SIGKILL");
          await exited;
          return false;
        },
      });
      try {
        await withStore(kind, async (store, db) => {
          await seed(store);
          const env = environment(db.url, smtp.url, LEASE_SECONDS);
          child = startCli(["worker", "--once", "digest-daily"], env);
          const [, signal] = await once(child, "exit");
          assert.equal(signal, "SIGKILL");
          assert.equal(smtp.mails.length, KILL_AT - 1, "the mails before the kill arrived");
          const depths = await store.outbox.depths();
          assert.equal(depths.sent, KILL_AT - 1, "every mail that arrived is marked sent");
          assert.equal(
            depths.sending + depths.due,
            SUBSCRIBERS - KILL_AT + 1,
            "the rest wait, the one in flight claimed",
          );

          // The dead worker's job lease and mail claim expire after PAPERBOY_WORKER_LEASE_SECONDS.
          await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000 + 500));
          const restarted = await runCli(["worker", "--once", "digest-daily"], env);
          assert.equal(restarted.code, 0, restarted.stderr);
          assert.match(restarted.stdout, /: 10 papers, 0 digests queued; sent 20, retrying 0, failed 0/);
          assert.deepEqual([...digestsPerSubscriber(smtp.mails).values()], Array(SUBSCRIBERS).fill(1));
          assert.equal((await store.outbox.depths()).sent, SUBSCRIBERS);
        });
      } finally {
        await smtp.close();
      }
    });
  });
}

describe("paperboy digest on the command line", () => {
  const sqlite = databaseKinds.find((k) => k.kind === "sqlite") ?? assert.fail("no SQLite");
  test("preview prints the mail a subscriber would get; status and stats show the queue; bad arguments are named", async () => {
    await withStore(sqlite, async (store, db) => {
      await seed(store);
      const env = { DATABASE_URL: db.url, PAPERBOY_BASE_URL: "https://papers.example.org" };
      const preview = await runCli(["digest", "preview", "--period", "daily", "--email", addresses[0] ?? ""], env);
      assert.equal(preview.code, 0, preview.stderr);
      assert.match(
        preview.stdout,
        /^From: Paperboy <paperboy@papers\.example\.org>\nTo: reader00@example\.org\nSubject: Paperboy: top papers of /,
      );
      assert.match(preview.stdout, /\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n/);
      assert.match(preview.stdout, /\n1\. EnvHarness: Awakening Static Worlds for Agent Learning\n/);
      assert.equal(await store.outbox.depths().then((d) => d.due + d.sent), 0, "a preview queues nothing");

      const status = await runCli(["digest", "status"], env);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /active\s+daily\s+30\n/);
      assert.match(status.stdout, /mail queue: due 0, waiting 0, sending 0, sent 0, failed 0/);
      const stats = await runCli(["stats"], env);
      assert.match(stats.stdout, /\nsubscribers\s+30\nmail queued\s+0\nmail failed\s+0\n/);

      const bad = await runCli(["digest", "send", "--period", "hourly"], env);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--period must be daily or weekly, not "hourly"/);
    });
  });
});
