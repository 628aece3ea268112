import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export interface RateLimitHit {
  /** Whether this hit is within the limit. */
  allowed: boolean;
  /** What the bucket has spent in this window, this hit included. */
  count: number;
  /** Seconds until the window ends and the bucket is empty again (at least 1). */
  retryAfterSeconds: number;
}

/** Expired windows are deleted at most this often, by whichever hit comes first after it. */
const SWEEP_EVERY_SECONDS = 60;

/**
 * Fixed-window counters in the database, so that every web instance counts against one limit.
 * A hit is one statement: an upsert on (bucket, window) that returns the new count.
 */
export class RateLimitRepository {
  private lastSweep = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts `cost` against `bucket` in the current window of `windowSeconds` and says whether the
   * bucket is still within `limit`. A refused hit is counted too, so hammering does not pay.
   */
  async hit(bucket: string, cost: number, limit: number, windowSeconds: number): Promise<RateLimitHit> {
    const now = Math.floor(this.now() / 1000);
    const windowStart = now - (now % windowSeconds);
    const expiresAt = windowStart + windowSeconds;
    const { hits } = await this.db
      .insertInto("rate_limits")
      .values({ bucket, window_start: windowStart, hits: cost, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(["bucket", "window_start"]).doUpdateSet((eb) => ({
          hits: eb("rate_limits.hits", "+", eb.ref("excluded.hits")),
        })),
      )
      .returning("hits")
      .executeTakeFirstOrThrow();
    if (now - this.lastSweep >= SWEEP_EVERY_SECONDS) {
      this.lastSweep = now;
      await this.db.deleteFrom("rate_limits").where("expires_at", "<=", now).execute();
    }
    return { allowed: hits <= limit, count: hits, retryAfterSeconds: Math.max(1, expiresAt - now) };
  }
}
