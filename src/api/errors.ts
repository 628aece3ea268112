import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../http/context.ts";

/** Every API failure answers `{"error": "…"}`, as Hugging Face's API does. */
export function apiError<S extends ContentfulStatusCode>(c: Context, status: S, message: string) {
  return c.json({ error: message }, status);
}

type ValidationHook = NonNullable<NonNullable<ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0]>["defaultHook"]>;

const targetNames: Record<string, string> = { query: "query parameter", param: "path parameter", json: "body field" };

/** Turns a failed request validation into a 400 that names each bad parameter and why. */
export const rejectInvalidRequest: ValidationHook = (result, c) => {
  if (result.success) return;
  const what = targetNames[result.target] ?? result.target;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".");
    return name ? `${what} ${name}: ${issue.message}` : `${what}s: ${issue.message}`;
  });
  return apiError(c, 400, problems.join("; "));
};
