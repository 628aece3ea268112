import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../http/context.ts";
import { apiBudget, rateLimit } from "../http/rate-limit.ts";
import { createMcpServer } from "./server.ts";

/** A JSON-RPC batch of tool calls is far smaller; a larger body is refused before it is read. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A failure in JSON-RPC's shape, which MCP clients read. */
function rpcError(c: Context<AppEnv>, status: ContentfulStatusCode, code: number, message: string) {
  return c.json({ jsonrpc: "2.0", id: null, error: { code, message } }, status);
}

/**
 * The MCP specification asks servers to check Origin against DNS rebinding: a page elsewhere must
 * not reach a Paperboy on localhost through the visitor's browser. No Origin (desktop assistants,
 * scripts) is fine; a browser's must be the site's own or one PAPERBOY_MCP_ORIGINS lists.
 */
const checkOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("origin");
  const { config } = c.get("app");
  const allowed =
    origin === undefined ||
    origin === new URL(config.baseUrl).origin ||
    config.mcpOrigins.includes("*") ||
    config.mcpOrigins.includes(origin);
  if (!allowed) {
    return rpcError(c, 403, -32000, `pages from ${origin} may not call this MCP server (see PAPERBOY_MCP_ORIGINS)`);
  }
  await next();
};

/** Each JSON-RPC message of a batch is a request of its own for the rate limit. */
async function messageCount(c: Context<AppEnv>): Promise<number> {
  if (c.req.method !== "POST") return 1;
  const body: unknown = await c.req.json().catch(() => null);
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}

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
    checkOrigin,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => rpcError(c, 413, -32600, `the request body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
    rateLimit({ ...apiBudget, cost: messageCount, refuse: (c, { message }) => rpcError(c, 429, -32000, message) }),
  );
  app.all("/mcp", async (c) => {
    let parsedBody: unknown;
    if (c.req.method === "POST") {
      try {
        // Read once (the rate limit counted its messages) and handed to the transport as read.
        parsedBody = await c.req.json();
      } catch {
        return rpcError(c, 400, -32700, "parse error: the request body is not JSON");
      }
    }
    const { store, config, embedder, logger } = c.get("app");
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    const server = createMcpServer({ store, baseUrl: config.baseUrl, embedder, logger });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, parsedBody === undefined ? undefined : { parsedBody });
    } finally {
      await server.close();
    }
  });
}
