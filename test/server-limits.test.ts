import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../src/config/index.ts";
import { type RunningServer, startServer } from "../src/server/index.ts";
import { databaseKinds, type TestDatabase } from "./support/databases.ts";

const sqlite = databaseKinds.find((k) => k.kind === "sqlite");
if (!sqlite) throw new Error("the SQLite test database is missing");

/** Writes `text` on a new connection and resolves with what came back once the server closes it. */
function talk(port: number, text: string): Promise<{ answer: string; closedAfterMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    // A connection the server refuses outright is reset: closed, with no answer.
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? undefined : reject(error)));
    socket.on("close", () => resolve({ answer, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after 10 s: ${JSON.stringify(answer)}`));
    }, 10_000).unref();
  });
}

describe("the server's limits on slow and greedy clients", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let port: number;

  before(async () => {
    db = await sqlite.create();
    const config = loadConfig({
      DATABASE_URL: db.url,
      PAPERBOY_DEMO: "off",
      PAPERBOY_LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: "0",
    });
    server = await startServer(config, {
      requestTimeoutMs: 1500,
      headersTimeoutMs: 1000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 3,
    });
    port = Number(new URL(server.url).port);
  });
  after(async () => {
    await server?.close();
    await db?.dispose();
  });

  it("cuts off a POST that sends 6 of the 1,000 bytes it promised, and headers that never end", async () => {
    const slowBody = await talk(
      port,
      'POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":1',
    );
    assert.match(slowBody.answer, /^HTTP\/1\.1 408/);
    assert.ok(slowBody.closedAfterMs < 5000, `closed after ${slowBody.closedAfterMs} ms`);
    const slowHeaders = await talk(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    assert.match(slowHeaders.answer, /^HTTP\/1\.1 408/);
    assert.ok(slowHeaders.closedAfterMs < 5000, `closed after ${slowHeaders.closedAfterMs} ms`);
  });

  it("closes connections beyond the cap as they arrive, and serves again once they are gone", async () => {
    const held = Array.from({ length: 3 }, () => net.connect(port, "127.0.0.1"));
    try {
      await Promise.all(held.map((socket) => new Promise((resolve) => socket.once("connect", resolve))));
      const refused = await talk(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assert.equal(refused.answer, "", "no answer past the cap");
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = await talk(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(served.answer, /^HTTP\/1\.1 200/);
  });
});
