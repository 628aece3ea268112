import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HtmlValidate } from "html-validate";
import type { PaperRecord } from "../src/papers/record.ts";
import type { Store } from "../src/store/index.ts";
import { communityApp, PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

const paper: PaperRecord = {
  id: "2608.30035",
  title: "Keeping a Commons Civil",
  abstract: "Moderation with an audit trail.",
  authors: [{ name: "Elinor Ostrom" }, { name: "Ada Lovelace" }],
  categories: ["cs.CY"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 3,
  feed: { date: "2026-08-21", source: "hf" },
};

const adminPages = [
  "/admin",
  "/admin/reports",
  "/admin/claims",
  "/admin/hidden",
  "/admin/users",
  "/admin/organizations",
  "/admin/log",
  "/admin/mail",
];
const adminForms = [
  "/admin/comments/1/hide",
  "/admin/papers/lock",
  "/admin/users/ada/ban",
  "/admin/users/ada/role",
  "/admin/claims/1/approve",
  "/admin/organizations",
  "/admin/organizations/members",
  "/admin/mail/x/retry",
];
const adminApi: [string, string][] = [
  ["GET", "/api/v1/admin/reports"],
  ["GET", "/api/v1/admin/claims"],
  ["GET", "/api/v1/admin/log"],
  ["POST", "/api/v1/admin/claims/1/approve"],
  ["POST", "/api/v1/admin/comments/1/hide"],
  ["POST", `/api/v1/admin/papers/${paper.id}/lock`],
  ["POST", "/api/v1/admin/papers/hep-th/9901001/hide"],
  ["POST", "/api/v1/admin/users/ada/ban"],
  ["PUT", "/api/v1/admin/users/ada/role"],
  ["POST", "/api/v1/admin/organizations"],
  ["PUT", "/api/v1/admin/organizations/nvidia/members/ada"],
];

async function setUp(store: Store) {
  await store.papers.upsertBatch([paper]);
  const { app, community } = communityApp(store);
  const [ada, mod] = [await verifiedUser(store, "ada"), await verifiedUser(store, "mod", "moderator")];
  const api = async (method: string, path: string, token: string | null, given?: unknown) => {
    const body = method === "GET" ? undefined : given;
    const response = await app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const tokenOf = async (user: typeof ada) => (await community.accounts.createApiToken(user, "t", "write")).secret;
  return { app, community, ada, mod, api, tokenOf };
}

for (const kind of databaseKinds) {
  describe(`moderation pages and API on ${kind.kind}`, { skip: kind.skip }, () => {
    test("every /admin page, form and moderation API refuses anyone but a moderator", () =>
      withStore(kind, async (store) => {
        const { app, ada, mod, api, tokenOf } = await setUp(store);
        const visitor = new PageClient(app);
        const reader = new PageClient(app);
        await reader.logIn("ada");
        for (const path of adminPages) {
          assert.equal((await visitor.get(path)).status, 403, `visitor ${path}`);
          assert.equal((await reader.get(path)).status, 403, `user ${path}`);
        }
        await reader.get("/settings");
        for (const path of adminForms) {
          const refused = await reader.post(path, { reason: "x", paper: paper.id, role: "admin" });
          assert.equal(refused.status, 403, `user POST ${path}`);
        }
        const adaToken = await tokenOf(ada);
        for (const [method, path] of adminApi) {
          assert.equal((await api(method, path, null, { reason: "x" })).status, 401, `anonymous ${method} ${path}`);
          assert.equal((await api(method, path, adaToken, { reason: "x" })).status, 403, `user ${method} ${path}`);
        }
        assert.equal((await store.users.byUsername("ada"))?.role, "user");
        assert.equal((await store.moderation.log({ limit: 5, offset: 0 })).total, 0, "nothing was done");

        const moderator = new PageClient(app);
        await moderator.logIn("mod");
        const validator = new HtmlValidate({ extends: ["html-validate:standard", "html-validate:a11y"] });
        await store.comments.report({
          commentId: (
            (await store.comments.add({
              paperId: paper.id,
              userId: ada.id,
              parentId: null,
              body: "hm",
              now: new Date().toISOString(),
            })) as { id: number }
          ).id,
          userId: mod.id,
          reason: "check",
          now: new Date().toISOString(),
        });
        for (const path of [...adminPages, `/papers/${paper.id}`, `/papers/${paper.id}/claim`]) {
          const { status, html } = await moderator.get(path);
          assert.equal(status, 200, path);
          assert.doesNotMatch(html, /style="|<script>/, path);
          const report = await validator.validateString(html);
          const messages = report.results.flatMap((r) =>
            r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
          );
          assert.deepEqual(messages, [], path);
        }
        assert.equal((await api("GET", "/api/v1/admin/reports", await tokenOf(mod))).status, 200);
      }));

    test("a claim made on the page and approved by a moderator gives the author a badge and the HF API its user, once", () =>
      withStore(kind, async (store) => {
        const { app, mod, api, tokenOf } = await setUp(store);
        const ada = new PageClient(app);
        await ada.logIn("ada");
        const form = await ada.get(`/papers/${paper.id}/claim`);
        assert.match(form.html, /Which author are you\?/);
        const sent = await ada.post(`/papers/${paper.id}/claim`, { position: "1" });
        assert.equal(sent.status, 200);
        assert.match(sent.html, /claim to be Ada Lovelace/);
        assert.match((await ada.get(`/papers/${paper.id}`)).html, /Your claim to be Ada Lovelace is waiting/);
        const again = await ada.post(`/papers/${paper.id}/claim`, { position: "0" });
        assert.equal(again.status, 409);

        const moderator = new PageClient(app);
        await moderator.logIn("mod");
        const queue = await moderator.get("/admin/claims");
        const claimId = /\/admin\/claims\/(\d+)\/approve/.exec(queue.html)?.[1];
        assert.ok(claimId, "the queue offers to approve the claim");
        const approved = await moderator.post(`/admin/claims/${claimId}/approve`, { next: "/admin/claims" });
        assert.equal(approved.status, 303);
        const second = await api("POST", `/api/v1/admin/claims/${claimId}/approve`, await tokenOf(mod));
        assert.equal(second.status, 409, "a claim is decided once");
        assert.match(String(second.body.error), /approved already by mod/);

        const page = await new PageClient(app).get(`/papers/${paper.id}`);
        assert.match(page.html, /<a class="author-badge" href="\/users\/ada"/);
        const author = await new PageClient(app).get(`/authors/${encodeURIComponent("Ada Lovelace")}`);
        assert.match(author.html, /<a href="\/users\/ada">@ada<\/a>/, "the author page links the profile");
        const profile = await new PageClient(app).get("/users/ada");
        assert.match(profile.html, /Papers as an author[\s\S]*Keeping a Commons Civil/, "the profile lists the paper");
        const day = await new PageClient(app).get("/papers/date/2026-08-21");
        assert.match(day.html, /author-badge" href="\/users\/ada"/, "cards carry the badge too");
        const hf = await api("GET", `/api/papers/${paper.id}`, null);
        const authors = hf.body.authors as Record<string, unknown>[];
        assert.equal(authors[0]?.user, undefined);
        assert.equal((authors[1]?.user as Record<string, unknown>)?.user, "ada");
        assert.equal(authors[1]?.status, "claimed_verified");
        const daily = await api("GET", "/api/daily_papers?date=2026-08-21", null);
        assert.equal((daily.body as unknown as Record<string, unknown>[])[0]?.isAuthorParticipating, true);
        const log = await api("GET", "/api/v1/admin/log", await tokenOf(mod));
        assert.deepEqual(
          (log.body.entries as { action: string }[]).map((e) => e.action),
          ["approve claim"],
        );
      }));

    test("the API's comment list marks hidden comments for moderators, and blanks or leaves them out for others", () =>
      withStore(kind, async (store) => {
        const { ada, mod, api, tokenOf } = await setUp(store);
        const now = new Date().toISOString();
        const say = async (body: string, parentId: number | null = null) => {
          const made = await store.comments.add({ paperId: paper.id, userId: ada.id, parentId, body, now });
          if (typeof made === "string") throw new Error(made);
          return made.id;
        };
        const answered = await say("Buy my course");
        await say("Seriously, buy it", answered);
        const alone = await say("And my other course");
        const modToken = await tokenOf(mod);
        for (const id of [answered, alone]) {
          assert.equal(
            (await api("POST", `/api/v1/admin/comments/${id}/hide`, modToken, { reason: "ads" })).status,
            200,
          );
        }
        type Listed = {
          id: number;
          author: unknown;
          body: string;
          deleted: boolean;
          hidden: boolean;
          hiddenReason: string | null;
        };
        const listFor = async (token: string | null) =>
          ((await api("GET", `/api/v1/papers/${paper.id}/comments`, token)).body.comments as Listed[]).map((c) => ({
            id: c.id,
            author: c.author !== null,
            body: c.body,
            deleted: c.deleted,
            hidden: c.hidden,
            hiddenReason: c.hiddenReason,
          }));
        const blanked = { author: false, body: "", deleted: true, hidden: true, hiddenReason: null };
        const reply = { author: true, body: "Seriously, buy it", deleted: false, hidden: false, hiddenReason: null };
        for (const reader of [null, await tokenOf(ada)]) {
          assert.deepEqual(await listFor(reader), [
            { id: answered, ...blanked },
            { id: answered + 1, ...reply },
          ]);
        }
        assert.deepEqual(await listFor(modToken), [
          { id: answered, author: true, body: "Buy my course", deleted: false, hidden: true, hiddenReason: "ads" },
          { id: answered + 1, ...reply },
          { id: alone, author: true, body: "And my other course", deleted: false, hidden: true, hiddenReason: "ads" },
        ]);
      }));

    test("a ban from the users page ends the account's session and token and hides its comment; hiding and locking show their reasons to moderators", () =>
      withStore(kind, async (store) => {
        const { app, ada: adaUser, api, tokenOf } = await setUp(store);
        const ada = new PageClient(app);
        await ada.logIn("ada");
        await ada.get(`/papers/${paper.id}`);
        await ada.post(`/papers/${paper.id}/comments`, { body: "Buy my course" });
        const adaToken = await tokenOf(adaUser);
        const moderator = new PageClient(app);
        await moderator.logIn("mod");

        const [comment] = await store.comments.forPaper(paper.id);
        await moderator.get(`/papers/${paper.id}`);
        await moderator.post(`/admin/comments/${comment?.id}/hide`, {
          reason: "advertising",
          next: `/papers/${paper.id}`,
        });
        assert.match((await moderator.get(`/papers/${paper.id}`)).html, /Hidden by a moderator: advertising/);
        const seen = await new PageClient(app).get(`/papers/${paper.id}`);
        assert.doesNotMatch(seen.html, /Buy my course|advertising/);
        const listed = await api("GET", `/api/v1/papers/${paper.id}/comments`, null);
        assert.doesNotMatch(JSON.stringify(listed.body), /Buy my course|advertising/);

        await moderator.post("/admin/papers/lock", { paper: paper.id, reason: "heated", next: `/papers/${paper.id}` });
        const locked = await ada.post(`/papers/${paper.id}/comments`, { body: "one more" });
        assert.equal(locked.status, 403);
        assert.match((await ada.get(`/papers/${paper.id}`)).html, /A moderator locked this discussion\./);

        await moderator.get("/admin/users?q=ad");
        const banned = await moderator.post("/admin/users/ada/ban", { reason: "spam", next: "/admin/users" });
        assert.equal(banned.status, 303);
        assert.equal((await ada.get("/settings")).status, 303, "the session ended");
        assert.equal((await api("GET", "/api/v1/me", adaToken)).status, 401, "the token stopped working");
        const stranger = new PageClient(app);
        await stranger.get("/login");
        const guess = await stranger.post("/login", { login: "ada", password: "a wrong guess" });
        assert.equal(guess.status, 401);
        assert.match(guess.html, /wrong username, e-mail address or password/, "a guesser learns nothing");
        assert.doesNotMatch(guess.html, /suspended/);
        const login = await stranger.post("/login", { login: "ada", password: "correct horse battery" });
        assert.equal(login.status, 403, "a banned account cannot log in");
        assert.match(login.html, /this account is suspended/);
        assert.equal((await new PageClient(app).get("/users/ada")).status, 404, "a banned account's profile is hidden");
        assert.equal((await moderator.get("/users/ada")).status, 200, "but not from moderators");
        const users = await moderator.get("/admin/users");
        assert.match(users.html, /banned: spam/);
        const log = await moderator.get("/admin/log");
        for (const action of ["hide comment", "lock discussion", "ban"])
          assert.match(log.html, new RegExp(`<td>${action}</td>`));
        await moderator.get("/admin/users");
        await moderator.post("/admin/users/ada/unban", { reason: "appeal", next: "/admin/users" });
        const back = await stranger.post("/login", { login: "ada", password: "correct horse battery" });
        assert.equal(back.status, 303, "lifting the ban lets the account log in again");
      }));

    test("an admin creates an organisation and adds a member, who links a paper they submitted to it", () =>
      withStore(kind, async (store) => {
        const { app, ada, api, tokenOf } = await setUp(store);
        await verifiedUser(store, "root", "admin");
        const submitted = { ...paper, id: "2608.30036", title: "A Lab's Own Paper", feed: undefined };
        await store.papers.upsertBatch([submitted]);
        await store.submissions.submit({
          paperId: submitted.id,
          userId: ada.id,
          submittedBy: { name: "ada" },
          day: "2026-08-21",
          dailyLimit: 10,
        });
        const moderator = new PageClient(app);
        await moderator.logIn("mod");
        await moderator.get("/admin/organizations");
        assert.equal((await moderator.post("/admin/organizations", { name: "my-lab" })).status, 403, "admins only");

        const root = new PageClient(app);
        await root.logIn("root");
        await root.get("/admin/organizations");
        const created = await root.post("/admin/organizations", { name: "my-lab", fullname: "My Lab" });
        assert.equal(created.response.headers.get("location"), "/organizations/my-lab");
        assert.equal((await root.post("/admin/organizations", { name: "MY-LAB" })).status, 409);
        await root.post("/admin/organizations/members", { organization: "my-lab", username: "ada" });
        assert.match((await root.get("/admin/organizations")).html, /href="\/users\/ada">ada<\/a>/);

        const member = new PageClient(app);
        await member.logIn("ada");
        const page = await member.get(`/papers/${submitted.id}`);
        assert.match(page.html, /You submitted this paper: link it to/);
        const linked = await member.post(`/papers/${submitted.id}/organization`, { organization: "my-lab" });
        assert.equal(linked.status, 303);
        const org = await member.get("/organizations/my-lab");
        assert.match(org.html, /A Lab&#39;s Own Paper|A Lab's Own Paper/);
        const credit = /<a href="\/organizations\/my-lab">My Lab<\/a>/;
        assert.match(org.html, credit, "its card names the organisation, as a Hugging Face one's does");
        const linkedPage = await new PageClient(app).get(`/papers/${submitted.id}`);
        assert.match(linkedPage.html, new RegExp(`<dt>Organisation</dt><dd>${credit.source}`));
        const cardVersion = (html: string) => /\.png\?v=([\w-]+)/.exec(html)?.[1];
        assert.ok(cardVersion(page.html));
        assert.notEqual(cardVersion(linkedPage.html), cardVersion(page.html), "the link-preview card names it too");
        const hfShaped = await api("GET", `/api/papers/${submitted.id}`, null);
        assert.deepEqual(
          hfShaped.body.organization,
          { name: "my-lab", fullname: "My Lab" },
          "as Hugging Face's API would",
        );
        const author = await new PageClient(app).get("/authors/Elinor%20Ostrom");
        assert.match(author.html, credit);
        const notTheirs = await api("POST", "/api/v1/organizations/my-lab/papers", await tokenOf(ada), {
          paper: paper.id,
        });
        assert.equal(notTheirs.status, 403, "only papers the member submitted");
        const log = await api("GET", "/api/v1/admin/log", await tokenOf(ada));
        assert.equal(log.status, 403);
        const actions = (await store.moderation.log({ limit: 10, offset: 0 })).entries.map((e) => e.action);
        assert.deepEqual(actions, ["add member", "create organization"]);
      }));
  });
}
