import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { HTTPException } from "hono/http-exception";
import { registerMcpHttp } from "../mcp/http.ts";
import type { AppEnv } from "../web/app.ts";
import { registerDailyPapers } from "./daily-papers.ts";
import { apiError, rejectInvalidRequest } from "./errors.ts";
import { registerPapers } from "./papers.ts";
import { rateLimit } from "./rate-limit.ts";
import { registerV1 } from "./v1.ts";

export const openApiInfo = {
  title: "Paperboy API",
  version: "1.0.0",
  description:
    "Daily arXiv papers. The Hugging Face compatible endpoints answer like huggingface.co/api (point huggingface_hub's endpoint here); /api/v1 is Paperboy's own, richer shape. MCP (Streamable HTTP) is at /mcp.",
};

/** Every API route and the OpenAPI document (its docs page is a web page); mounted before the HTML pages so they win. */
export function registerApi(app: Hono<AppEnv>): void {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalidRequest });
  const limiter = rateLimit();

  const readOnly = cors({
    origin: "*",
    allowMethods: ["GET", "HEAD", "OPTIONS"],
    exposeHeaders: ["Link", "ETag", "Retry-After"],
  });
  api.use("/api/*", readOnly, limiter);
  api.use("/api/*", etag());
  api.use("/openapi.json", readOnly);
  api.use("/papers/*", readOnly);
  api.use(
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
    limiter,
  );

  registerDailyPapers(api);
  registerPapers(api);
  registerV1(api);
  api.doc31("/openapi.json", { openapi: "3.1.0", info: openApiInfo });
  registerMcpHttp(api);
  // Paths under /api that name no endpoint still answer in JSON, like every other API failure.
  api.all("/api/*", (c) => apiError(c, 404, `no API endpoint at ${c.req.method} ${c.req.path}`));

  api.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) return apiError(c, error.status, error.message);
    c.get("app").logger.error({ err: error, path: c.req.path }, "API request failed");
    return apiError(c, 500, "internal server error");
  });
  app.route("/", api);
}
