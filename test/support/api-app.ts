import { loadConfig } from "../../src/config/index.ts";
import { createApp } from "../../src/server/app.ts";
import { createLogger } from "../../src/server/logger.ts";
import type { Store } from "../../src/store/index.ts";

/** The whole HTTP app over a test store, answering in-process requests (`app.request(...)`). */
export function testApp(store: Store, env: Record<string, string> = {}) {
  const config = loadConfig({ PAPERBOY_LOG_LEVEL: "silent", PAPERBOY_DEMO: "off", ...env });
  return createApp({ store, config, logger: createLogger(config) });
}

/** GETs a path and parses the JSON answer. */
export async function getJson(app: ReturnType<typeof testApp>, path: string, headers: Record<string, string> = {}) {
  const response = await app.request(path, { headers });
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The path and query of a response's `Link: <…>; rel="next"`, or null when there is no next page. */
export function nextPagePath(response: Response): string | null {
  const link = response.headers.get("link");
  if (!link) return null;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match?.[1]) throw new Error(`malformed Link header: ${link}`);
  const url = new URL(match[1]);
  return url.pathname + url.search;
}
