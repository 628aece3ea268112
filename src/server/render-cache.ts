import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";
import { renderCacheRequests, renderCacheSize } from "../metrics/index.ts";

/**
 * Rendered responses that every anonymous reader shares (feeds, trending, paper, author and
 * category pages, the Hugging Face feed API), kept until the data changes: a render costs
 * milliseconds, sending kept bytes microseconds. Why it stays correct:
 *
 * - Entries belong to the data version (store/data-version.ts) read *before* rendering; a write
 *   committed during a render moves the version, so the next request renders again. Every
 *   process re-reads the version at most every `checkIntervalMs`, which is how long a write made
 *   by another process (an ingest, another web instance) can go unseen.
 * - Only requests without cookies or credentials are served or stored: signed-in pages carry
 *   per-user state. Only 200s without Set-Cookie or a private Cache-Control are stored.
 * - Triggers move the version on the tables pages read (store/data-version.ts). As a second line,
 *   a write request made with a cookie or credentials (a vote, a comment, a submission, an account
 *   change) that succeeded moves it too, so a write to a table no trigger watches still shows.
 * - Memory is bounded: least recently used entries go first once `maxBytes` is reached.
 *
 * Kept API answers are not counted by the API rate limit: sending them costs less than counting.
 */
export interface RenderCacheOptions {
  maxBytes: number;
  checkIntervalMs: number;
  /** Reads the current data version. */
  version: () => Promise<number>;
  /** Moves the data version (store.dataVersion.bump). */
  bump: () => Promise<void>;
  now?: () => number;
}

interface Entry {
  key: string;
  version: number;
  storedAt: number;
  status: number;
  headers: [string, string][];
  etag: string;
  identity?: Buffer;
  gzip?: Buffer;
  /** Route pattern that rendered it, for request metrics. */
  route: string;
  bytes: number;
}

/** Pages whose content is the same for every anonymous reader; searches vary too much to be worth keeping. */
const cacheable =
  /^\/(?:$|papers(?:\/|$)|categories(?:\/|$)|authors\/|feeds\/|api\/daily_papers$|api\/papers(?:$|\/(?!search(?:$|\/)))|api\/v1\/(?:feed|papers)\/)/;
/** Headers a kept response is sent again with (encoding and length are set per request). */
const keptHeaders = [
  "content-type",
  "cache-control",
  "last-modified",
  "link",
  "content-disposition",
  "content-language",
  // The API's CORS headers, the same for every origin (no credentials).
  "access-control-allow-origin",
  "access-control-expose-headers",
];
/** Methods that read; any other may write. */
const reading = new Set(["GET", "HEAD", "OPTIONS"]);
/** Entries are rendered again after this long even if nothing was written: the safety net for writes no trigger sees. */
const MAX_AGE_MS = 10 * 60_000;

