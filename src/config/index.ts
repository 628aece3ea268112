import { existsSync, statSync } from "node:fs";
import path from "node:path";

/** Where the data lives: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  /** Load the bundled demo corpus into an empty database on `serve`. */
  demo: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Public origin used in absolute links (feeds, emails, canonical URLs). */
  baseUrl: string;
  /** Site name shown in the header and titles. */
  siteName: string;
  /** Requests a minute one client may make to the APIs, in bursts of up to as many; 0 means no limit. */
  apiRateLimit: number;
  /** What turns papers and queries into vectors for semantic search. */
  embedder: EmbedderSetting;
  mail: MailSettings;
  /** Prometheus metrics: off, at /metrics on the site's port, or on a port of their own. */
  metrics: MetricsSetting;
  /** Rendered pages kept for anonymous readers: bytes at most (0: off), and how often the data version is re-read. */
  renderCache: { maxBytes: number; checkIntervalMs: number };
}

/** Where mail goes: an SMTP server, or .eml files in a directory when none is configured. */
export interface MailSettings {
  /** smtp:// or smtps:// URL with credentials; null writes each mail to `outboxDir` instead. */
  smtpUrl: string | null;
  /** The From address of every mail, e.g. `Paperboy <papers@example.org>`. */
  from: string;
  outboxDir: string;
}

export type MetricsSetting = { kind: "off" } | { kind: "site" } | { kind: "port"; port: number };

export type EmbedderSetting =
  | { kind: "builtin" }
  | { kind: "openai"; url: string; model: string; apiKey?: string }
  | { kind: "onnx"; modelDir: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Every setting Paperboy reads from the environment; the README's table is made from this list. */
export const settings = [
  { name: "PORT", default: "3000", meaning: "HTTP port for `paperboy serve`." },
  { name: "HOST", default: "0.0.0.0", meaning: "Interface to listen on." },
  {
    name: "DATABASE_URL",
    default: "sqlite:./data/paperboy.db",
    meaning: "`sqlite:PATH` for the embedded database, or `postgres://user:pass@host:port/db`.",
  },
  {
    name: "PAPERBOY_DEMO",
    default: "on",
    meaning: "`on` loads the bundled demo corpus into an empty database at start; `off` leaves it empty.",
  },
  { name: "PAPERBOY_LOG_LEVEL", default: "info", meaning: "fatal, error, warn, info, debug, trace or silent." },
  {
    name: "PAPERBOY_BASE_URL",
    default: "http://localhost:$PORT",
    meaning: "Public URL of the site, used for canonical links, feeds and e-mails.",
  },
  { name: "PAPERBOY_SITE_NAME", default: "Paperboy", meaning: "Name shown in the header and page titles." },
  {
    name: "PAPERBOY_API_RATE_LIMIT",
    default: "600",
    meaning:
      "Requests a minute one client (IP address) may make to /api and /mcp, in bursts of up to as many; 0 turns the limit off.",
  },
  {
    name: "PAPERBOY_EMBEDDER",
    default: "builtin",
    meaning:
      "Semantic search model: `builtin` (trained from your papers by `paperboy embed`), `onnx` (a local sentence-embedding model, see PAPERBOY_ONNX_MODEL_DIR) or `openai` (an OpenAI-compatible /v1/embeddings server such as Ollama, vLLM or TEI).",
  },
  {
    name: "PAPERBOY_EMBEDDINGS_URL",
    default: "",
    meaning: "Base URL of an OpenAI-compatible API (e.g. http://localhost:11434/v1), for PAPERBOY_EMBEDDER=openai.",
  },
  { name: "PAPERBOY_EMBEDDINGS_MODEL", default: "", meaning: "Model name sent to that API." },
  { name: "PAPERBOY_EMBEDDINGS_KEY", default: "", meaning: "Bearer token for that API, if it wants one." },
  {
    name: "PAPERBOY_ONNX_MODEL_DIR",
    default: "",
    meaning:
      "For PAPERBOY_EMBEDDER=onnx: a sentence-transformers ONNX export (BERT-style, WordPiece): a directory with `model.onnx` and `tokenizer.json` or `vocab.txt`. Needs an ONNX runtime, which Paperboy does not install: `npm install onnxruntime-node` (native, faster) or `npm install onnxruntime-web` (WebAssembly, any platform).",
  },
  {
    name: "PAPERBOY_SMTP_URL",
    default: "",
    meaning:
      "Mail server for verification, password-reset and digest mails, e.g. `smtp://user:pass@mail.example.org:587` (STARTTLS) or `smtps://…:465`. Unset: each mail is written as an `.eml` file to PAPERBOY_OUTBOX_DIR and logged.",
  },
  {
    name: "PAPERBOY_MAIL_FROM",
    default: "$PAPERBOY_SITE_NAME <paperboy@host of PAPERBOY_BASE_URL>",
    meaning: "From address of the mails Paperboy sends.",
  },
  {
    name: "PAPERBOY_OUTBOX_DIR",
    default: "outbox/ next to the SQLite file (./data/outbox)",
    meaning: "Where mails are written when PAPERBOY_SMTP_URL is unset.",
  },
  {
    name: "PAPERBOY_METRICS",
    default: "off",
    meaning:
      "`on` serves Prometheus metrics at /metrics on the site's port (keep it from the public, e.g. at the reverse proxy).",
  },
  {
    name: "PAPERBOY_METRICS_PORT",
    default: "",
    meaning:
      "Serves /metrics on this port (on HOST) instead, for a scraper on a private network; turns metrics on by itself.",
  },
  {
    name: "PAPERBOY_RENDER_CACHE_MB",
    default: "64",
    meaning:
      "Memory for rendered pages and API answers kept for readers who are not signed in (feeds, trending, paper pages, /api/daily_papers), dropped whenever the data changes; 0 turns it off.",
  },
  {
    name: "PAPERBOY_RENDER_CACHE_CHECK_MS",
    default: "200",
    meaning:
      "How often, at most, a serve process asks the database whether anything changed before serving a kept page: the longest a write made elsewhere (ingest, another instance) can go unseen.",
  },
] as const;

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (value.startsWith("sqlite:")) {
    const file = value.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "") throw new ConfigError(`DATABASE_URL "${value}" names no file: use sqlite:./data/paperboy.db`);
    return { kind: "sqlite", path: file === ":memory:" ? file : path.resolve(file) };
  }
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(`DATABASE_URL "${redact(value)}" is not a valid postgres:// URL`);
    }
    return { kind: "postgres", url: value };
  }
  throw new ConfigError(
    `DATABASE_URL "${redact(value)}" is not supported: use sqlite:PATH (e.g. sqlite:./data/paperboy.db) or postgres://user:pass@host:5432/db`,
  );
}

