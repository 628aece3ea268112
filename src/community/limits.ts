import { CommunityError } from "./errors.ts";

export interface RateRule {
  /** How many actions… */
  limit: number;
  /** …in how many seconds. */
  windowSeconds: number;
}

/** Counts actions per key in the database, so every web instance shares the same limits. */
export interface RateLimiter {
  /** Spends one action of `key`'s allowance under `rule`; when none is left, how long until one is. */
  consume(key: string, rule: RateRule): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

/** How often each community action may happen, per client address or per account. */
export const rateRules = {
  signUpPerAddress: { limit: 10, windowSeconds: 3600 },
  logInPerAddress: { limit: 30, windowSeconds: 900 },
  logInPerAccount: { limit: 10, windowSeconds: 900 },
  resetPerAddress: { limit: 10, windowSeconds: 3600 },
  resetPerAccount: { limit: 3, windowSeconds: 3600 },
  /** New verification links, e-mail changes: each sends a mail. */
  mailsPerAccount: { limit: 5, windowSeconds: 3600 },
  votesPerAccount: { limit: 120, windowSeconds: 60 },
  commentsPerAccount: { limit: 10, windowSeconds: 60 },
  reportsPerAccount: { limit: 20, windowSeconds: 3600 },
  submissionsPerAccount: { limit: 20, windowSeconds: 3600 },
  claimsPerAccount: { limit: 20, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

/** Spends one action or refuses with a 429 that says when to come back. */
export async function spend(limiter: RateLimiter, key: string, rule: RateRule, what: string): Promise<void> {
  const outcome = await limiter.consume(key, rule);
  if (!outcome.ok) {
    throw new CommunityError(
      "rate-limited",
      `too many ${what}: at most ${rule.limit} in ${rule.windowSeconds >= 3600 ? `${rule.windowSeconds / 3600} h` : `${rule.windowSeconds / 60} min`}; try again in ${outcome.retryAfterSeconds} s`,
      { retryAfterSeconds: outcome.retryAfterSeconds },
    );
  }
}
