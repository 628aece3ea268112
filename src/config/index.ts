import { existsSync, statSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { CronPattern } from "croner";

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
  /** Requests a minute one client may make to the APIs, MCP and search; 0 means no limit. */
  apiRateLimit: number;
  /**
   * Reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges: a request from
   * one of them is counted against the client it names, not against the proxy.
   */
  trustProxy: string[];
  /** Web origins besides the site's own that may call /mcp from a browser; `*` for any. */
  mcpOrigins: string[];
  /** What turns papers and queries into vectors for semantic search. */
  embedder: EmbedderSetting;
  mail: MailSettings;
  /** Prometheus metrics: off, at /metrics on the site's port, or on a port of their own. */
  metrics: MetricsSetting;
  /** Keyword-index blocks kept in memory between searches, bytes at most. */
  searchCacheBytes: number;
  /** Rendered pages kept for anonymous readers: bytes at most (0: off), and how often the data version is re-read. */
  renderCache: { maxBytes: number; checkIntervalMs: number };
  /** The arXiv API that papers submitted on the site are fetched from when they are not stored. */
  arxivApiUrl: string;
  /** `paperboy worker`: which jobs run, when, and where they fetch from. */
  worker: WorkerSettings;
  /** Key for signed links (mail confirmation, unsubscribe); null: one generated and kept in the database. */
  secret: string | null;
}

/** Jobs `paperboy worker` knows; each runs under a lease in the database, so one worker at a time runs it. */
export const workerJobNames = ["harvest-arxiv", "harvest-hf", "digest-daily", "digest-weekly", "mail"] as const;
export type WorkerJobName = (typeof workerJobNames)[number];

export interface WorkerSettings {
  /** The jobs to schedule, in the order the README lists them. */
  jobs: WorkerJobName[];
  /** IANA zone the schedules are read in. */
  timezone: string;
  /** A cron expression (5 or 6 fields) per job. */
  schedules: Record<WorkerJobName, string>;
  /** How long a job or a mail claimed by a worker stays its own without renewal: a crashed worker's work is taken over after it. */
  leaseSeconds: number;
  /** arXiv OAI-PMH endpoint and the sets harvested (none: all of arXiv). */
  arxiv: { endpoint: string; sets: string[] };
  /** A Hugging Face daily-papers API (`?date=YYYY-MM-DD` is added), or null when not configured. */
  hfDailyUrl: string | null;
}

