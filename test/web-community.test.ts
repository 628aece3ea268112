import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HtmlValidate } from "html-validate";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { communityApp, PageClient, TEST_PASSWORD, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp.ts";

const paper: PaperRecord = {
  id: "2608.30003",
  title: "Forms That Work Without Scripts",
  abstract: "Progressive enhancement, measured.",
  authors: [{ name: "Tim Berners-Lee" }],
  categories: ["cs.HC"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 3,
  feed: { date: "2026-08-21", source: "hf" },
};

const HOSTILE_NAME = `<img src=x onerror="window.__pwned='name'">Mallory`;
const HOSTILE_COMMENT = [
  `<script>window.__pwned = "comment"</script>`,
  `[click me](javascript:window.__pwned='link') <a href="javascript:alert(1)" onclick="alert(1)">raw</a>`,
  `<img src=x onerror="window.__pwned='img'"> **unclosed _markdown [link](http://ok.example`,
  "$\\href{javascript:alert(1)}{x}$ and a [fine link](https://example.org).",
].join("\n\n");

let smtp: TestSmtpServer;
before(async () => {
  smtp = await startSmtpServer();
});
after(() => smtp.close());

for (const kind of databaseKinds) {
  describe(`community pages on ${kind.kind}`, { skip: kind.skip }, () => {
    async function setUp(store: Store) {
      await store.papers.upsertBatch([paper]);
      return communityApp(store, { PAPERBOY_SMTP_URL: smtp.url });
    }

    test("sign-up mails a link that verifies and signs in; a taken address is never revealed", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        const visitor = new PageClient(app);
        await visitor.get("/signup");
        const email = `grace.${kind.kind}@example.org`;
        const signedUp = await visitor.post("/signup", { username: "Grace", email, password: "a long passphrase" });
        assert.equal(signedUp.status, 200);
        assert.match(signedUp.html, /Check your inbox/);
        const mail = await smtp.waitFor(
          (m) =>
            m.subject === "Verify your address for Paperboy" &&
            m.text?.includes("Hi Grace") === true &&
            (m.to && !Array.isArray(m.to) ? m.to.text : "") === email,
        );
        const link = /http:\/\/localhost:3000(\/verify\/\S+)/.exec(mail.text ?? "")?.[1];
        assert.ok(link, "the mail holds a verification link");

        const again = new PageClient(app);
        await again.get("/signup");
        const taken = await again.post("/signup", {
          username: "Imposter",
          email: email.toUpperCase(),
          password: "another passphrase",
        });
        assert.equal(taken.status, signedUp.status);
        assert.equal(
          taken.html.replace(/value="[^"]*"/g, ""),
          signedUp.html.replace(/value="[^"]*"/g, "").replace(email, email.toUpperCase()),
        );
        await smtp.waitFor((m) => m.subject === "Your Paperboy account" && m.text?.includes("Grace") === true);
        assert.equal(await store.users.byUsername("Imposter"), null);

        const verified = await visitor.get(link);
        assert.equal(verified.status, 200);
        assert.match(verified.html, /Welcome, Grace/);
        assert.ok(visitor.hasCookie("paperboy_session"));
        const settings = await visitor.get("/settings");
        assert.match(settings.html, /Signed in as Grace/);
        assert.equal(settings.response.headers.get("cache-control"), "private, no-store");
        assert.equal((await visitor.get(link)).status, 200, "a used link on a verified account says so");
      }));

    test("logging in never tells whether an account exists, and guessing is stopped with 429", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await verifiedUser(store, "ada");
        const client = new PageClient(app);
        await client.get("/login");
        const unknown = await client.post("/login", { login: "nobody", password: "whatever it is" });
        const wrong = await client.post("/login", { login: "ada", password: "whatever it is" });
        assert.deepEqual([unknown.status, wrong.status], [401, 401]);
        const message = (html: string) => /<p class="form-error" role="alert">([^<]*)</.exec(html)?.[1];
        assert.equal(message(unknown.html), message(wrong.html));
        let last = wrong;
        for (let i = 0; i < 10; i++) last = await client.post("/login", { login: "ada", password: `guess ${i}` });
        assert.equal(last.status, 429);
        assert.ok(Number(last.response.headers.get("retry-after")) > 0);
        assert.match(last.html, /too many login attempts/);

        const reset = new PageClient(app);
        await reset.get("/reset");
        const known = await reset.post("/reset", { email: "ada@example.org" });
        const stranger = await reset.post("/reset", { email: "nobody@example.org" });
        assert.equal(known.status, stranger.status);
        assert.equal(
          known.html.replace("ada@example.org", "X").replace(/value="[^"]*"/g, ""),
          stranger.html.replace("nobody@example.org", "X").replace(/value="[^"]*"/g, ""),
        );
        let asked = stranger;
        for (let i = 0; i < 9; i++) asked = await reset.post("/reset", { email: `someone.${i}@example.org` });
        assert.equal(asked.status, 429, "ten reset requests an hour from one address");
        assert.ok(Number(asked.response.headers.get("retry-after")) > 0);
        assert.match(asked.html, /Too many reset requests from your address/);
      }));

    test("a session in use moves its expiry (and its cookie's) on; one left alone expires", () =>
      withStore(kind, async (store) => {
        const { app, clock } = await setUp(store);
        await verifiedUser(store, "ada");
        const client = new PageClient(app);
        await client.logIn("ada");
        const fresh = await client.get("/settings");
        assert.deepEqual(fresh.response.headers.getSetCookie(), []);
        clock.offsetMs = 20 * 86_400_000;
        const renewed = await client.get("/settings");
        assert.equal(renewed.status, 200);
        assert.match(
          renewed.response.headers.getSetCookie()[0] ?? "",
          /^paperboy_session=.*Max-Age=\d+.*HttpOnly.*SameSite=Lax/,
        );
        assert.doesNotMatch(renewed.response.headers.getSetCookie()[0] ?? "", /Secure/, "plain http here");
        clock.offsetMs = 49 * 86_400_000;
        assert.equal((await client.get("/settings")).status, 200, "30 days after the last visit, not the first");
        clock.offsetMs = 80 * 86_400_000;
        assert.equal((await client.get("/settings")).status, 303, "left alone for 31 days, it is over");
      }));

    test("behind https the session cookie is Secure", () =>
      withStore(kind, async (store) => {
        const { app } = communityApp(store, { PAPERBOY_BASE_URL: "https://papers.example.org" });
        await verifiedUser(store, "ada");
        const client = new PageClient(app, "https://papers.example.org");
        await client.get("/login");
        const { response } = await client.post("/login", { login: "ada", password: TEST_PASSWORD });
        assert.equal(response.status, 303);
        assert.match(
          response.headers.getSetCookie().join("\n"),
          /paperboy_session=[^;]+;.*HttpOnly.*Secure.*SameSite=Lax/,
        );
      }));

    test("a form without this site's token or from another origin changes nothing", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await verifiedUser(store, "ada");
        const client = new PageClient(app);
        await client.logIn("ada");
        await client.get(`/papers/${paper.id}`);
        const vote = (options: Parameters<PageClient["post"]>[2]) =>
          client.post(`/papers/${paper.id}/upvote`, { upvoted: "1" }, options);
        assert.equal((await vote({ token: null })).status, 403);
        assert.equal((await vote({ token: "forged" })).status, 403);
        assert.equal((await vote({ origin: "https://evil.example" })).status, 403);
        assert.equal((await client.post(`/papers/${paper.id}/comments`, { body: "hi" }, { token: null })).status, 403);
        assert.equal((await client.post("/logout", {}, { token: null })).status, 403);
        assert.equal((await store.papers.get(paper.id))?.upvotes, 3);

        const noScript = await vote({});
        assert.equal(noScript.status, 303);
        assert.equal(noScript.response.headers.get("location"), `/papers/${paper.id}`);
        const withScript = await client.post(
          `/papers/${paper.id}/upvote`,
          { upvoted: "0" },
          { accept: "application/json" },
        );
        assert.deepEqual(JSON.parse(withScript.html), { upvotes: 3, upvoted: false });
        const page = await client.get(`/papers/${paper.id}`);
        assert.match(page.html, /aria-pressed="false"/);
        assert.equal(page.response.headers.get("cache-control"), "private, no-cache");
      }));

    test("only its author edits a comment and only its author or a moderator deletes it", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await Promise.all([
          verifiedUser(store, "ada"),
          verifiedUser(store, "bob"),
          verifiedUser(store, "mod", "moderator"),
        ]);
        const [ada, bob, mod] = [new PageClient(app), new PageClient(app), new PageClient(app)];
        await Promise.all([ada.logIn("ada"), bob.logIn("bob"), mod.logIn("mod")]);
        await ada.get(`/papers/${paper.id}`);
        const posted = await ada.post(`/papers/${paper.id}/comments`, { body: "First!" });
        assert.equal(posted.status, 303);
        const id = /#comment-(\d+)$/.exec(posted.response.headers.get("location") ?? "")?.[1];
        assert.ok(id);
        await bob.get(`/papers/${paper.id}`);
        assert.equal((await bob.post(`/comments/${id}/edit`, { body: "Bob was here" })).status, 403);
        assert.equal((await bob.post(`/comments/${id}/delete`, {})).status, 403);
        assert.equal((await store.comments.get(Number(id)))?.body, "First!");
        await mod.get(`/papers/${paper.id}`);
        assert.equal((await mod.post(`/comments/${id}/delete`, {})).status, 303);
        assert.equal((await store.comments.get(Number(id)))?.deleted, true);
      }));

    test("settings change the password and the address, make and revoke tokens, and delete the account", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await Promise.all([verifiedUser(store, "ada"), verifiedUser(store, "bob")]);
        const [ada, elsewhere, bob] = [new PageClient(app), new PageClient(app), new PageClient(app)];
        await Promise.all([ada.logIn("ada"), elsewhere.logIn("ada"), bob.logIn("bob")]);
        await ada.get(`/papers/${paper.id}`);
        assert.equal((await ada.post(`/papers/${paper.id}/upvote`, { upvoted: "1" })).status, 303);
        const posted = await ada.post(`/papers/${paper.id}/comments`, { body: "Ada's *first* thought" });
        const parentId = /#comment-(\d+)$/.exec(posted.response.headers.get("location") ?? "")?.[1] ?? "";
        await bob.get(`/papers/${paper.id}`);
        assert.equal((await bob.post(`/papers/${paper.id}/comments`, { body: "Bob's answer", parentId })).status, 303);

        await ada.get("/settings");
        const wrong = await ada.post("/settings/password", {
          currentPassword: "not it at all",
          password: "x".repeat(12),
        });
        assert.equal(wrong.status, 403);
        const changed = await ada.post("/settings/password", {
          currentPassword: TEST_PASSWORD,
          password: "a brand new passphrase",
        });
        assert.match(changed.html, /Password changed/);
        assert.equal((await elsewhere.get("/settings")).status, 303, "the other device is logged out");
        assert.equal((await ada.get("/settings")).status, 200, "this one stays");

        const newEmail = `ada.new.${kind.kind}@example.org`;
        const asked = await ada.post("/settings/email", { email: newEmail, password: "a brand new passphrase" });
        assert.match(asked.html, /We mailed a link to/);
        const mail = await smtp.waitFor(
          (m) =>
            (m.to && !Array.isArray(m.to) ? m.to.text : "") === newEmail &&
            /Confirm your new address/.test(m.subject ?? ""),
        );
        assert.equal((await store.users.byUsername("ada"))?.email, "ada@example.org", "not before the link is opened");
        const link = /http:\/\/localhost:3000(\/email\/\S+)/.exec(mail.text ?? "")?.[1] ?? "";
        assert.match((await ada.get(link)).html, /address is now ada\.new/);
        assert.equal((await store.users.byUsername("ada"))?.email, newEmail);
        assert.equal((await ada.get(link)).status, 404, "a link works once");

        await ada.get("/settings");
        const made = await ada.post("/settings/tokens", { name: "reader", scope: "read" });
        const secret = /id="new-token" type="text" readonly="" value="([^"]+)"/.exec(made.html)?.[1] ?? "";
        assert.match(secret, /^pb_/);
        const bearer = { authorization: `Bearer ${secret}` };
        assert.equal((await (await app.request("/api/v1/me", { headers: bearer })).json()).username, "ada");
        const refused = await app.request(`/api/v1/papers/${paper.id}/upvote`, { method: "DELETE", headers: bearer });
        assert.equal(refused.status, 403, "a read token cannot vote");
        const tokenId = /\/settings\/tokens\/(\d+)\/revoke/.exec(made.html)?.[1];
        assert.match((await ada.post(`/settings/tokens/${tokenId}/revoke`, {})).html, /Token revoked/);
        assert.equal((await app.request("/api/v1/me", { headers: bearer })).status, 401);

        await ada.get("/settings");
        assert.equal((await ada.post("/settings/delete", { password: TEST_PASSWORD })).status, 403);
        assert.equal((await store.users.byUsername("ada"))?.deleted, false);
        const gone = await ada.post("/settings/delete", { password: "a brand new passphrase" });
        assert.match(gone.html, /Account deleted/);
        assert.equal((await store.papers.get(paper.id))?.upvotes, 3, "the vote went with the account");
        const page = await bob.get(`/papers/${paper.id}`);
        assert.match(page.html, /\[deleted\]/);
        assert.doesNotMatch(page.html, /first<\/em> thought/);
        assert.match(page.html, /Bob&#39;s answer|Bob's answer/, "the reply stays");
        const again = new PageClient(app);
        await again.get("/login");
        assert.equal((await again.post("/login", { login: newEmail, password: "a brand new passphrase" })).status, 401);
      }));

    test("hostile names and comments are stored as typed and shown as text", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await verifiedUser(store, "mallory");
        const client = new PageClient(app);
        await client.get("/signup");
        const bad = await client.post("/signup", {
          username: "<b>x</b>",
          email: "x@example.org",
          password: "a long passphrase",
        });
        assert.equal(bad.status, 400);
        assert.match(bad.html, /username: letters, digits, _ and - only/);
        assert.match(bad.html, /value="&lt;b&gt;x&lt;\/b&gt;"/);

        await client.logIn("mallory");
        await client.get("/settings");
        assert.equal((await client.post("/settings/profile", { displayName: HOSTILE_NAME })).status, 200);
        await client.get(`/papers/${paper.id}`);
        assert.equal((await client.post(`/papers/${paper.id}/comments`, { body: HOSTILE_COMMENT })).status, 303);
        const huge = await client.post(`/papers/${paper.id}/comments`, { body: "x".repeat(10_001) });
        assert.equal(huge.status, 400);
        assert.match(huge.html, /at most 10,000 characters/);

        const [stored] = await store.comments.forPaper(paper.id);
        assert.equal(stored?.body, HOSTILE_COMMENT);
        assert.equal((await store.users.byUsername("mallory"))?.displayName, HOSTILE_NAME);
        const { html } = await client.get(`/papers/${paper.id}`);
        const discussion = html.slice(html.indexOf('<section id="comments"'));
        assert.doesNotMatch(discussion, /<script|<img src=x|href="javascript:|<[a-z][^>]*\son[a-z]+=/i);
        assert.match(discussion, /&lt;script&gt;window.__pwned/);
        assert.match(discussion, /<a href="https:\/\/example.org" rel="nofollow ugc noopener">fine link<\/a>/);
        assert.match(
          html,
          /&lt;img src=x onerror=&quot;window.__pwned=&#39;name&#39;&quot;&gt;Mallory|&lt;img src=x onerror="window.__pwned='name'"&gt;Mallory/,
        );
      }));

    test("the community's pages parse without an HTML error", () =>
      withStore(kind, async (store) => {
        const { app } = await setUp(store);
        await verifiedUser(store, "ada");
        const anonymous = new PageClient(app);
        const client = new PageClient(app);
        await client.logIn("ada");
        await client.get(`/papers/${paper.id}`);
        await client.post(`/papers/${paper.id}/comments`, { body: "A *thread* with $x^2$" });
        const [first] = await store.comments.forPaper(paper.id);
        await client.post(`/papers/${paper.id}/comments`, { body: "A reply", parentId: String(first?.id) });
        const validator = new HtmlValidate({ extends: ["html-validate:standard", "html-validate:a11y"] });
        const pages: [PageClient, string][] = [
          [anonymous, "/login"],
          [anonymous, "/signup"],
          [anonymous, "/reset"],
          [client, "/settings"],
          [client, "/submit"],
          [client, `/comments/${first?.id}/edit`],
          [client, `/papers/${paper.id}`],
          [anonymous, `/papers/${paper.id}`],
          [client, "/papers/date/2026-08-21"],
        ];
        for (const [who, path] of pages) {
          const { status, html } = await who.get(path);
          assert.equal(status, 200, path);
          const report = await validator.validateString(html);
          const messages = report.results.flatMap((r) =>
            r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
          );
          assert.deepEqual(messages, [], path);
        }
      }));
  });
}
