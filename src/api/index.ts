import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../web/app.ts";
import { registerDailyPapers } from "./daily-papers.ts";
import { apiError, rejectInvalidRequest } from "./errors.ts";
import { registerPapers } from "./papers.ts";

/** Every API route, the OpenAPI document and the docs page; mounted before the HTML pages so they win. */
export function registerApi(app: Hono<AppEnv>): void {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalidRequest });

  registerDailyPapers(api);
  registerPapers(api);

  api.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) return apiError(c, error.status, error.message);
    c.get("app").logger.error({ err: error, path: c.req.path }, "API request failed");
    return apiError(c, 500, "internal server error");
  });
  app.route("/", api);
}
