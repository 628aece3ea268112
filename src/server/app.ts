import { Hono, type MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import { registerApi } from "../api/index.ts";
import type { Community } from "../community/index.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { decodedPath } from "../http/request-path.ts";
import { followedPaperDigests } from "../inbox/digest.ts";
import { registerMcpHttp } from "../mcp/http.ts";
import { badRequest, errorPage, notFound, registerPages } from "../web/pages/index.ts";
import { communityFor } from "./community.ts";
import { openInbox } from "./inbox.ts";
import { requestMetrics, serveMetrics, watchStore } from "./metrics.ts";
import { allowedMethods, responsePolicies } from "./policies.ts";
import { RenderCache } from "./render-cache.ts";
import { identifyViewer } from "./viewer.ts";

export type { AppContext, AppEnv } from "../http/context.ts";

/** Paths answered in JSON, errors included: the APIs and MCP. */
const isMachinePath = (path: string) => path.startsWith("/api/") || path === "/mcp";

/** Why no route can answer this address, or null. */
function addressProblem(url: string): string | null {
  if (decodedPath(url) === null) {
    return "The address is not valid percent-encoding (a % must start an escape like %2F of UTF-8 bytes).";
  }
  // No id, name or query holds a NUL, and PostgreSQL refuses one in text.
  if (!url.includes("%00")) return null;
  for (const [name, value] of new URL(url).searchParams) {
    if (`${name}${value}`.includes("\0"))
      return `query parameter ${name.replaceAll("\0", "")}: holds a NUL character (%00).`;
  }
  return "The address holds a NUL character (%00).";
}

/** What `serve` adds around the app (see createServerApp); tests mostly run without. */
export interface ServerLayers {
  /** Runs first, around everything else: request metrics. */
  outermost?: MiddlewareHandler;
  /**
   * Runs inside the response policies (so kept responses get the security headers too) and
   * outside compression (so it keeps the compressed bytes): the render cache.
   */
  renderCache?: MiddlewareHandler;
}

/** The whole HTTP surface: APIs, MCP, pages and health, as one Request → Response function. */
export function createApp(
  context: AppContext,
  community: Community = communityFor(context),
  layers: ServerLayers = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  if (layers.outermost) app.use(layers.outermost);
  app.use(responsePolicies);
  if (layers.renderCache) app.use(layers.renderCache);
  app.use(compress());
  app.use(async (c, next) => {
    c.set("app", context);
    const problem = c.req.url.includes("%") ? addressProblem(c.req.url) : null;
    if (problem) return isMachinePath(c.req.path) ? c.json({ error: problem }, 400) : badRequest(c, problem);
    await next();
  });
  app.use(identifyViewer(community));
  const { inbox } = openInbox(context.store, context.config, context.logger, followedPaperDigests(context.store));
  app.use(async (c, next) => {
    c.set("inbox", inbox);
    await next();
  });
  app.use(
    allowedMethods(app, (c, allowed) => {
      const message = `${c.req.method} is not allowed here; use ${allowed.join(", ")}`;
      return isMachinePath(c.req.path)
        ? c.json({ error: message }, 405)
        : errorPage(c, 405, "Method not allowed", `${message}.`);
    }),
  );
  // The APIs first: their routes win over the pages' (/papers/{id}.md over /papers/*).
  registerApi(app);
  registerMcpHttp(app);
  registerPages(app);

  app.get("/healthz", async (c) => {
    const papers = await context.store.papers.count();
    return c.json({ status: "ok", database: context.store.kind, papers });
  });

  app.notFound((c) => (isMachinePath(c.req.path) ? c.json({ error: "Not found" }, 404) : notFound(c)));
  app.onError((error, c) => {
    // Bad input Hono itself detects (a malformed body, say) is the client's mistake, not ours.
    if (error instanceof HTTPException && error.status < 500) return error.getResponse();
    context.logger.error({ err: error, path: c.req.path }, "request failed");
    return c.text("Internal server error", 500);
  });
  return app;
}

/**
 * The site as `serve` runs it: the app, with request metrics and /metrics when configured, and
 * the render cache for anonymous readers unless it is sized 0.
 */
export function createServerApp(context: AppContext): { app: Hono<AppEnv>; renderCache: RenderCache | null } {
  const { config, store } = context;
  const metricsOn = config.metrics.kind !== "off";
  if (metricsOn) watchStore(store);
  const renderCache =
    config.renderCache.maxBytes > 0
      ? new RenderCache({
          maxBytes: config.renderCache.maxBytes,
          checkIntervalMs: config.renderCache.checkIntervalMs,
          version: () => store.dataVersion.current(),
          bump: () => store.dataVersion.bump(),
        })
      : null;
  const app = createApp(context, communityFor(context), {
    ...(metricsOn ? { outermost: requestMetrics } : {}),
    ...(renderCache ? { renderCache: renderCache.middleware } : {}),
  });
  if (config.metrics.kind === "site") app.get("/metrics", serveMetrics);
  return { app, renderCache };
}
