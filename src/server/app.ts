import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { registerApi } from "../api/index.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { registerMcpHttp } from "../mcp/http.ts";
import { notFound, registerPages } from "../web/pages/index.ts";

export type { AppContext, AppEnv } from "../http/context.ts";

/** The whole HTTP surface: APIs, MCP, pages and health, as one Request → Response function. */
export function createApp(context: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("app", context);
    await next();
  });
  // The APIs first: their routes win over the pages' (/papers/{id}.md over /papers/*).
  registerApi(app);
  registerMcpHttp(app);
  registerPages(app);

  app.get("/healthz", async (c) => {
    const papers = await context.store.papers.count();
    return c.json({ status: "ok", database: context.store.kind, papers });
  });

  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json({ error: "Not found" }, 404) : notFound(c)));
  app.onError((error, c) => {
    // Bad input Hono itself detects (a malformed body, say) is the client's mistake, not ours.
    if (error instanceof HTTPException && error.status < 500) return error.getResponse();
    context.logger.error({ err: error, path: c.req.path }, "request failed");
    return c.text("Internal server error", 500);
  });
  return app;
}
