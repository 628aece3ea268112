import { cors } from "hono/cors";

/**
 * Any web page may read the API, the OpenAPI document and papers as Markdown (no credentials are
 * involved); HTML pages get no CORS headers.
 */
export const readOnlyCors = cors({
  origin: "*",
  allowMethods: ["GET", "HEAD", "OPTIONS"],
  exposeHeaders: ["Link", "ETag", "Retry-After"],
});
