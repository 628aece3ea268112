import type { Store } from "../store/index.ts";
import { CommunityError } from "./errors.ts";

export interface RateRule {
  /** How many actions… */
  limit: number;
  /** …in how many seconds. */
  windowSeconds: number;
}

/**
 * How often each action may happen per account, counted in the database (store.rateLimits) so
 * every web instance shares them. Limits per client address (sign-up, login, reset) are the
 * routes' rateLimit middleware, with the budgets in addressRules.
 */
export const rateRules = {
  logInPerAccount: { limit: 10, windowSeconds: 900 },
  resetPerAccount: { limit: 3, windowSeconds: 3600 },
  /** New verification links, e-mail changes: each sends a mail. */
  mailsPerAccount: { limit: 5, windowSeconds: 3600 },
  votesPerAccount: { limit: 120, windowSeconds: 60 },
  commentsPerAccount: { limit: 10, windowSeconds: 60 },
  reportsPerAccount: { limit: 20, windowSeconds: 3600 },
  submissionsPerAccount: { limit: 20, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

/** Budgets per client address for the forms a stranger may send. */
export const addressRules = {
  signUp: { limit: 10, windowSeconds: 3600 },
  logIn: { limit: 30, windowSeconds: 900 },
  reset: { limit: 10, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

const span = (seconds: number) => (seconds >= 3600 ? `${seconds / 3600} h` : `${seconds / 60} min`);

/** Spends one of `key`'s actions under `rule`; whether it was still allowed, and if not for how long. */
export async function consume(
  store: Store,
  key: string,
  rule: RateRule,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const hit = await store.rateLimits.hit(`community:${key}`, 1, rule.limit, rule.windowSeconds);
  return hit.allowed ? { ok: true } : { ok: false, retryAfterSeconds: hit.retryAfterSeconds };
}

/** Spends one action or refuses with a 429 that says when to come back. */
export async function spend(store: Store, key: string, rule: RateRule, what: string): Promise<void> {
  const outcome = await consume(store, key, rule);
  if (!outcome.ok) {
    throw new CommunityError(
      "rate-limited",
      `too many ${what}: at most ${rule.limit} in ${span(rule.windowSeconds)}; try again in ${outcome.retryAfterSeconds} s`,
      { retryAfterSeconds: outcome.retryAfterSeconds },
    );
  }
}
