import { loadConfig } from "./src/config/index.ts";
import { createLogger } from "./src/server/logger.ts";
import { Store } from "./src/store/index.ts";
import { createApp } from "./src/server/app.ts";
import { parseDatabaseUrl } from "./src/config/index.ts";
const store = await Store.open(parseDatabaseUrl("sqlite::memory:"));
const config = loadConfig({ PAPERBOY_LOG_LEVEL: "silent", PAPERBOY_DEMO: "off" });
const app = createApp({ store, config, logger: createLogger(config) });
const bad = ["%C3%28", "%", "%zz", "%E0%A4%A", "%ff%fe", "%C0%AF", "a%", "%%"];
const bases = ["/papers/", "/papers/date/", "/papers/week/", "/papers/month/", "/authors/", "/categories/", "/api/papers/", "/api/papers/hep-th/", "/api/v1/papers/", "/api/v1/feed/", "/docs/assets/", "/assets/abc/", "/api/", "/", "/search?q=", "/api/papers/search?q=", "/api/daily_papers?date=", "/papers?date=", "/mcp/"];
for (const base of bases) for (const b of bad) {
  for (const suffix of ["", ".md", ".bib"]) {
    const path = base.includes("?") ? base + b : base + b + suffix;
    const r = await app.request("http://localhost" + path);
    if (r.status >= 500 || r.status === 200) console.log(r.status, path);
  }
}
await store.close();
