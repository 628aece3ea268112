import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { etag } from "hono/etag";
import { HTTPException } from "hono/http-exception";
import { CommunityError } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import { apiBudget, rateLimit } from "../http/rate-limit.ts";
import { communityApiError, registerCommunityApi } from "./community.ts";
import { readOnlyCors } from "./cors.ts";
import { registerDailyPapers } from "./daily-papers.ts";
import { apiError, rejectInvalidRequest } from "./errors.ts";
import { registerPapers } from "./papers.ts";
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

  api.use("/api/*", readOnlyCors, rateLimit(apiBudget));
  api.use("/api/*", etag());
  api.use("/openapi.json", readOnlyCors);

  registerDailyPapers(api);
  registerPapers(api);
  // Before v1's papers, whose /api/v1/papers/:archive/:number would take /api/v1/papers/{id}/comments.
  registerCommunityApi(api);
  registerV1(api);
  api.doc31("/openapi.json", { openapi: "3.1.0", info: openApiInfo });
  // Paths under /api that name no endpoint still answer in JSON, like every other API failure.
  api.all("/api/*", (c) => apiError(c, 404, `no API endpoint at ${c.req.method} ${c.req.path}`));

  api.onError((error, c) => {
    if (error instanceof CommunityError) return communityApiError(c, error);
    if (error instanceof HTTPException && error.status < 500) return apiError(c, error.status, error.message);
    c.get("app").logger.error({ err: error, path: c.req.path }, "API request failed");
    return apiError(c, 500, "internal server error");
  });
  app.route("/", api);
}
