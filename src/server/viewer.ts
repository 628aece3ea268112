import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { type Community, SESSION_COOKIE } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import { setSessionCookie } from "../web/session.ts";

/**
 * Works out who makes each request, for web/ and api/ alike: an API token in `Authorization:
 * Bearer pb_…`, or else the session cookie. Other bearer tokens (a Hugging Face token that
 * huggingface_hub sends along) are none of ours and leave the request anonymous; one of ours
 * that is unknown or revoked is refused, so a client never mistakes it for working.
 */
export function identifyViewer(community: Community): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("community", community);
    c.set("viewer", null);
    if (c.req.path.startsWith("/assets/")) return next();
    const bearer = /^Bearer\s+(pb_\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer) {
      const found = await community.accounts.bearer(bearer);
      if (!found) {
        c.header("WWW-Authenticate", 'Bearer realm="paperboy", error="invalid_token"');
        return c.json({ error: "Authorization: this API token is unknown or revoked" }, 401);
      }
      c.set("viewer", { user: found.user, via: "token", scope: found.scope });
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const signedIn = token ? await community.accounts.session(token) : null;
    if (token && signedIn) {
      c.set("viewer", { user: signedIn.user, session: signedIn.session, via: "session" });
      // A session kept in use outlives its first cookie: the browser's copy moves on with it.
      const { csrfToken, expiresAt } = signedIn.session;
      if (signedIn.renewed) setSessionCookie(c, { token, csrfToken, expiresAt });
    }
    await next();
  };
}
