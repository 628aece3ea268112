import { Hono, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { registerApi } from "../api/index.ts";
import type { Config } from "../config/index.ts";
import type { Embedder } from "../search/embedders/index.ts";
import type { Store } from "../store/index.ts";
import { registerPages } from "./pages/index.ts";

/** What every handler may use; created once at start and passed down. */
export interface AppContext {
  store: Store;
  config: Config;
  logger: Logger;
  /** Embeds search queries when the configured embedder is not the built-in one (see server/query-embedder.ts). */
  embedder?: Embedder;
}

export type AppEnv = { Variables: { app: AppContext } };

/**
 * The whole HTTP surface: pages, APIs and health, as one Request → Response function.
 * `outermost` runs before everything else (the server's request metrics and render cache).
 */
export function createApp(context: AppContext, outermost: MiddlewareHandler[] = []): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const middleware of outermost) app.use(middleware);
  app.use(async (c, next) => {
    c.set("app", context);
    await next();
  });
  registerApi(app);
  registerPages(app);

  app.get("/healthz", async (c) => {
    const papers = await context.store.papers.count();
    return c.json({ status: "ok", database: context.store.kind, papers });
  });

  app.onError((error, c) => {
    // Bad input Hono itself detects (a malformed body, say) is the client's mistake, not ours.
    if (error instanceof HTTPException && error.status < 500) return error.getResponse();
    context.logger.error({ err: error, path: c.req.path }, "request failed");
    return c.text("Internal server error", 500);
  });
  return app;
}
