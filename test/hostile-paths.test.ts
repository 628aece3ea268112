import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testApp } from "./support/api-app.ts";
import { databaseKinds, withStore } from "./support/databases.ts";

/** Escapes a client can put on the wire that do not decode: broken, truncated, not UTF-8. */
const undecodable = [
  "%C3%28",
  "%",
  "%zz",
  "%00",
  "a%",
  "%%",
  "%E0%A4%A",
  "%ff%fe",
  "%C0%AF",
  "%ED%A0%80",
  "%F4%90%80%80",
];
/** Escapes that decode, into text no route expects. */
const decodable = ["%25zz", "%2525", "%2F%2F", "..%2F..%2Fetc", "%E2%80%AE"];

/** Each route's path with every parameter (and wildcard) replaced by `value`, or `value` appended. */
function probes(paths: string[], value: string): string[] {
  return paths.map((path) => {
    const filled = path.replace(/:[A-Za-z_]+(\{[^}]*\})?|\*/g, value);
    return filled === path ? `${path.replace(/\/$/, "")}/${value}` : filled;
  });
}

for (const kind of databaseKinds) {
  describe(`addresses that are not valid percent-encoding or hold a NUL, on ${kind.kind}`, { skip: kind.skip }, () => {
    it("answer 400 on every route, as do NULs (JSON under /api and /mcp), and odd but valid ones never 5xx", () =>
      withStore(kind, async (store) => {
        const app = testApp(store, { PAPERBOY_API_RATE_LIMIT: "0" });
        const paths = [...new Set(app.routes.map((r) => r.path))].filter((p) => p !== "/*");
        for (const value of undecodable) {
          for (const path of [...probes(paths, value), `/papers/${value}.bib`, `/papers/${value}.md`]) {
            const response = await app.request(`http://localhost${path}`);
            assert.equal(response.status, 400, path);
            const body = await response.text();
            if (path.startsWith("/api/"))
              assert.match(body, /"error":"The address (is not valid percent-encoding|holds a NUL)/, path);
            else assert.match(body, /not valid percent-encoding|holds a NUL/, path);
          }
        }
        for (const [path, name] of [
          ["/search?q=a%00b", "q"],
          ["/api/papers/search?q=%00", "q"],
          ["/authors/x?page=1%00", "page"],
        ]) {
          const response = await app.request(`http://localhost${path}`);
          assert.equal(response.status, 400, path);
          assert.match(await response.text(), new RegExp(`query parameter ${name}: holds a NUL character`), path);
        }
        for (const value of decodable) {
          for (const path of probes(paths, value)) {
            const response = await app.request(`http://localhost${path}`);
            assert.ok(response.status < 500, `${path} → ${response.status}`);
          }
        }
      }));
  });
}
