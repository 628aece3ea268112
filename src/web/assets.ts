import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import type { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";

const staticDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "static");

type AssetName = "site.css" | "theme.js" | "vote.js" | "collect.js" | "background-form.js";
// vote.js and collect.js are modules that import ./background-form.js from beside them.
const assetNames: AssetName[] = ["site.css", "theme.js", "vote.js", "collect.js", "background-form.js"];

const contentTypes: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Read once: a deploy replaces the process, and with it these. */
const assets = new Map(assetNames.map((name) => [name, fs.readFileSync(path.join(staticDir, name))]));
const iconSvg = fs.readFileSync(path.join(staticDir, "icon.svg"));

/** Changes whenever any asset does, so their URLs can be cached for good. */
const fingerprint = createHash("sha256")
  .update(Buffer.concat([...assets.values()]))
  .digest("hex")
  .slice(0, 12);

export function assetUrl(name: AssetName): string {
  return `/assets/${fingerprint}/${name}`;
}

const FAVICON_SIZE = 32;

/** The icon as /favicon.ico, which browsers and crawlers ask for whatever the page says: one PNG in an ICO container. */
function faviconIco(): Buffer {
  const png = new Resvg(iconSvg, { fitTo: { mode: "width", value: FAVICON_SIZE } }).render().asPng();
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(FAVICON_SIZE, 6);
  header.writeUInt8(FAVICON_SIZE, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(header.length, 18); // where the image starts
  return Buffer.concat([header, png]);
}

const DAY_SECONDS = 86_400;

/** Serves our CSS and script under fingerprinted URLs, and the site icon: the site needs no CDN. */
export function registerAssets(app: Hono<AppEnv>): void {
  app.get("/assets/:fingerprint/:name{.+}", (c) => {
    const name = c.req.param("name");
    const body = assets.get(name as AssetName);
    if (c.req.param("fingerprint") !== fingerprint || !body) return c.notFound();
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": contentTypes[path.extname(name)] ?? "application/octet-stream",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  app.get("/icon.svg", (c) =>
    c.body(new Uint8Array(iconSvg), 200, {
      "Content-Type": contentTypes[".svg"] ?? "image/svg+xml",
      "Cache-Control": `public, max-age=${DAY_SECONDS}`,
    }),
  );
  let ico: Buffer | undefined;
  app.get("/favicon.ico", (c) => {
    ico ??= faviconIco();
    return c.body(new Uint8Array(ico), 200, {
      "Content-Type": "image/x-icon",
      "Cache-Control": `public, max-age=${DAY_SECONDS}`,
    });
  });
}
