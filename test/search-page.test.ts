import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";
import { embedWithBuiltinModel } from "./support/embedding.ts";

const papers: PaperRecord[] = Array.from({ length: 25 }, (_, i) => ({
  id: `2401.${String(i + 1).padStart(5, "0")}`,
  title: i === 0 ? "Filtering pretraining data <script>alert(1)</script>" : `Study ${i} of data filtering`,
  abstract: "We filter noisy web data before pretraining language models.",
  authors: [{ name: "Ada Lovelace" }],
  categories: ["cs.CL"],
  publishedAt: `2024-01-${String((i % 28) + 1).padStart(2, "0")}T00:00:00.000Z`,
}));

for (const kind of databaseKinds) {
  describe(`search page on ${kind.kind}`, { skip: kind.skip }, () => {
    it("shows highlighted, paged results, jumps to papers by id, and helps when nothing matches", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        const app = testApp(store);

        const first = await app.request("/search?q=filtering");
        assert.equal(first.status, 200);
        const html = await first.text();
        assert.match(html, /25 results/);
        assert.match(html, /<mark>filter<\/mark>/);
        assert.ok(!html.includes("<script>alert(1)"), "titles are escaped");
        assert.match(html, /href="\/search\?q=filtering&amp;page=2"/);
        const second = await (await app.request("/search?q=filtering&page=2&sort=date")).text();
        assert.equal((second.match(/class="card"/g) ?? []).length, 5);

        const jump = await app.request("/search?q=https%3A%2F%2Farxiv.org%2Fabs%2F2401.00003v2");
        assert.equal(jump.status, 302);
        assert.equal(jump.headers.get("location"), "/papers/2401.00003");

        const none = await (await app.request("/search?q=quasar")).text();
        assert.match(none, /No papers match/);
        assert.match(none, /author:hinton/);
        const unknown = await (await app.request("/search?q=2501.99999")).text();
        assert.match(unknown, /2501\.99999 is not in this archive/);
        const help = await (await app.request("/search")).text();
        assert.match(help, /paste an arXiv id/);
        assert.equal((await app.request("/search?q=x&mode=magic")).status, 400);
        assert.equal((await app.request("/search?q=x&page=0")).status, 400);
      }));

    it("ranks pages past the semantic depth by keywords instead of failing", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        await embedWithBuiltinModel(store);
        const app = testApp(store);
        const shown = { hybrid: "both words and meaning", semantic: "meaning" };
        for (const mode of ["hybrid", "semantic"] as const) {
          const deep = await app.request(`/search?q=filtering&mode=${mode}&page=205`);
          assert.equal(deep.status, 200, mode);
          const html = await deep.text();
          assert.match(html, /matched by the words/);
          assert.match(html, /Results past the first 1000 are ranked by keywords only/);
          assert.match(html, /No papers match on this page/);
          const shallow = await (await app.request(`/search?q=filtering&mode=${mode}`)).text();
          assert.match(shallow, new RegExp(`matched by ${shown[mode]}<`));
        }
      }));

    it("shows the papers with a phrase's words when no paper has the exact phrase, and says so", () =>
      withStore(kind, async (store) => {
        await store.papers.upsertBatch(papers);
        await embedWithBuiltinModel(store);
        const app = testApp(store);
        for (const mode of ["hybrid", "keyword"]) {
          const loose = await (
            await app.request(`/search?q=${encodeURIComponent('"pretraining filters"')}&mode=${mode}`)
          ).text();
          assert.match(
            loose,
            /No paper matches &quot;pretraining filters&quot; exactly, so these papers have some of its words/,
            mode,
          );
          assert.match(loose, /25 results/, mode);
          const required = await (
            await app.request(`/search?q=${encodeURIComponent("+quasar filtering")}&mode=${mode}`)
          ).text();
          assert.match(required, /No paper matches \+quasar exactly/, mode);
        }
        // An exact phrase that some paper has keeps to those papers; a date-sorted list stays exact.
        const exact = await (await app.request(`/search?q=${encodeURIComponent('"web data"')}`)).text();
        assert.doesNotMatch(exact, /exactly/);
        const dated = await (
          await app.request(`/search?q=${encodeURIComponent('"pretraining filters"')}&sort=date`)
        ).text();
        assert.match(dated, /No papers match/);
      }));
  });
}
