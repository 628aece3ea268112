/** Identifies us to arXiv, whose API terms ask clients to say who they are. */
export const USER_AGENT = "Paperboy/0.1 (self-hosted arXiv daily-papers hub)";

/** A remote service answered with something Paperboy cannot use; the harvest stops. */
export class RemoteSourceError extends Error {
  override name = "RemoteSourceError";
}

export interface HttpOptions {
  /** Waits between calls and before retries; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait a Retry-After may impose, in seconds. */
  maxWaitSeconds?: number;
  /** How many times a 503 or 429 is retried before giving up. */
  maxRetries?: number;
  /** Told about waits and restarts the server causes, so a long pause does not look like a hang. */
  onNotice?: (message: string) => void;
  /** Longest a request may take, headers and body, before it is abandoned; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Generous: an OAI-PMH page holds a thousand records, and arXiv is sometimes slow to build one. */
export const DEFAULT_TIMEOUT_MS = 120_000;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// arXiv sends Retry-After in seconds; HTTP also allows a date.
function retryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const DEFAULT_RETRY_SECONDS = 10;

/**
 * GETs a URL as text. A 503 or 429 ("busy, come back later", as arXiv's OAI-PMH and API answer
 * to keep harvesters polite) is retried after the Retry-After the server gives; anything else
 * that is not a 2xx stops with an error naming the URL and status.
 */
export async function fetchText(url: URL, options: HttpOptions = {}): Promise<string> {
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? 5;
  const maxWait = options.maxWaitSeconds ?? 600;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const failed = (error: unknown) => {
    if ((error as Error).name === "TimeoutError") {
      return new RemoteSourceError(`GET ${url.href} took longer than ${timeoutMs / 1000} s; gave up`);
    }
    const cause = (error as Error & { cause?: Error }).cause;
    return new RemoteSourceError(`cannot fetch ${url.href}: ${cause?.message ?? (error as Error).message}`);
  };
  for (let attempt = 0; ; attempt += 1) {
    // One deadline for the headers and the whole body: a server that stalls mid-page is given up on too.
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { "user-agent": USER_AGENT, accept: "application/xml, text/xml, */*" },
        signal,
      });
      if (response.ok) return await response.text();
    } catch (error) {
      throw failed(error);
    }
    await response.body?.cancel();
    if ((response.status === 503 || response.status === 429) && attempt < maxRetries) {
      const seconds = Math.min(
        maxWait,
        retryAfterSeconds(response.headers.get("retry-after")) ?? DEFAULT_RETRY_SECONDS,
      );
      options.onNotice?.(`${url.host} answered ${response.status}; retrying in ${seconds} s as asked`);
      await sleep(seconds * 1000);
      continue;
    }
    const retried = attempt > 0 ? ` after ${attempt} retries` : "";
    throw new RemoteSourceError(
      `GET ${url.href} answered HTTP ${response.status} ${response.statusText}${retried}`.trim(),
    );
  }
}
