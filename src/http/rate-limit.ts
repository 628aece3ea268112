import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";

const MAX_CLIENTS_TRACKED = 10_000;

/** The socket's address; requests made in-process (tests, app.request) share one bucket. */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "in-process";
  }
}

/**
 * A token bucket per client: PAPERBOY_API_RATE_LIMIT tokens, refilled evenly over a minute, one
 * spent per request. An empty bucket answers 429 with Retry-After saying when the next token arrives.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const perMinute = c.get("app").config.apiRateLimit;
    if (perMinute === 0) return next();
    const tokensPerMs = perMinute / 60_000;
    const now = Date.now();
    if (buckets.size > MAX_CLIENTS_TRACKED) {
      // A bucket that has refilled completely says nothing a fresh one would not.
      for (const [key, bucket] of buckets)
        if (bucket.tokens + (now - bucket.at) * tokensPerMs >= perMinute) buckets.delete(key);
    }
    const key = clientAddress(c);
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * tokensPerMs);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / tokensPerMs / 1000));
      c.header("Retry-After", String(seconds));
      return c.json(
        { error: `too many requests: at most ${perMinute} a minute per client; retry in ${seconds} s` },
        429,
      );
    }
    bucket.tokens -= 1;
    await next();
  };
}
