import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { type NewSession, SESSION_COOKIE } from "../community/index.ts";
import { newSecret } from "../community/secrets.ts";
import type { AppEnv } from "../http/context.ts";
import { isOwnOrigin, requestOrigin } from "../http/same-origin.ts";

type PageContext = Context<AppEnv>;

/** Before anyone signs in, forms (log in, sign up, reset) carry the token this cookie holds. */
const FORM_COOKIE = "paperboy_form";

/** A form whose token or origin is not this site's: someone else's page tried to submit it. */
export class ForgedFormError extends Error {
  override name = "ForgedFormError";
}

function cookieOptions(c: PageContext, maxAgeSeconds?: number): CookieOptions {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("app").config.baseUrl.startsWith("https:"),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Signs the browser in: the session's token goes into an HttpOnly, SameSite=Lax cookie (Secure behind https). */
export function setSessionCookie(c: PageContext, session: NewSession): void {
  const seconds = Math.max(1, Math.floor((Date.parse(session.expiresAt) - Date.now()) / 1000));
  setCookie(c, SESSION_COOKIE, session.token, cookieOptions(c, seconds));
}

/** Signs the browser in and treats this request as theirs already, for a page shown rather than a redirect. */
export async function signIn(c: PageContext, session: NewSession): Promise<void> {
  setSessionCookie(c, session);
  const signedIn = await c.get("community").accounts.session(session.token);
  if (signedIn) c.set("viewer", { user: signedIn.user, session: signedIn.session, via: "session" });
}

export function clearSessionCookie(c: PageContext): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

export function sessionToken(c: PageContext): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * The token this visitor's forms carry: the session's, or for a visitor not signed in the
 * one in a cookie made now (pages with such forms are never cached).
 */
export function formToken(c: PageContext): string {
  const viewer = c.get("viewer");
  if (viewer?.via === "session") return viewer.session.csrfToken;
  const existing = getCookie(c, FORM_COOKIE);
  if (existing) return existing;
  const token = newSecret().secret;
  setCookie(c, FORM_COOKIE, token, cookieOptions(c));
  return token;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The fields of a POSTed form, once it is known to come from this site: the Origin (or Referer),
 * when the browser sends one, must be ours, and the form must carry the visitor's token (formToken).
 */
export async function readForm(c: PageContext): Promise<Record<string, string>> {
  const origin = requestOrigin(c);
  if (origin !== undefined && !isOwnOrigin(c, origin)) throw new ForgedFormError(`a form from ${origin} was refused`);
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  const viewer = c.get("viewer");
  const expected = viewer?.via === "session" ? viewer.session.csrfToken : getCookie(c, FORM_COOKIE);
  if (!expected || !fields._csrf || !same(fields._csrf, expected))
    throw new ForgedFormError("the form's token is missing or stale");
  return fields;
}

/** Where to go after a form: a path on this site only, never another site (an open redirect). */
export function localPath(next: string | undefined, fallback = "/"): string {
  return next && /^\/(?![/\\])/.test(next) ? next : fallback;
}
