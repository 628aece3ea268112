import type { Session, TokenScope, User } from "../store/index.ts";
import type { Community } from "./index.ts";

/** Who is making a request: a browser session (cookie) or an API token (Authorization: Bearer). */
export type Viewer = { user: User; via: "session"; session: Session } | { user: User; via: "token"; scope: TokenScope };

// Set for every request by server/viewer.ts, read by web/ and api/.
declare module "hono" {
  interface ContextVariableMap {
    community: Community;
    viewer: Viewer | null;
  }
}

/** The session cookie: the session's secret token (the database keeps only its hash). */
export const SESSION_COOKIE = "paperboy_session";
