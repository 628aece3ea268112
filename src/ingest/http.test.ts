import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type FixtureReply, startFixtureServer } from "../../test/support/arxiv-fixture-server.ts";
import { fetchText, USER_AGENT } from "./http.ts";

/** Answers 503 with `busy` the first time, then "ok"; records the waits asked for. */
async function busyOnce(busy: FixtureReply, options: { maxWaitSeconds?: number } = {}) {
  const server = await startFixtureServer((_url, earlier) => (earlier === 0 ? busy : { body: "ok" }));
  const waits: number[] = [];
  try {
    const text = await fetchText(new URL(`${server.url}/x`), { ...options, sleep: async (ms) => void waits.push(ms) });
    return { text, waits, requests: server.requests.length };
  } finally {
    await server.close();
  }
}

describe("fetching from arXiv's services", () => {
  test("Retry-After in seconds, as an HTTP date, missing, or longer than allowed", async () => {
    assert.deepEqual((await busyOnce({ status: 503, headers: { "retry-after": "3" } })).waits, [3000]);
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
    const [dated] = (await busyOnce({ status: 503, headers: { "retry-after": inTwoMinutes } })).waits;
    assert.ok(dated !== undefined && dated > 100_000 && dated <= 120_000, `waited ${dated} ms for ${inTwoMinutes}`);
    assert.deepEqual((await busyOnce({ status: 429 })).waits, [10_000], "a default wait when none is given");
    const capped = await busyOnce({ status: 503, headers: { "retry-after": "86400" } }, { maxWaitSeconds: 5 });
    assert.deepEqual(capped, { text: "ok", waits: [5000], requests: 2 });
  });

  test("says who we are, and names the URL and status of an error", async () => {
    const agents: (string | undefined)[] = [];
    const server = await startFixtureServer((_url, _earlier, headers) => {
      agents.push(headers["user-agent"]);
      return { status: 404, body: "no" };
    });
    try {
      await assert.rejects(
        fetchText(new URL(`${server.url}/missing`)),
        /GET http:\/\/127\.0\.0\.1:\d+\/missing answered HTTP 404 Not Found/,
      );
      assert.deepEqual(agents, [USER_AGENT]);
    } finally {
      await server.close();
    }
  });

  test("a server that sends nothing, or stops halfway through the body, is given up on", async () => {
    const server = await startFixtureServer((url) =>
      url.pathname === "/silent" ? { silent: true } : { stall: true, body: "<a>half</a>" },
    );
    try {
      for (const path of ["/silent", "/half"]) {
        const started = Date.now();
        await assert.rejects(
          fetchText(new URL(`${server.url}${path}`), { timeoutMs: 200 }),
          new RegExp(`GET http://127\\.0\\.0\\.1:\\d+${path} took longer than 0\\.2 s; gave up`),
        );
        assert.ok(Date.now() - started < 5000, `${path} was abandoned in time`);
      }
    } finally {
      await server.close();
    }
  });

  test("an unreachable server is named", async () => {
    const server = await startFixtureServer(() => ({ body: "" }));
    await server.close();
    await assert.rejects(
      fetchText(new URL(`${server.url}/oai`)),
      /cannot fetch http:\/\/127\.0\.0\.1:\d+\/oai: .*ECONNREFUSED/,
    );
  });
});
