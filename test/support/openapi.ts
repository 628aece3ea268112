import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;
interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** Checks real responses against what /openapi.json promises for that path, method and status. */
export function responseValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return (path: string, status: number, body: unknown, method = "get"): string[] => {
    const operation = document.paths[path]?.[method];
    if (!operation) return [`the document has no ${method.toUpperCase()} ${path}`];
    const response = operation.responses[String(status)];
    if (!response) return [`the document lists no ${status} for ${method.toUpperCase()} ${path}`];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return [`the document gives no JSON schema for ${status} of ${path}`];
    // Inline schemas point into #/components, so they are checked with the components beside them.
    const validate = ajv.compile({ ...schema, components: document.components });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  };
}
