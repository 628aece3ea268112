import type { Inbox } from "./inbox.ts";

// Set for every request by server/app.ts, read by the subscription pages.
declare module "hono" {
  interface ContextVariableMap {
    inbox: Inbox;
  }
}
