import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { loadConfig } from "../src/config/index.ts";
import { digestPeriod } from "../src/inbox/digest.ts";
import type { Inbox } from "../src/inbox/inbox.ts";
import { deliverQueued, MAX_ATTEMPTS } from "../src/inbox/outbox.ts";
import { readHfDaily } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { createMailer } from "../src/mail/index.ts";
import { openInbox } from "../src/server/inbox.ts";
import { createLogger } from "../src/server/logger.ts";
import type { Store } from "../src/store/index.ts";
import { testApp } from "./support/api-app.ts";
import { repoRoot } from "./support/cli.ts";
import { communityApp, PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.ts";

const DAY = "2026-08-21";
const BASE = "https://papers.example.org";
const READER = "Reader@Example.org";

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address?.toLowerCase();
const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((h) => h.key === name.toLowerCase())
    ?.line.replace(/^[^:]+:\s*/, "")
    .replace(/\r?\n\s+/g, " ");

function form(fields: Record<string, string>) {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

for (const kind of databaseKinds) {
  describe(`digests by e-mail on ${kind.kind}`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let smtp: TestSmtpServer;
    let app: ReturnType<typeof testApp>;
    let inbox: Inbox;
    const env = () => ({
      PAPERBOY_BASE_URL: BASE,
      PAPERBOY_SMTP_URL: smtp.url,
      PAPERBOY_MAIL_FROM: "Paperboy <papers@example.org>",
    });

    before(async () => {
      db = await kind.create();
      store = await db.open();
      await ingest(store, readHfDaily(path.join(repoRoot, `test/fixtures/hf-daily-${DAY}.json`)));
      smtp = await startSmtpServer();
      app = testApp(store, env());
      const config = loadConfig({ ...env(), PAPERBOY_LOG_LEVEL: "silent" });
      inbox = openInbox(store, config, createLogger(config)).inbox;
    });

    after(async () => {
      await smtp?.close();
      await store?.close();
      await db?.dispose();
    });

    test("subscribe, confirm by the mailed link, get the digest, unsubscribe with one POST, get nothing more", async () => {
      const page = await app.request("/subscribe", form({ email: READER, period: "daily" }));
      assert.equal(page.status, 200);
      assert.match(await page.text(), /a message with a confirmation link is on its way/);

      const confirmation = await smtp.waitFor((m) => to(m) === READER.toLowerCase());
      assert.match(confirmation.subject ?? "", /^Confirm your daily digest from Paperboy$/);
      assert.ok(confirmation.html, "the confirmation is multipart, with HTML");
      const link = /https:\/\/papers\.example\.org\/subscriptions\/confirm\?token=\S+/.exec(
        confirmation.text ?? "",
      )?.[0];
      assert.ok(link, "the confirmation mail has a signed link");

      // Nothing but the confirmation goes out before the address is confirmed.
      const early = await inbox.sendDigests(digestPeriod("daily", DAY));
      assert.equal(early.queued, 0);
      assert.equal(smtp.mails.length, 1);

      const path = link.slice(BASE.length);
      const confirmPage = await app.request(path);
      assert.equal(confirmPage.status, 200, "following the link shows a button; a mail scanner confirms nothing");
      assert.match(await confirmPage.text(), /Confirm my subscription/);
      assert.equal((await store.subscribers.findByEmail(READER))?.status, "pending");
      const confirmed = await app.request(path, { method: "POST" });
      assert.equal(confirmed.status, 200);
      assert.match(await confirmed.text(), /will get the daily digest/);

      const run = await inbox.sendDigests(digestPeriod("daily", DAY));
      assert.deepEqual({ queued: run.queued, sent: run.delivery.sent }, { queued: 1, sent: 1 });
      const digest = await smtp.waitFor((m) => /top papers of Aug 21, 2026/.test(m.subject ?? ""));
      assert.equal(to(digest), READER.toLowerCase());
      const { items } = await store.feed.range({ from: DAY, to: DAY, sort: "upvotes", limit: 10 });
      const text = digest.text ?? "";
      const positions = items.map((i) => text.indexOf(`. ${i.paper.title}\n`));
      assert.ok(
        positions.every((p) => p > 0),
        "every top paper of the day is listed",
      );
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
        "most upvoted first",
      );
      assert.equal(items.length, 10);
      assert.match(text, / · Google\n/, "each paper names its organisation");
      assert.ok(digest.html && !/<script/i.test(digest.html), "HTML without scripts");
      assert.match(digest.html, /<table role="presentation"/);
      assert.match(text, /You get this mail because Reader@Example\.org subscribed to the daily digest/);

      const unsubscribe = header(digest, "List-Unsubscribe") ?? assert.fail("no List-Unsubscribe");
      assert.match(
        unsubscribe,
        /^<https:\/\/papers\.example\.org\/subscriptions\/unsubscribe\?token=[^>]+>, <mailto:papers@example\.org\?subject=unsubscribe%20[^>]+>$/,
      );
      assert.equal(header(digest, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
      assert.match(header(digest, "Message-ID") ?? "", /^<[0-9a-f]{32}@papers\.example\.org>$/);
      assert.ok(digest.date && Math.abs(digest.date.getTime() - Date.now()) < 60_000, "a Date header");
      assert.ok(
        !text.includes(String(/token=([^\s>]+)/.exec(link)?.[1])),
        "the confirm token opens nothing in the digest",
      );

      // The same period again, by this process or any other, sends nothing twice.
      assert.equal((await inbox.sendDigests(digestPeriod("daily", DAY))).queued, 0);

      const oneClick = /<(https:[^>]+)>/.exec(unsubscribe)?.[1] ?? "";
      const tampered = await app.request(`${oneClick.slice(BASE.length)}x`, form({ "List-Unsubscribe": "One-Click" }));
      assert.equal(tampered.status, 400);
      const done = await app.request(oneClick.slice(BASE.length), form({ "List-Unsubscribe": "One-Click" }));
      assert.equal(done.status, 200, "RFC 8058: a cookie-less POST of List-Unsubscribe=One-Click");
      assert.equal((await store.subscribers.findByEmail(READER))?.status, "unsubscribed");

      async function* nextDay() {
        const paper = items[0]?.paper ?? assert.fail("no paper");
        yield {
          record: { id: paper.id, title: paper.title, feed: { date: "2026-08-22", source: "hf" as const } },
          position: { where: "next day" },
        };
      }
      await ingest(store, nextDay());
      const later = await inbox.sendDigests(digestPeriod("daily", "2026-08-22"));
      assert.equal(later.papers, 1);
      assert.equal(later.queued, 0);
      assert.equal(
        smtp.mails.filter((m) => to(m) === READER.toLowerCase()).length,
        2,
        "the confirmation and one digest",
      );

      // Subscribing an address that is active already (or was just asked) sends nothing more, and the page says the same.
      const again = await app.request("/subscribe", form({ email: "other@example.org", period: "weekly" }));
      assert.equal(again.status, 200);
      const twice = await app.request("/subscribe", form({ email: "OTHER@example.org", period: "weekly" }));
      assert.equal(await twice.text().then((t) => /is on its way/.test(t)), true);
      await smtp.waitFor((m) => to(m) === "other@example.org");
      assert.equal(
        smtp.mails.filter((m) => to(m) === "other@example.org").length,
        1,
        "one confirmation within minutes",
      );
    });

    test("bad input is a 400 naming it; a confirm token does not unsubscribe", async () => {
      const bad = await app.request("/subscribe", form({ email: "not-an-address", period: "daily" }));
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /That is not an e-mail address/);
      const injected = await app.request("/subscribe", form({ email: "a@example.org\r\nBcc: b@example.org" }));
      assert.equal(injected.status, 400);
      const period = await app.request("/subscribe", form({ email: "a@example.org", period: "hourly" }));
      assert.equal(period.status, 400);
      assert.equal((await app.request("/subscriptions/confirm?token=abc", { method: "POST" })).status, 400);
      assert.equal((await app.request("/subscriptions/unsubscribe?token=abc")).status, 400);
      const confirmation = await smtp.waitFor((m) => to(m) === "other@example.org");
      const token = /token=(\S+)/.exec(confirmation.text ?? "")?.[1] ?? "";
      const misused = await app.request(
        `/subscriptions/unsubscribe?token=${token}`,
        form({ "List-Unsubscribe": "One-Click" }),
      );
      assert.equal(misused.status, 400);
    });

    test("forms posted from another site's page are refused, the one-click POST is not; a client may subscribe 10 times an hour", async () => {
      const before = smtp.mails.length;
      /** A form POST from `address`, as a browser on the page `origin` (or `referer`) sends it. */
      const post = (path: string, fields: Record<string, string>, headers: Record<string, string>, address: string) =>
        app.request(
          path,
          { ...form(fields), headers: { ...form(fields).headers, ...headers } },
          { incoming: { socket: { remoteAddress: address, remotePort: 1 } } },
        );
      const fields = { email: "forged@example.org", period: "daily" };
      const forged: Record<string, string>[] = [
        { Origin: "https://elsewhere.example" },
        { Origin: "null" },
        { Referer: "https://elsewhere.example/page" },
        { Origin: "https://papers.example.org.elsewhere.example", Referer: `${BASE}/` },
      ];
      for (const headers of forged) {
        const refused = await post("/subscribe", fields, headers, "192.0.2.1");
        assert.equal(refused.status, 403, JSON.stringify(headers));
        assert.match(
          await refused.text(),
          /This form was sent from (https:\/\/[a-z.]+|a page with no origin), not from this site/,
        );
      }
      assert.equal((await store.subscribers.findByEmail("forged@example.org"))?.status, undefined, "nobody subscribed");

      const subscriber = await store.subscribers.request("twice@example.org", "daily", new Date());
      await store.subscribers.confirm(subscriber.id, new Date());
      const mail = await inbox.digestMail({ period: digestPeriod("daily", DAY), sections: [] }, subscriber);
      const manage = /<(https:[^>]+)>/.exec(mail.headers["List-Unsubscribe"] ?? "")?.[1]?.slice(BASE.length) ?? "";
      const elsewhere = { Origin: "https://elsewhere.example" };
      assert.equal((await post(manage, { period: "weekly" }, elsewhere, "192.0.2.1")).status, 403);
      assert.equal((await post(manage, {}, elsewhere, "192.0.2.1")).status, 403, "the site's own unsubscribe button");
      assert.equal((await store.subscribers.findByEmail("twice@example.org"))?.status, "active");
      const ours = await post(manage, { period: "weekly" }, { Origin: BASE }, "192.0.2.1");
      assert.equal(ours.status, 200);
      assert.match(await ours.text(), /gets the weekly digest/);
      // RFC 8058: whatever a mail provider sends along, its one-click POST unsubscribes.
      const oneClick = await post(manage, { "List-Unsubscribe": "One-Click" }, elsewhere, "192.0.2.1");
      assert.equal(oneClick.status, 200);
      assert.equal((await store.subscribers.findByEmail("twice@example.org"))?.status, "unsubscribed");

      // The site's own pages (a browser sends their Origin, or at least their Referer) and clients that are no browser.
      const own: Record<string, string>[] = [{ Origin: BASE }, { Referer: `${BASE}/papers/trending` }, {}];
      for (let i = 0; i < 10; i++) {
        const headers = own[i % own.length] ?? {};
        const page = await post(
          "/subscribe",
          { email: `many${i}@example.org`, period: "weekly" },
          headers,
          "192.0.2.2",
        );
        assert.equal(page.status, 200, `subscription ${i + 1}`);
      }
      const refused = await post("/subscribe", { email: "many10@example.org" }, { Origin: BASE }, "192.0.2.2");
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      assert.match(
        await refused.text(),
        /Subscribe forms from your address are limited to 10 an hour: try again in \d+ min/,
      );
      assert.equal((await store.subscribers.findByEmail("many10@example.org"))?.status, undefined);
      const other = await post("/subscribe", { email: "many10@example.org" }, { Origin: BASE }, "192.0.2.3");
      assert.equal(other.status, 200, "another client has its own budget");
      for (let i = 0; i <= 10; i++) await smtp.waitFor((m) => to(m) === `many${i}@example.org`);
      assert.equal(smtp.mails.length - before, 11, "one confirmation per subscription allowed, none for forged forms");
    });

    test("a mail server that is down: retries with backoff, then gives up visibly; a refused address is suppressed", async () => {
      const logger = createLogger({ logLevel: "silent" });
      const down = createMailer({ smtpUrl: "smtp://u:p@127.0.0.1:9", from: "p@example.org", outboxDir: "" }, logger);
      const subscriber = await store.subscribers.request("down@example.org", "daily", new Date());
      await store.subscribers.confirm(subscriber.id, new Date());
      const digest = { period: digestPeriod("daily", DAY), sections: [{ title: "Top", papers: [] }] };
      const mail = await inbox.digestMail(digest, subscriber);
      await store.outbox.enqueue([mail], new Date());
      let clock = Date.now();
      const options = { store, mailer: down, logger, holder: "test", leaseMs: 60_000 };
      const at = (ms: number) => ({ ...options, now: () => new Date(ms) });
      const waits: number[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const summary = await deliverQueued(at(clock), mail.id);
        const row = (await store.outbox.byDedupeKey(mail.dedupeKey)) ?? assert.fail("the mail is kept");
        assert.equal(row.attempts, attempt);
        assert.match(row.lastError ?? "", /did not take the mail/);
        if (attempt === MAX_ATTEMPTS) {
          assert.deepEqual(summary, { sent: 0, retrying: 0, failed: 1, suppressed: 0 });
          assert.equal(row.status, "failed");
          break;
        }
        assert.deepEqual(summary, { sent: 0, retrying: 1, failed: 0, suppressed: 0 }, `attempt ${attempt}`);
        assert.equal(row.status, "queued");
        const retryAt = Date.parse(row.nextAttemptAt);
        waits.push((retryAt - clock) / 60_000);
        assert.equal((await store.outbox.depths(new Date(clock))).waiting, 1);
        assert.equal((await deliverQueued(at(retryAt - 1000), mail.id)).retrying, 0, "not tried before its time");
        clock = retryAt;
      }
      assert.deepEqual(waits, [1, 5, 30, 120, 360], "minutes between tries");
      const failure = (await store.outbox.failures(5)).find((f) => f.recipient === "down@example.org");
      assert.deepEqual([failure?.status, failure?.attempts], ["failed", MAX_ATTEMPTS], "admins see it");
      assert.equal((await store.outbox.depths()).failed, 1);

      // Moderators see it on /admin/mail and put it back in the queue; nobody else reaches the page.
      const site = communityApp(store, env());
      await verifiedUser(store, "Postmaster", "moderator");
      await verifiedUser(store, "Someone");
      const someone = new PageClient(site.app, BASE);
      await someone.logIn("Someone");
      assert.equal((await someone.get("/admin/mail")).status, 403);
      const moderator = new PageClient(site.app, BASE);
      await moderator.logIn("Postmaster");
      const page = await moderator.get("/admin/mail");
      assert.equal(page.status, 200);
      assert.match(page.html, /Given up on: 1\./);
      assert.match(page.html, /<td>down@example\.org<\/td>/);
      assert.match(page.html, new RegExp(`Given up after ${MAX_ATTEMPTS} tries`));
      const retry = `/admin/mail/${encodeURIComponent(mail.id)}/retry`;
      assert.equal((await someone.post(retry, { next: "/admin/mail" })).status, 403);
      const retried = await moderator.post(retry, { next: "/admin/mail" });
      assert.equal(retried.status, 303);
      const queued = (await store.outbox.byDedupeKey(mail.dedupeKey)) ?? assert.fail("the mail is kept");
      assert.deepEqual([queued.status, queued.attempts, queued.lastError], ["queued", 0, null]);
      assert.ok(Date.parse(queued.nextAttemptAt) <= Date.now(), "due now");
      assert.equal((await moderator.post(retry, { next: "/admin/mail" })).status, 303, "a waiting mail is made due");
      const up = createMailer({ smtpUrl: smtp.url, from: "p@example.org", outboxDir: "" }, logger);
      assert.equal((await deliverQueued({ ...options, mailer: up }, mail.id)).sent, 1);
      await up.close();
      assert.equal((await store.outbox.byDedupeKey(mail.dedupeKey))?.status, "sent", "the worker sends it");
      assert.equal((await moderator.post(retry, { next: "/admin/mail" })).status, 404, "a sent mail is not retried");

      const refusing = await startSmtpServer({ reject: (address) => address === "gone@example.org" });
      try {
        const mailer = createMailer({ smtpUrl: refusing.url, from: "p@example.org", outboxDir: "" }, logger);
        const gone = await store.subscribers.request("gone@example.org", "daily", new Date());
        await store.subscribers.confirm(gone.id, new Date());
        const bounce = await inbox.digestMail(digest, gone);
        await store.outbox.enqueue([bounce], new Date());
        const summary = await deliverQueued({ ...options, mailer }, bounce.id);
        assert.equal(summary.failed, 1);
        assert.equal(
          await store.outbox.isSuppressed("Gone@example.org"),
          true,
          "a 550 for the recipient suppresses it",
        );
        assert.equal(
          (await store.subscribers.activePage("daily", "", 100)).some((s) => s.id === gone.id),
          false,
        );
        await mailer.close();
      } finally {
        await refusing.close();
        await down.close();
      }
    });
  });
}
