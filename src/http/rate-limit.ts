import type { Context, MiddlewareHandler } from "hono";
import type { Config } from "../config/index.ts";
import { clientAddress } from "./client-address.ts";
import type { AppEnv } from "./context.ts";

export interface RateLimitOptions {
  /** Names the budget: requests limited under the same name share one count per client. */
  bucket: string;
  /** How much a client may spend in a window; 0 turns the limit off. */
  limit: (config: Config) => number;
  /** Default 60. */
  windowSeconds?: number;
  /** What this request spends (default 1): an MCP batch spends one per message. */
  cost?: (c: Context<AppEnv>) => number | Promise<number>;
  /** The 429 answer (Retry-After is already set); by default `{"error": message}` in JSON. */
  refuse?: (c: Context<AppEnv>, refusal: Refusal) => Response | Promise<Response>;
}

export interface Refusal {
  /** E.g. "too many requests: at most 600 a minute per client; retry in 12 s". */
  message: string;
  limit: number;
  retryAfterSeconds: number;
}

const every = (seconds: number) => (seconds === 60 ? "a minute" : `every ${seconds} s`);

/**
 * A Hono middleware that counts each request against its client's budget in the database
 * (store.rateLimits, so every instance shares it) and answers 429 with Retry-After when the
 * budget is spent. One statement a request: keep it off pages that are merely read.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const windowSeconds = options.windowSeconds ?? 60;
  return async (c, next) => {
    const { config, store } = c.get("app");
    const limit = options.limit(config);
    if (limit === 0) return next();
    const cost = options.cost ? await options.cost(c) : 1;
    const client = clientAddress(c, config.trustProxy);
    const hit = await store.rateLimits.hit(`${options.bucket}:${client}`, cost, limit, windowSeconds);
    if (hit.allowed) return next();
    c.header("Retry-After", String(hit.retryAfterSeconds));
    const message = `too many requests: at most ${limit} ${every(windowSeconds)} per client; retry in ${hit.retryAfterSeconds} s`;
    const refusal = { message, limit, retryAfterSeconds: hit.retryAfterSeconds };
    return options.refuse ? options.refuse(c, refusal) : c.json({ error: message }, 429);
  };
}

/** The budget the APIs, MCP and the search page share (PAPERBOY_API_RATE_LIMIT a minute). */
export const apiBudget = { bucket: "api", limit: (config: Config) => config.apiRateLimit } as const;
