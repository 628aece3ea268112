import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "../http/context.ts";

const siteCss = path.join(path.dirname(fileURLToPath(import.meta.url)), "static/site.css");
const katexDist = path.join(path.dirname(createRequire(import.meta.url).resolve("katex/package.json")), "dist");
const katexVersion = (
  JSON.parse(fs.readFileSync(path.join(katexDist, "../package.json"), "utf8")) as { version: string }
).version;

/** Every file we serve under /assets, by the name it has there. */
const files = new Map<string, string>([
  ["site.css", siteCss],
  ["katex/katex.min.css", path.join(katexDist, "katex.min.css")],
  ...fs
    .readdirSync(path.join(katexDist, "fonts"))
    .map((f): [string, string] => [`katex/fonts/${f}`, path.join(katexDist, "fonts", f)]),
]);

/** Changes whenever any asset could have, so its URL can be cached for good. */
const fingerprint = createHash("sha256")
  .update(fs.readFileSync(siteCss))
  .update(katexVersion)
  .digest("hex")
  .slice(0, 12);

export function assetUrl(name: "site.css" | "katex/katex.min.css"): string {
  return `/assets/${fingerprint}/${name}`;
}

const contentTypes: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

/** Serves our CSS and KaTeX's CSS and fonts from the installed package: the site needs no CDN. */
export function registerAssets(app: Hono<AppEnv>): void {
  const cache = new Map<string, Buffer>();
  app.get(`/assets/:fingerprint/:name{.+}`, compress(), (c) => {
    const name = c.req.param("name");
    const file = files.get(name);
    if (c.req.param("fingerprint") !== fingerprint || !file) return c.notFound();
    let body = cache.get(name);
    if (!body) {
      body = fs.readFileSync(file);
      cache.set(name, body);
    }
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": contentTypes[path.extname(name)] ?? "application/octet-stream",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
}
