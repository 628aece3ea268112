import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

const trustedLists = new WeakMap<readonly string[], BlockList>();

/** PAPERBOY_TRUST_PROXY's addresses and ranges as one list, built once per configuration. */
function trustedProxies(entries: readonly string[]): BlockList {
  let list = trustedLists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address = "", prefix] = entry.split("/");
      const family = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    trustedLists.set(entries, list);
  }
  return list;
}

/** An IPv4 client on a dual-stack socket arrives as ::ffff:192.0.2.1. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * Who is asking, for rate limits: the address that connected, unless that is a trusted proxy; then
 * X-Forwarded-For read from the right (each proxy appends the address it saw), skipping trusted
 * proxies, so a client cannot choose its own address by sending the header itself. Requests made
 * in-process (tests) have no socket and share one name.
 */
export function clientAddress(c: Context, trustProxy: readonly string[]): string {
  let peer: string;
  try {
    peer = plain(getConnInfo(c).remote.address ?? "unknown");
  } catch {
    return "in-process";
  }
  if (trustProxy.length === 0) return peer;
  const trusted = trustedProxies(trustProxy);
  if (!isTrusted(trusted, peer)) return peer;
  const forwarded = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => plain(hop.trim()))
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i] ?? "";
    if (!isTrusted(trusted, hop)) return isIP(hop) ? hop : `unparsable:${hop.slice(0, 64)}`;
  }
  return forwarded[0] ?? peer;
}
