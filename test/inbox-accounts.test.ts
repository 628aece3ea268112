import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { hashPassword } from "../src/community/passwords.ts";
import { loadConfig } from "../src/config/index.ts";
import {
  type DigestPeriod,
  type DigestSection,
  digestPeriod,
  followedPaperDigests,
  type PersonalDigests,
} from "../src/inbox/digest.ts";
import { readHfDaily } from "../src/ingest/file-source.ts";
import { ingest } from "../src/ingest/run.ts";
import { openInbox } from "../src/server/inbox.ts";
import { createLogger } from "../src/server/logger.ts";
import type { Store } from "../src/store/index.ts";
import { repoRoot } from "./support/cli.ts";
import { communityApp, PageClient, TEST_PASSWORD, verifiedUser } from "./support/community.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.ts";

const DAY = "2026-08-21";
const BASE = "http://localhost:3000";

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address?.toLowerCase();

for (const kind of databaseKinds) {
  describe(`digests for account holders on ${kind.kind}`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let smtp: TestSmtpServer;
    let site: ReturnType<typeof communityApp>;

    before(async () => {
      db = await kind.create();
      store = await db.open();
      await ingest(store, readHfDaily(path.join(repoRoot, `test/fixtures/hf-daily-${DAY}.json`)));
      smtp = await startSmtpServer();
      site = communityApp(store, { PAPERBOY_SMTP_URL: smtp.url });
    });

    after(async () => {
      await smtp?.close();
      await store?.close();
      await db?.dispose();
    });

    /** Sends the period's digests with the personal part from follows, as the worker does; none may fail. */
    const sendDigests = async (period: DigestPeriod, personal: PersonalDigests = followedPaperDigests(store)) => {
      const config = loadConfig({ PAPERBOY_LOG_LEVEL: "silent", PAPERBOY_SMTP_URL: smtp.url });
      const { inbox, mailer } = openInbox(store, config, createLogger(config), personal);
      try {
        assert.equal((await inbox.sendDigests(period)).delivery.failed, 0);
      } finally {
        await mailer.close();
      }
    };

    const mailsTo = async (email: string) =>
      (await store.connection.db.selectFrom("outbox").select("kind").where("recipient", "=", email).execute()).map(
        (row) => row.kind,
      );

    test("settings subscribe a verified address at once, an unverified one after its confirmation link", async () => {
      const ada = await verifiedUser(store, "Ada");
      const client = new PageClient(site.app, BASE);
      await client.logIn("Ada");
      const settings = await client.get("/settings");
      assert.match(settings.html, /Digest by e-mail/);
      assert.match(settings.html, /at ada@example\.org, starting with the next one/);

      const subscribed = await client.post("/settings/digest", { action: "subscribe", period: "weekly" });
      assert.equal(subscribed.status, 200);
      assert.match(subscribed.html, /Subscribed: the weekly digest goes to ada@example\.org/);
      const active = await store.subscribers.findByEmail("ada@example.org");
      assert.deepEqual([active?.status, active?.period, active?.accountId], ["active", "weekly", ada.id]);
      assert.deepEqual(await mailsTo("ada@example.org"), [], "no second opt-in for an address the account proved");

      const forged = await client.post("/settings/digest", { action: "unsubscribe" }, { token: null });
      assert.equal(forged.status, 403);
      const switched = await client.post("/settings/digest", { period: "daily" });
      assert.match(switched.html, /You now get the daily digest/);
      assert.match(switched.html, /The daily digest goes to ada@example\.org/);
      const stopped = await client.post("/settings/digest", { action: "unsubscribe" });
      assert.match(stopped.html, /No more digests go to ada@example\.org/);
      assert.equal((await store.subscribers.findByEmail("ada@example.org"))?.status, "unsubscribed");
      await client.post("/settings/digest", { action: "subscribe", period: "daily" });
      assert.equal((await store.subscribers.findByEmail("ada@example.org"))?.status, "active", "and back");

      const created = await store.users.create({
        username: "Newbie",
        email: "newbie@example.org",
        passwordHash: await hashPassword(TEST_PASSWORD),
        now: new Date().toISOString(),
      });
      assert.ok(typeof created === "object");
      const newbie = new PageClient(site.app, BASE);
      await newbie.logIn("Newbie");
      assert.match((await newbie.get("/settings")).html, /once you confirm through the link we mail there/);
      const asked = await newbie.post("/settings/digest", { action: "subscribe", period: "daily" });
      assert.match(asked.html, /A confirmation link is on its way to newbie@example\.org/);
      const pending = await store.subscribers.findByEmail("newbie@example.org");
      assert.deepEqual([pending?.status, pending?.accountId], ["pending", null]);
      const confirmation = await smtp.waitFor((m) => to(m) === "newbie@example.org" && /Confirm/.test(m.subject ?? ""));
      assert.match(confirmation.text ?? "", /\/subscriptions\/confirm\?token=/);
      assert.match((await newbie.get("/settings")).html, /A confirmation link went to newbie@example\.org/);
    });

    test("the personal part: account holders' digests add their own sections, asked for a page of accounts at once", async () => {
      const grace = await verifiedUser(store, "Grace");
      const client = new PageClient(site.app, BASE);
      await client.logIn("Grace");
      await client.get("/settings");
      await client.post("/settings/digest", { action: "subscribe", period: "daily" });
      const plain = await store.subscribers.request("plain@example.org", "daily", new Date());
      await store.subscribers.confirm(plain.id, new Date());

      const { items } = await store.feed.slice({ from: DAY, to: DAY, sort: "upvotes", limit: 20 });
      const followed = items.at(-1)?.paper ?? assert.fail("no papers");
      const asked: number[][] = [];
      const personal = {
        async sections(accountIds: readonly number[], period: DigestPeriod) {
          asked.push([...accountIds].sort());
          assert.equal(period.key, DAY);
          const own: DigestSection[] = [{ title: "New from what you follow", papers: [followed] }];
          return new Map(accountIds.filter((id) => id === grace.id).map((id) => [id, own]));
        },
      };
      await sendDigests(digestPeriod("daily", DAY), personal);
      const accounts = (await store.users.byEmail("ada@example.org"))?.id;
      assert.deepEqual(asked, [[accounts, grace.id].sort()], "one call for the page, with the verified accounts only");

      const mine = await smtp.waitFor((m) => to(m) === "grace@example.org" && /top papers/.test(m.subject ?? ""));
      const theirs = await smtp.waitFor((m) => to(m) === "plain@example.org" && /top papers/.test(m.subject ?? ""));
      assert.match(mine.text ?? "", /\nNEW FROM WHAT YOU FOLLOW\n\n1\. /);
      assert.ok(mine.text?.includes(followed.title), "the followed paper is listed");
      assert.match(mine.html || "", /New from what you follow/);
      assert.match(mine.text ?? "", /your settings \(http:\/\/localhost:3000\/settings\) manage the digest too/);
      assert.doesNotMatch(theirs.text ?? "", /WHAT YOU FOLLOW|your settings/);

      await client.get("/settings");
      const deleted = await client.post("/settings/delete", { password: TEST_PASSWORD });
      assert.equal(deleted.status, 200);
      assert.equal((await store.subscribers.findByEmail("grace@example.org"))?.status, "unsubscribed", "digests stop");
    });

    test("the personal part from follows: a followed author's new paper is in 'For you'; following nothing adds none", async () => {
      const hedy = await verifiedUser(store, "Hedy");
      const ivan = await verifiedUser(store, "Ivan");
      for (const user of [hedy, ivan]) {
        const subscriber = await store.subscribers.request(
          user.email ?? assert.fail("no address"),
          "weekly",
          new Date(),
        );
        await store.subscribers.confirm(subscriber.id, new Date());
      }
      const { items } = await store.feed.slice({ from: DAY, to: DAY, sort: "upvotes", limit: 20 });
      const paper = items.at(-1)?.paper ?? assert.fail("no papers");
      const author = paper.authors.at(-1)?.name ?? assert.fail("no author");
      await store.follows.set(hedy.id, "author", author, true, new Date().toISOString());

      await sendDigests(digestPeriod("weekly", DAY));
      const mine = await smtp.waitFor((m) => to(m) === "hedy@example.org" && /top papers/.test(m.subject ?? ""));
      const theirs = await smtp.waitFor((m) => to(m) === "ivan@example.org" && /top papers/.test(m.subject ?? ""));
      const forYou = (mine.text ?? "").split("\nFOR YOU\n")[1] ?? assert.fail("no 'For you' section");
      assert.match(forYou, /^\n1\. /);
      assert.ok(forYou.includes(paper.title), "the followed author's paper is in 'For you'");
      assert.match(mine.html || "", /For you/);
      assert.doesNotMatch(theirs.text ?? "", /FOR YOU/);
      assert.doesNotMatch(theirs.html || "", /For you/);
    });

    test("a paper a moderator took off the feed leaves My feed and 'For you' as it leaves the feed; put back, it returns", async () => {
      const kay = await verifiedUser(store, "Kay");
      await verifiedUser(store, "Mod", "moderator");
      const subscriber = await store.subscribers.request(kay.email ?? assert.fail("no address"), "daily", new Date());
      await store.subscribers.confirm(subscriber.id, new Date());
      const { items } = await store.feed.slice({ from: DAY, to: DAY, sort: "upvotes", limit: 2 });
      const [hidden, kept] = items.map((item) => item.paper);
      if (!hidden || !kept) assert.fail("two papers on the feed");
      for (const paper of [hidden, kept]) {
        const author = paper.authors[0]?.name ?? assert.fail("no author");
        await store.follows.set(kay.id, "author", author, true, new Date().toISOString());
      }
      const reader = new PageClient(site.app, BASE);
      await reader.logIn("Kay");
      const link = (paper: { id: string }) => `href="/papers/${paper.id}"`;
      const before = await reader.get("/my");
      assert.ok(before.html.includes(link(hidden)) && before.html.includes(link(kept)), "both on My feed");

      const moderator = new PageClient(site.app, BASE);
      await moderator.logIn("Mod");
      await moderator.get(`/papers/${hidden.id}`);
      const hide = { paper: hidden.id, reason: "plagiarised", next: `/papers/${hidden.id}` };
      assert.equal((await moderator.post("/admin/papers/hide", hide)).status, 303);
      assert.ok(!(await reader.get(`/papers/date/${DAY}`)).html.includes(link(hidden)), "off the day's feed");
      const after = await reader.get("/my");
      assert.ok(!after.html.includes(link(hidden)), "off My feed too");
      assert.ok(after.html.includes(link(kept)));
      assert.doesNotMatch(after.html, /plagiarised/, "the reason is for moderators");

      await sendDigests(digestPeriod("daily", DAY));
      const mail = await smtp.waitFor((m) => to(m) === "kay@example.org" && /top papers/.test(m.subject ?? ""));
      const [top = "", forYou = assert.fail("no 'For you' section")] = (mail.text ?? "").split("\nFOR YOU\n");
      assert.ok(forYou.includes(`/papers/${kept.id}`), "the kept paper is in 'For you'");
      assert.ok(!forYou.includes(`/papers/${hidden.id}`), "the hidden one is not");
      assert.ok(!top.includes(`/papers/${hidden.id}`), "nor among the top papers");
      assert.ok(!(mail.html || "").includes(`/papers/${hidden.id}`));

      await moderator.get(`/papers/${hidden.id}`);
      await moderator.post("/admin/papers/unhide", { ...hide, reason: "cleared" });
      assert.ok((await reader.get("/my")).html.includes(link(hidden)), "back on My feed");
    });

    test("a banned account's address gets no mail (reset, sign-up, a move to it, subscribing, digests) and every asker reads what anyone reads", async () => {
      await Promise.all(["lou", "max", "ivy"].map((name) => verifiedUser(store, name)));
      await verifiedUser(store, "judge", "moderator");
      await store.subscribers.activate("lou@example.org", "daily", new Date());
      const lou = new PageClient(site.app, BASE);
      await lou.logIn("lou");
      const judge = new PageClient(site.app, BASE);
      await judge.logIn("judge");
      for (const name of ["lou", "max"]) {
        await judge.get(`/admin/users?q=${name}`);
        assert.equal(
          (await judge.post(`/admin/users/${name}/ban`, { reason: "spam", next: "/admin/users" })).status,
          303,
        );
      }
      const banned = /^(lou|max)@example\.org$/;
      const mailsToBanned = () => smtp.mails.filter((m) => banned.test(to(m) ?? ""));
      const same = (a: string, b: string, address: [string, string]) =>
        assert.equal(
          a.replaceAll(address[0], "X").replace(/value="[^"]*"/g, ""),
          b.replaceAll(address[1], "X").replace(/value="[^"]*"/g, ""),
        );

      const visitor = new PageClient(site.app, BASE);
      await visitor.get("/reset");
      const resetBanned = await visitor.post("/reset", { email: "lou@example.org" });
      const resetLive = await visitor.post("/reset", { email: "ivy@example.org" });
      assert.equal(resetBanned.status, resetLive.status);
      same(resetBanned.html, resetLive.html, ["lou@example.org", "ivy@example.org"]);
      await smtp.waitFor((m) => to(m) === "ivy@example.org" && /reset/i.test(m.subject ?? ""));

      await visitor.get("/signup");
      const signUp = await visitor.post("/signup", {
        username: "lou2",
        email: "lou@example.org",
        password: TEST_PASSWORD,
      });
      assert.match(signUp.html, /Check your inbox/);
      const subscribed = await visitor.post("/subscribe", { email: "max@example.org", period: "weekly" });
      const anyone = await visitor.post("/subscribe", { email: "new.reader@example.org", period: "weekly" });
      same(subscribed.html, anyone.html, ["max@example.org", "new.reader@example.org"]);
      await smtp.waitFor((m) => to(m) === "new.reader@example.org" && /Confirm/.test(m.subject ?? ""));

      const ivy = new PageClient(site.app, BASE);
      await ivy.logIn("ivy");
      await ivy.get("/settings");
      const move = await ivy.post("/settings/email", { email: "max@example.org", password: TEST_PASSWORD });
      assert.match(move.html, /We mailed a link to/);
      assert.equal((await lou.post("/settings/verification", {})).status, 303, "the banned account's session ended");
      assert.equal(
        (await lou.post("/settings/email", { email: "lou@example.net", password: TEST_PASSWORD })).status,
        303,
      );

      await sendDigests(digestPeriod("daily", DAY));
      await smtp.waitFor((m) => to(m) === "ivy@example.org" && /address/i.test(m.subject ?? ""));
      assert.deepEqual(
        mailsToBanned().map((m) => m.subject),
        [],
        "nothing went to a banned account's address",
      );

      await judge.get("/admin/users?q=lou");
      await judge.post("/admin/users/lou/unban", { reason: "appeal", next: "/admin/users" });
      await sendDigests(digestPeriod("daily", DAY));
      await smtp.waitFor((m) => to(m) === "lou@example.org" && /top papers of Aug 21/.test(m.subject ?? ""));
      await visitor.get("/reset");
      await visitor.post("/reset", { email: "lou@example.org" });
      await smtp.waitFor((m) => to(m) === "lou@example.org" && /reset/i.test(m.subject ?? ""));

      await store.outbox.suppress("ivy@example.org", "bounce", "550 mailbox gone", new Date());
      const resets = () => smtp.mails.filter((m) => to(m) === "ivy@example.org" && /reset/i.test(m.subject ?? ""));
      const before = resets().length;
      const resetBounced = await visitor.post("/reset", { email: "ivy@example.org" });
      same(resetBounced.html, resetLive.html, ["ivy@example.org", "ivy@example.org"]);
      const earlier = new Set(smtp.mails);
      await visitor.post("/reset", { email: "lou@example.org" });
      await smtp.waitFor((m) => !earlier.has(m) && to(m) === "lou@example.org" && /reset/i.test(m.subject ?? ""));
      assert.equal(resets().length, before, "no reset mail to an address whose server refused mail for good");
    });
  });
}