/** Hides a password in a connection string before it goes into a message or a log. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT "${value}" must be a whole number from 0 to 65535`);
  }
  return port;
}

function parseSwitch(name: string, value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (["on", "true", "1", "yes"].includes(normalized)) return true;
  if (["off", "false", "0", "no"].includes(normalized)) return false;
  throw new ConfigError(`${name} "${value}" must be on or off`);
}

function parseLogLevel(value: string): Config["logLevel"] {
  const level = logLevels.find((l) => l === value.trim().toLowerCase());
  if (!level) throw new ConfigError(`PAPERBOY_LOG_LEVEL "${value}" must be one of ${logLevels.join(", ")}`);
  return level;
}

function parseEmbedder(read: (name: (typeof settings)[number]["name"]) => string | undefined): EmbedderSetting {
  const kind = (read("PAPERBOY_EMBEDDER") ?? "builtin").toLowerCase();
  if (kind === "builtin") return { kind };
  if (kind === "openai") {
    const url = read("PAPERBOY_EMBEDDINGS_URL");
    const model = read("PAPERBOY_EMBEDDINGS_MODEL");
    if (!url || !model) {
      throw new ConfigError("PAPERBOY_EMBEDDER=openai needs PAPERBOY_EMBEDDINGS_URL and PAPERBOY_EMBEDDINGS_MODEL");
    }
    const apiKey = read("PAPERBOY_EMBEDDINGS_KEY");
    return { kind, url: parseBaseUrl(url, "PAPERBOY_EMBEDDINGS_URL"), model, ...(apiKey ? { apiKey } : {}) };
  }
  if (kind === "onnx") return { kind, modelDir: parseOnnxModelDir(read("PAPERBOY_ONNX_MODEL_DIR")) };
  throw new ConfigError(`PAPERBOY_EMBEDDER "${kind}" must be builtin, onnx or openai`);
}

function parseOnnxModelDir(value: string | undefined): string {
  if (!value) {
    throw new ConfigError("PAPERBOY_EMBEDDER=onnx needs PAPERBOY_ONNX_MODEL_DIR, a directory with model.onnx");
  }
  const dir = path.resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(`PAPERBOY_ONNX_MODEL_DIR "${dir}" is not a directory`);
  }
  const missing = (file: string) => !existsSync(path.join(dir, file));
  if (missing("model.onnx")) {
    throw new ConfigError(`PAPERBOY_ONNX_MODEL_DIR: ${path.join(dir, "model.onnx")} is missing`);
  }
  if (missing("tokenizer.json") && missing("vocab.txt")) {
    throw new ConfigError(`PAPERBOY_ONNX_MODEL_DIR "${dir}" has neither tokenizer.json nor vocab.txt for the model`);
  }
  return dir;
}

function parseBaseUrl(value: string, name = "PAPERBOY_BASE_URL"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} "${value}" is not an absolute URL like https://papers.example.org`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name} "${value}" must start with http:// or https://`);
  }
  return url.href.replace(/\/$/, "");
}

function parseRateLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit > 1_000_000) {
    throw new ConfigError(
      `PAPERBOY_API_RATE_LIMIT "${value}" must be a whole number of requests a minute (0 for no limit)`,
    );
  }
  return limit;
}

function parseWholeNumber(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max)
    throw new ConfigError(`${name} "${value}" must be a whole number from 0 to ${max}`);
  return n;
}

function parseMetrics(switchValue: string | undefined, portValue: string | undefined): MetricsSetting {
  if (portValue !== undefined) {
    const port = parseWholeNumber("PAPERBOY_METRICS_PORT", portValue, 65535);
    if (port === 0) throw new ConfigError('PAPERBOY_METRICS_PORT "0" must be a port from 1 to 65535');
    return { kind: "port", port };
  }
  return parseSwitch("PAPERBOY_METRICS", switchValue ?? "off") ? { kind: "site" } : { kind: "off" };
}

function parseSmtpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `PAPERBOY_SMTP_URL "${redact(value)}" is not a URL like smtp://user:pass@mail.example.org:587`,
    );
  }
  if ((url.protocol !== "smtp:" && url.protocol !== "smtps:") || url.hostname === "") {
    throw new ConfigError(
      `PAPERBOY_SMTP_URL "${redact(value)}" must be smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465`,
    );
  }
  return value;
}

/** A bare address or `Name <address>`: enough to catch a typo, the mail server judges the rest. */
function parseMailFrom(value: string): string {
  if (!/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/.test(value)) {
    throw new ConfigError(
      `PAPERBOY_MAIL_FROM "${value}" must be an address like papers@example.org or Paperboy <papers@example.org>`,
    );
  }
  return value;
}

