import type { RateLimiter } from "../community/index.ts";
import { type Community, createCommunity } from "../community/index.ts";
import type { AppContext } from "../http/context.ts";
import { createMailer, type Mailer } from "../mail/index.ts";

/**
 * Counts in this process only, until the database-backed limiter (store.rateLimits) lands:
 * fixed windows per key.
 */
function processRateLimiter(): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async consume(key, rule) {
      const now = Date.now();
      const windowMs = rule.windowSeconds * 1000;
      const current = windows.get(key);
      const window = current && now - current.start < windowMs ? current : { start: now, count: 0 };
      if (window.count >= rule.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) };
      }
      window.count += 1;
      windows.set(key, window);
      return { ok: true };
    },
  };
}

/** The community services over the app's store, with the mailer the configuration names. */
export function communityFor(context: AppContext, mailer?: Mailer): Community {
  const { config, store, logger } = context;
  return createCommunity(
    {
      store,
      mailer: mailer ?? createMailer(config.mail, logger),
      limiter: processRateLimiter(),
      site: { name: config.siteName, baseUrl: config.baseUrl },
      logger,
    },
    { arxivApiUrl: config.arxivApiUrl },
  );
}
