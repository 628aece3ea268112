import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../http/context.ts";
import { describeIssues } from "../http/params.ts";

/** Every API failure answers `{"error": "…"}`, as Hugging Face's API does. */
export function apiError<S extends ContentfulStatusCode>(c: Context, status: S, message: string) {
  return c.json({ error: message }, status);
}

type ValidationHook = NonNullable<NonNullable<ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0]>["defaultHook"]>;

/** Turns a failed request validation into a 400 that names each bad parameter and why. */
export const rejectInvalidRequest: ValidationHook = (result, c) => {
  if (result.success) return;
  return apiError(c, 400, describeIssues(result.target, result.error.issues));
};
