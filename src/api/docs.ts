import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The files of the docs page, served from the npm package so the page works with no internet. */
const assets = new Map([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
  ["favicon-32x32.png", "image/png"],
]);

// Kept in a file of its own rather than inline, so a strict Content-Security-Policy still allows it.
const initScript = `window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
`;

function docsPage(siteName: string): string {
  const title = `${siteName} API`.replace(/[<>&"]/g, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
`;
}

/** `/docs`: interactive API documentation (Swagger UI) over `/openapi.json`. */
export function registerDocs(app: Hono<AppEnv>): void {
  app.get("/docs", (c) => c.html(docsPage(c.get("app").config.siteName)));
  app.get("/docs/assets/init.js", (c) => c.body(initScript, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:name", async (c) => {
    const name = c.req.param("name");
    const type = assets.get(name);
    if (!type) return c.notFound();
    const body = await fs.promises.readFile(path.join(swaggerUiDir, name));
    return c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
