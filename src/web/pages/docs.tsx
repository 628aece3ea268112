import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Hono } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "../../http/context.ts";
import { Layout } from "../components/layout.tsx";
import { paths } from "../paths.ts";
import { page, siteOf } from "./respond.tsx";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The files of the docs page, served from the npm package so the page works with no internet. */
const assets = new Map([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);

// A file of its own rather than inline, so the Content-Security-Policy (no inline script) allows it.
const initScript = `window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
`;

/** `/docs`: the API reference (Swagger UI over `/openapi.json`) inside the site's own frame. */
export function registerDocsPage(app: Hono<AppEnv>): void {
  page(app, paths.docs(), (c) =>
    c.html(
      <Layout
        site={siteOf(c)}
        title="API documentation"
        description="The HTTP API: Hugging Face compatible endpoints, Paperboy's own /api/v1, and MCP."
        head={<link rel="stylesheet" href="/docs/assets/swagger-ui.css" />}
      >
        <h1>API documentation</h1>
        <p>
          The endpoints under <code>/api</code> answer like huggingface.co/api (point <code>huggingface_hub</code>'s
          endpoint here); <code>/api/v1</code> is Paperboy's own, richer shape; MCP (Streamable HTTP) is at{" "}
          <code>/mcp</code>. The machine-readable description is <a href="/openapi.json">/openapi.json</a>.
        </p>
        <div id="swagger-ui" class="api-docs">
          <p class="notice">The interactive reference needs JavaScript; the OpenAPI document above has it all.</p>
        </div>
        <script src="/docs/assets/swagger-ui-bundle.js" />
        <script src="/docs/assets/init.js" />
      </Layout>,
    ),
  );
  app.get("/docs/assets/init.js", (c) =>
    c.body(initScript, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
    }),
  );
  app.get("/docs/assets/:name", compress(), async (c) => {
    const name = c.req.param("name");
    const type = assets.get(name);
    if (!type) return c.notFound();
    const body = await fs.promises.readFile(path.join(swaggerUiDir, name));
    return c.body(new Uint8Array(body), 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