export const DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query";

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
      "Requests a minute one client (IP address) may make to /api, /mcp (where each JSON-RPC message in a batch counts) and the search page, counted in the database so that every instance shares the count; 0 turns the limit off.",
  },
  {
    name: "PAPERBOY_TRUST_PROXY",
    default: "",
    meaning:
      "Reverse proxies in front of Paperboy, as comma-separated addresses or CIDR ranges (e.g. `127.0.0.1,::1` or `10.0.0.0/8`): for requests from them the client is read from `X-Forwarded-For`. Empty: the client is the address that connected.",
  },
  {
    name: "PAPERBOY_MCP_ORIGINS",
    default: "",
    meaning:
      "Web origins other than the site's own (PAPERBOY_BASE_URL) allowed to call `/mcp` from a browser, comma-separated (e.g. `http://localhost:6274` for the MCP Inspector), or `*` for any. Requests with no Origin (desktop assistants, scripts) are always served.",
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
    name: "PAPERBOY_ARXIV_API_URL",
    default: "https://export.arxiv.org/api/query",
    meaning: "The arXiv API that a paper submitted on the site is fetched from when it is not stored yet.",
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
      "`on` serves Prometheus metrics at /metrics on the site's port (keep it from the public, e.g. at the reverse proxy); a worker needs PAPERBOY_METRICS_PORT.",
  },
  {
    name: "PAPERBOY_METRICS_PORT",
    default: "",
    meaning:
      "Serves /metrics on this port (on HOST) instead, for a scraper on a private network; turns metrics on by itself (serve and worker; each process its own port).",
  },
  {
    name: "PAPERBOY_RENDER_CACHE_MB",
    default: "64",
    meaning:
      "Memory for rendered pages and API answers kept for readers who are not signed in (feeds, trending, paper pages, /api/daily_papers), dropped whenever the data changes; 0 turns it off.",
  },
  {
    name: "PAPERBOY_SEARCH_CACHE_MB",
    default: "256",
    meaning:
      "Memory for the keyword index's postings kept between searches: common words recur in most searches, and at millions of papers one word's postings take tens of MB. It fills only as far as searches read, so a small site never uses it all.",
  },
  {
    name: "PAPERBOY_RENDER_CACHE_CHECK_MS",
    default: "200",
    meaning:
      "How often, at most, a serve process asks the database whether anything changed before serving a kept page: the longest a write made elsewhere (ingest, another instance) can go unseen.",
  },
  {
    name: "PAPERBOY_WORKER_JOBS",
    default: "all",
    meaning:
      "Jobs `paperboy worker` schedules, comma-separated: harvest-arxiv, harvest-hf, digest-daily, digest-weekly, mail. `all` means every one that is configured (harvest-hf needs PAPERBOY_HF_DAILY_URL).",
  },
  {
    name: "PAPERBOY_TIMEZONE",
    default: "America/New_York",
    meaning: "Time zone the worker's schedules are read in (IANA name, e.g. Europe/Berlin).",
  },
  {
    name: "PAPERBOY_HARVEST_ARXIV_SCHEDULE",
    default: "0 2 * * *",
    meaning:
      "When the daily arXiv harvest runs (cron: minute hour day month weekday); it resumes from the last harvested day.",
  },
  {
    name: "PAPERBOY_HARVEST_HF_SCHEDULE",
    default: "15 * * * *",
    meaning: "When the Hugging Face daily feed is fetched (today's and yesterday's papers, with their upvotes).",
  },
  {
    name: "PAPERBOY_DIGEST_DAILY_SCHEDULE",
    default: "0 7 * * *",
    meaning: "When daily digests of the day before go out.",
  },
  {
    name: "PAPERBOY_DIGEST_WEEKLY_SCHEDULE",
    default: "0 7 * * 1",
    meaning: "When weekly digests of the ISO week before go out.",
  },
  {
    name: "PAPERBOY_MAIL_SCHEDULE",
    default: "* * * * *",
    meaning: "When queued mail (confirmations, digests, retries after SMTP failures) is delivered.",
  },
  {
    name: "PAPERBOY_WORKER_LEASE_SECONDS",
    default: "120",
    meaning:
      "How long a running job or a mail being sent stays claimed by its worker without renewal; work of a crashed worker is taken over after it.",
  },
  {
    name: "PAPERBOY_ARXIV_OAI_URL",
    default: "https://oaipmh.arxiv.org/oai",
    meaning: "arXiv's OAI-PMH endpoint, for the daily harvest.",
  },
  {
    name: "PAPERBOY_ARXIV_SETS",
    default: "",
    meaning: "OAI sets the daily harvest is limited to, comma-separated (e.g. `cs,stat`); empty harvests all of arXiv.",
  },
  {
    name: "PAPERBOY_HF_DAILY_URL",
    default: "",
    meaning:
      "A Hugging Face daily-papers API such as https://huggingface.co/api/daily_papers (`?date=YYYY-MM-DD` is added); empty turns the harvest-hf job off.",
  },
  {
    name: "PAPERBOY_SECRET",
    default: "",
    meaning:
      "Key that signs links in mails (confirm, unsubscribe). Empty: one is generated at first start and kept in the database, so links survive restarts and work on every instance.",
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

function parseTrustProxy(value: string): string[] {
  return list(value).map((entry) => {
    const [address = "", prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !validPrefix || rest.length > 0) {
      throw new ConfigError(
        `PAPERBOY_TRUST_PROXY "${entry}" is not an IP address or CIDR range like 127.0.0.1, ::1 or 10.0.0.0/8`,
      );
    }
    return entry;
  });
}

function parseOrigins(value: string): string[] {
  return list(value).map((entry) => {
    if (entry === "*") return entry;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError(`PAPERBOY_MCP_ORIGINS "${entry}" is not an origin like https://app.example.org`);
    }
    if (url.origin === "null" || url.origin !== entry.replace(/\/$/, "")) {
      throw new ConfigError(`PAPERBOY_MCP_ORIGINS "${entry}" is not an origin (scheme, host and port only)`);
    }
    return url.origin;
  });
}

const list = (value: string) =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);

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

function parseTimezone(value: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(`PAPERBOY_TIMEZONE "${value}" is not a time zone: use an IANA name like America/New_York`);
  }
}

function parseSchedule(name: string, value: string, timezone: string): string {
  try {
    new CronPattern(value, timezone);
  } catch (error) {
    throw new ConfigError(
      `${name} "${value}" is not a cron schedule like "0 7 * * *" (minute hour day month weekday): ${(error as Error).message}`,
    );
  }
  return value;
}

