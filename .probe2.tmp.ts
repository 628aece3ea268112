import { loadConfig, parseDatabaseUrl } from "./src/config/index.ts";
import { createLogger } from "./src/server/logger.ts";
import { Store } from "./src/store/index.ts";
import { createApp } from "./src/server/app.ts";
const store = await Store.open(parseDatabaseUrl("sqlite::memory:"));
const config = loadConfig({ PAPERBOY_LOG_LEVEL: "silent", PAPERBOY_DEMO: "off" });
const app = createApp({ store, config, logger: createLogger(config) });
console.log([...new Set(app.routes.map(r => `${r.method} ${r.path}`))].join("\n"));
await store.close();
