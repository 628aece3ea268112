import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the fixture server answers to one request; `hangUp` drops the connection without an
 * answer, `silent` never answers, `stall` sends the headers and half the body and then nothing.
 */
export interface FixtureReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  hangUp?: boolean;
  /** Answer only after this long, as a slow server would. */
  delayMs?: number;
  silent?: boolean;
  stall?: boolean;
}

export interface FixtureServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Every request received, in order. */
  requests: URL[];
  /** The most requests that were ever being answered at once. */
  mostAtOnce: number;
  close(): Promise<void>;
}

/**
 * A local stand-in for arXiv's services on 127.0.0.1 and a free port. `reply` gets the request
 * URL, how many times the same URL was requested before (so a fault can happen only once), and
 * the request headers.
 */
export async function startFixtureServer(
  reply: (url: URL, earlier: number, headers: http.IncomingHttpHeaders) => FixtureReply,
): Promise<FixtureServer> {
  const requests: URL[] = [];
  const counts = new Map<string, number>();
  let inFlight = 0;
  const state = { mostAtOnce: 0 };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    const earlier = counts.get(url.href) ?? 0;
    counts.set(url.href, earlier + 1);
    const answer = reply(url, earlier, req.headers);
    inFlight += 1;
    state.mostAtOnce = Math.max(state.mostAtOnce, inFlight);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    inFlight -= 1;
    if (answer.hangUp) {
      req.socket.destroy();
      return;
    }
    if (answer.silent) return;
    res.writeHead(answer.status ?? 200, { "content-type": "text/xml; charset=utf-8", ...answer.headers });
    const body = answer.body ?? "";
    if (answer.stall) res.write(body.slice(0, body.length / 2));
    else res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get mostAtOnce() {
      return state.mostAtOnce;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