/** The route pattern a kept response was rendered by, for the request metrics of a hit. */
export const routeOfKeptResponse = new WeakMap<Request, string>();

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly rendering = new Map<string, Promise<Entry | null>>();
  private bytes = 0;
  private version: number | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private check: Promise<number> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: RenderCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  readonly middleware: MiddlewareHandler = async (c, next) => {
    const signedIn = Boolean(c.req.header("cookie") || c.req.header("authorization"));
    if (!reading.has(c.req.method)) {
      await next();
      // MCP's POSTs are reads; a write by someone not signed in (a digest subscription) shows on no shared page.
      if (signedIn && c.res.status < 400 && c.req.path !== "/mcp") await this.moveVersion();
      return;
    }
    if (c.req.method !== "GET" || !cacheable.test(c.req.path)) return next();
    if (signedIn) {
      renderCacheRequests.inc({ result: "bypass" });
      return next();
    }
    const version = await this.currentVersion();
    const url = new URL(c.req.url);
    const key = `${c.req.header("host") ?? ""} ${url.pathname}${url.search}`;
    const kept = this.entries.get(key);
    if (kept && kept.version === version && this.now() - kept.storedAt < MAX_AGE_MS) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, kept);
      renderCacheRequests.inc({ result: "hit" });
      return this.send(c, kept, "hit");
    }
    const pending = this.rendering.get(key);
    if (pending) {
      const rendered = await pending;
      if (rendered && rendered.version === version) {
        renderCacheRequests.inc({ result: "hit" });
        return this.send(c, rendered, "hit");
      }
    }
    renderCacheRequests.inc({ result: "miss" });
    const render = (async () => {
      await next();
      return this.keep(c, key, version);
    })();
    this.rendering.set(key, render);
    try {
      const entry = await render;
      if (entry) return this.send(c, entry, "miss");
    } finally {
      this.rendering.delete(key);
    }
  };

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    renderCacheSize.set(0);
  }

  /** Moves the data version for every process, and has this one read it again on its next request. */
  private async moveVersion(): Promise<void> {
    // The write itself succeeded: the reader is told so, and pages age out (MAX_AGE_MS) should this fail.
    await this.options.bump().catch(() => {});
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  private async currentVersion(): Promise<number> {
    if (this.version !== null && this.now() - this.checkedAt < this.options.checkIntervalMs) return this.version;
    this.check ??= this.options.version().finally(() => {
      this.check = null;
    });
    const version = await this.check;
    this.checkedAt = this.now();
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
    return version;
  }

  /** Stores the response just rendered when it may be shared, and leaves `c.res` readable either way. */
  private async keep(c: Context, key: string, version: number): Promise<Entry | null> {
    const response = c.res;
    const cacheControl = response.headers.get("cache-control") ?? "";
    const encoding = response.headers.get("content-encoding");
    if (
      response.status !== 200 ||
      response.headers.has("set-cookie") ||
      /private|no-store/.test(cacheControl) ||
      (encoding !== null && encoding !== "gzip")
    ) {
      return null;
    }
    const body = Buffer.from(await response.arrayBuffer());
    const headers = keptHeaders.flatMap((name): [string, string][] => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value]];
    });
    const entry: Entry = {
      key,
      version,
      storedAt: this.now(),
      status: response.status,
      headers,
      etag: response.headers.get("etag") ?? `"${createHash("sha1").update(body).digest("base64url")}"`,
      ...(encoding === "gzip" ? { gzip: body } : { identity: body }),
      route: routePath(c),
      bytes: body.length + key.length,
    };
    if (entry.bytes <= this.options.maxBytes / 4 && version === this.version) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.grow(entry.bytes);
    }
    return entry;
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
    renderCacheSize.set(this.bytes);
  }

  /** The kept response, compressed when the client accepts gzip, or 304 when it holds the same (ETag or date). */
  private send(c: Context, entry: Entry, result: "hit" | "miss"): Response {
    routeOfKeptResponse.set(c.req.raw, entry.route);
    const headers = new Headers(entry.headers);
    headers.set("etag", entry.etag);
    headers.set("vary", "Accept-Encoding");
    headers.set("x-render-cache", result);
    const match = c.req.header("if-none-match");
    const since = c.req.header("if-modified-since");
    const lastModified = headers.get("last-modified");
    // If-Modified-Since counts only without If-None-Match (RFC 9110); feed readers send it.
    const unchanged = match
      ? match.split(/\s*,\s*/).includes(entry.etag)
      : since !== undefined && lastModified !== null && Date.parse(since) >= Date.parse(lastModified);
    if (unchanged) {
      c.res = new Response(null, { status: 304, headers });
      return c.res;
    }
    let body: Buffer;
    // Images (social cards) are kept and sent as they are: gzip would only make them larger.
    const compressible =
      entry.gzip !== undefined || COMPRESSIBLE_CONTENT_TYPE_REGEX.test(headers.get("content-type") ?? "");
    if (compressible && /\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
      if (!entry.gzip) {
        entry.gzip = gzipSync(entry.identity ?? Buffer.alloc(0));
        this.account(entry, entry.gzip.length);
      }
      body = entry.gzip;
      headers.set("content-encoding", "gzip");
    } else {
      if (!entry.identity) {
        entry.identity = gunzipSync(entry.gzip ?? Buffer.alloc(0));
        this.account(entry, entry.identity.length);
      }
      body = entry.identity;
    }
    // A view of the kept bytes, not a copy.
    c.res = new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
      status: entry.status,
      headers,
    });
    return c.res;
  }

  /** Counts a second encoding of a kept entry against the budget. */
  private account(entry: Entry, bytes: number): void {
    entry.bytes += bytes;
    if (this.entries.get(entry.key) === entry) this.grow(bytes);
  }
}
