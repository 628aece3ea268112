import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../http/context.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { createMcpServer } from "./server.ts";

/**
 * MCP over Streamable HTTP at `/mcp`, stateless: every request gets its own server and
 * transport, so no session state lives between requests and any instance can answer.
 */
export function registerMcpHttp(app: Hono<AppEnv>): void {
  app.use(
    "/mcp",
    cors({
      origin: "*",
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: [
        "Content-Type",
        "Accept",
        "Authorization",
        "Mcp-Session-Id",
        "Mcp-Protocol-Version",
        "Last-Event-ID",
      ],
      exposeHeaders: ["Mcp-Session-Id", "Retry-After"],
    }),
    rateLimit(),
  );
  app.all("/mcp", async (c) => {
    const { store, config, embedder } = c.get("app");
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = createMcpServer({ store, baseUrl: config.baseUrl, embedder });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
}
