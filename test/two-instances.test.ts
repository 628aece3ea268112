import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import { describe, test } from "node:test";
import type { PaperRecord } from "../src/papers/record.ts";
import { startCli } from "./support/cli.ts";
import { PageClient, verifiedUser } from "./support/community.ts";
import { databaseKinds } from "./support/databases.ts";

const postgres = databaseKinds.find((k) => k.kind === "postgres") ?? assert.fail("no PostgreSQL kind");

const paper: PaperRecord = {
  id: "2608.40004",
  title: "One Database, Two Servers",
  abstract: "Sessions in the database.",
  authors: [{ name: "Leslie Lamport" }],
  categories: ["cs.DC"],
  publishedAt: "2026-08-20T17:00:00.000Z",
  upvotes: 10,
  feed: { date: "2026-08-21", source: "hf" },
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `paperboy serve` in its own process, answering once it says it listens. */
async function serve(databaseUrl: string): Promise<{ base: string; process: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startCli(["serve"], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    PAPERBOY_BASE_URL: base,
    PAPERBOY_DEMO: "off",
    PAPERBOY_LOG_LEVEL: "info",
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("paperboy is listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { base, process: child };
}

const overHttp = (base: string) => ({
  request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, { ...init, redirect: "manual" }),
});

describe("two paperboy serve processes on one PostgreSQL database", { skip: postgres.skip }, () => {
  test("a login, a vote and a comment made through one are seen through the other", async () => {
    const db = await postgres.create();
    const instances: ChildProcess[] = [];
    try {
      const store = await db.open();
      try {
        await store.papers.upsertBatch([paper]);
        await verifiedUser(store, "ada");
      } finally {
        await store.close();
      }
      const [a, b] = await Promise.all([serve(db.url), serve(db.url)]);
      instances.push(a.process, b.process);

      const throughA = new PageClient(overHttp(a.base), a.base);
      await throughA.logIn("ada");
      const throughB = PageClient.sharing(throughA, overHttp(b.base), b.base);
      const settings = await throughB.get("/settings");
      assert.equal(settings.status, 200);
      assert.match(settings.html, /Signed in as ada/, "B knows the session A started");

      await throughA.get(`/papers/${paper.id}`);
      assert.equal((await throughA.post(`/papers/${paper.id}/upvote`, { upvoted: "1" })).status, 303);
      const onB = (await (await fetch(`${b.base}/api/papers/${paper.id}`)).json()) as { upvotes: number };
      assert.equal(onB.upvotes, 11, "B counts the vote made through A");

      await throughB.get(`/papers/${paper.id}`);
      assert.match(throughB.token, /\S/);
      assert.equal((await throughB.post(`/papers/${paper.id}/comments`, { body: "Written through B" })).status, 303);
      const onA = (await (await fetch(`${a.base}/api/v1/papers/${paper.id}/comments`)).json()) as {
        comments: { body: string; author: { username: string } }[];
      };
      assert.deepEqual(
        onA.comments.map((c) => [c.author.username, c.body]),
        [["ada", "Written through B"]],
      );
      const pageOnA = await throughA.get(`/papers/${paper.id}`);
      assert.match(pageOnA.html, /aria-pressed="true"/, "A shows the vote as ada's");
      assert.match(pageOnA.html, /Written through B/);

      await throughB.post("/logout", {});
      assert.equal((await throughA.get("/settings")).status, 303, "logging out through B ends the session on A");
    } finally {
      for (const child of instances) child.kill("SIGTERM");
      await Promise.all(instances.map((child) => new Promise((resolve) => child.once("close", resolve))));
      await db.dispose();
    }
  });
});
