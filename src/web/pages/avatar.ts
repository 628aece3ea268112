import { createHash } from "node:crypto";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";

// Usernames are letters, digits, _ and -: nothing here needs escaping, and nothing else is drawn.
const username = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Up to two letters for the avatar: the first of each part of "ada_lovelace", else the first two. */
function initials(name: string): string {
  const parts = name.split(/[_-]+/).filter(Boolean);
  const letters = parts.length > 1 ? (parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "") : name.slice(0, 2);
  return letters.toUpperCase();
}

/** A round badge with the user's initials on a colour of their own (from a hash of the name). */
export function avatarSvg(name: string): string {
  const hue = createHash("sha256").update(name.toLowerCase()).digest().readUInt16BE(0) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><circle cx="32" cy="32" r="32" fill="hsl(${hue} 45% 38%)"/><text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="26" font-weight="600" fill="#fff">${initials(name)}</text></svg>`;
}

/** /avatars/{username}.svg: generated, never uploaded, the same for the same name. */
export function registerAvatars(app: Hono<AppEnv>): void {
  app.get("/avatars/:file{[^/]+\\.svg}", (c) => {
    const name = c.req.param("file").slice(0, -".svg".length);
    if (!username.test(name)) return c.notFound();
    return c.body(avatarSvg(name), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": "default-src 'none'",
    });
  });
}
