import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Store } from "../../src/store/index.ts";
import { communityApp } from "./community.ts";

/** The app on a local port whose configuration names that port (links in mails, origins). */
export async function serveCommunity(store: Store, env: Record<string, string> = {}) {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request) => handler(request), port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { app } = communityApp(store, { PAPERBOY_BASE_URL: base, ...env });
  handler = app.fetch;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