function parseMail(
  read: (name: (typeof settings)[number]["name"]) => string | undefined,
  database: DatabaseTarget,
  baseUrl: string,
  siteName: string,
): MailSettings {
  const smtp = read("PAPERBOY_SMTP_URL");
  // Mails sit beside the data they belong to; a PostgreSQL or in-memory database has no such place.
  const dataDir =
    database.kind === "sqlite" && database.path !== ":memory:" ? path.dirname(database.path) : path.resolve("data");
  const outbox = read("PAPERBOY_OUTBOX_DIR");
  const from =
    read("PAPERBOY_MAIL_FROM") ?? `${siteName.replace(/[<>"@]/g, "")} <paperboy@${new URL(baseUrl).hostname}>`;
  return {
    smtpUrl: smtp ? parseSmtpUrl(smtp) : null,
    from: parseMailFrom(from),
    outboxDir: outbox ? path.resolve(outbox) : path.join(dataDir, "outbox"),
  };
}

/** Reads and validates the configuration once; nothing else in Paperboy reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const read = (name: (typeof settings)[number]["name"]) => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const port = parsePort(read("PORT") ?? "3000");
  const database = parseDatabaseUrl(read("DATABASE_URL") ?? "sqlite:./data/paperboy.db");
  const baseUrl = parseBaseUrl(read("PAPERBOY_BASE_URL") ?? `http://localhost:${port}`);
  const siteName = read("PAPERBOY_SITE_NAME") ?? "Paperboy";
  return {
    port,
    host: read("HOST") ?? "0.0.0.0",
    database,
    demo: parseSwitch("PAPERBOY_DEMO", read("PAPERBOY_DEMO") ?? "on"),
    logLevel: parseLogLevel(read("PAPERBOY_LOG_LEVEL") ?? "info"),
    baseUrl,
    siteName,
    apiRateLimit: parseRateLimit(read("PAPERBOY_API_RATE_LIMIT") ?? "600"),
    embedder: parseEmbedder(read),
    mail: parseMail(read, database, baseUrl, siteName),
    metrics: parseMetrics(read("PAPERBOY_METRICS"), read("PAPERBOY_METRICS_PORT")),
    renderCache: {
      maxBytes:
        parseWholeNumber("PAPERBOY_RENDER_CACHE_MB", read("PAPERBOY_RENDER_CACHE_MB") ?? "64", 65536) * 1024 * 1024,
      checkIntervalMs: parseWholeNumber(
        "PAPERBOY_RENDER_CACHE_CHECK_MS",
        read("PAPERBOY_RENDER_CACHE_CHECK_MS") ?? "200",
        60_000,
      ),
    },
  };
}