function parseWorkerJobs(value: string, hfConfigured: boolean): WorkerJobName[] {
  const words = value
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 1 && words[0] === "all")
    return workerJobNames.filter((job) => job !== "harvest-hf" || hfConfigured);
  const jobs: WorkerJobName[] = [];
  for (const word of words) {
    const job = workerJobNames.find((j) => j === word);
    if (!job)
      throw new ConfigError(`PAPERBOY_WORKER_JOBS: "${word}" is not a job; use ${workerJobNames.join(", ")} or all`);
    if (job === "harvest-hf" && !hfConfigured)
      throw new ConfigError("PAPERBOY_WORKER_JOBS names harvest-hf, which needs PAPERBOY_HF_DAILY_URL");
    if (!jobs.includes(job)) jobs.push(job);
  }
  return workerJobNames.filter((job) => jobs.includes(job));
}

function parseLeaseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 86_400)
    throw new ConfigError(`PAPERBOY_WORKER_LEASE_SECONDS "${value}" must be a whole number of seconds from 1 to 86400`);
  return seconds;
}

function parseArxivSets(value: string): string[] {
  const sets = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const set of sets)
    if (!/^[A-Za-z0-9.:-]+$/.test(set))
      throw new ConfigError(`PAPERBOY_ARXIV_SETS: "${set}" is not an OAI set name like cs or physics:hep-th`);
  return [...new Set(sets)];
}

function parseWorker(read: (name: (typeof settings)[number]["name"]) => string | undefined): WorkerSettings {
  const timezone = parseTimezone(read("PAPERBOY_TIMEZONE") ?? "America/New_York");
  const hfDaily = read("PAPERBOY_HF_DAILY_URL");
  const schedule = (name: (typeof settings)[number]["name"], fallback: string) =>
    parseSchedule(name, read(name) ?? fallback, timezone);
  return {
    jobs: parseWorkerJobs(read("PAPERBOY_WORKER_JOBS") ?? "all", hfDaily !== undefined),
    timezone,
    schedules: {
      "harvest-arxiv": schedule("PAPERBOY_HARVEST_ARXIV_SCHEDULE", "0 2 * * *"),
      "harvest-hf": schedule("PAPERBOY_HARVEST_HF_SCHEDULE", "15 * * * *"),
      "digest-daily": schedule("PAPERBOY_DIGEST_DAILY_SCHEDULE", "0 7 * * *"),
      "digest-weekly": schedule("PAPERBOY_DIGEST_WEEKLY_SCHEDULE", "0 7 * * 1"),
      mail: schedule("PAPERBOY_MAIL_SCHEDULE", "* * * * *"),
    },
    leaseSeconds: parseLeaseSeconds(read("PAPERBOY_WORKER_LEASE_SECONDS") ?? "120"),
    arxiv: {
      endpoint: parseBaseUrl(
        read("PAPERBOY_ARXIV_OAI_URL") ?? "https://oaipmh.arxiv.org/oai",
        "PAPERBOY_ARXIV_OAI_URL",
      ),
      sets: parseArxivSets(read("PAPERBOY_ARXIV_SETS") ?? ""),
    },
    hfDailyUrl: hfDaily === undefined ? null : parseBaseUrl(hfDaily, "PAPERBOY_HF_DAILY_URL"),
  };
}

function parseSecret(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value.length < 16)
    throw new ConfigError("PAPERBOY_SECRET must be at least 16 characters (or empty, to generate one)");
  return value;
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
    trustProxy: parseTrustProxy(read("PAPERBOY_TRUST_PROXY") ?? ""),
    mcpOrigins: parseOrigins(read("PAPERBOY_MCP_ORIGINS") ?? ""),
    embedder: parseEmbedder(read),
    mail: parseMail(read, database, baseUrl, siteName),
    metrics: parseMetrics(read("PAPERBOY_METRICS"), read("PAPERBOY_METRICS_PORT")),
    searchCacheBytes:
      parseWholeNumber("PAPERBOY_SEARCH_CACHE_MB", read("PAPERBOY_SEARCH_CACHE_MB") ?? "256", 65536) * 1024 * 1024,
    renderCache: {
      maxBytes:
        parseWholeNumber("PAPERBOY_RENDER_CACHE_MB", read("PAPERBOY_RENDER_CACHE_MB") ?? "64", 65536) * 1024 * 1024,
      checkIntervalMs: parseWholeNumber(
        "PAPERBOY_RENDER_CACHE_CHECK_MS",
        read("PAPERBOY_RENDER_CACHE_CHECK_MS") ?? "200",
        60_000,
      ),
    },
    arxivApiUrl: parseBaseUrl(read("PAPERBOY_ARXIV_API_URL") ?? DEFAULT_ARXIV_API_URL, "PAPERBOY_ARXIV_API_URL"),
    worker: parseWorker(read),
    secret: parseSecret(read("PAPERBOY_SECRET")),
  };
}
