import pino from "pino";
import { createCommunity } from "../../src/community/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createMailer } from "../../src/mail/index.ts";
import { createApp } from "../../src/server/app.ts";
import { createLogger } from "../../src/server/logger.ts";
import type { Store, User } from "../../src/store/index.ts";

/** A hash of "correct horse battery" made once: hashing 50 passwords would only test argon2's speed. */
export const TEST_PASSWORD = "correct horse battery";
let testHash: Promise<string> | null = null;

/**
 * The whole app over a test store with its community services in reach, a clock the test can
 * move. Mail goes to PAPERBOY_SMTP_URL when the env names one.
 */
export function communityApp(store: Store, env: Record<string, string> = {}) {
  const config = loadConfig({
    PAPERBOY_LOG_LEVEL: "silent",
    PAPERBOY_DEMO: "off",
    PAPERBOY_API_RATE_LIMIT: "0",
    ...env,
  });
  const logger = createLogger(config);
  const clock = { offsetMs: 0 };
  const community = createCommunity(
    {
      store,
      mailer: createMailer(config.mail, pino({ level: "silent" })),
      site: { name: config.siteName, baseUrl: config.baseUrl },
      logger,
      now: () => new Date(Date.now() + clock.offsetMs),
    },
    { arxivApiUrl: config.arxivApiUrl, http: { timeoutMs: 5000, maxRetries: 0 } },
  );
  const app = createApp({ store, config, logger }, community);
  return { app, community, config, clock };
}

/** A verified account with TEST_PASSWORD, made straight in the store. */
export async function verifiedUser(store: Store, username: string, role: User["role"] = "user"): Promise<User> {
  const { hashPassword } = await import("../../src/community/passwords.ts");
  testHash ??= hashPassword(TEST_PASSWORD);
  const created = await store.users.create({
    username,
    email: `${username.toLowerCase()}@example.org`,
    passwordHash: await testHash,
    role,
    verified: true,
    now: new Date().toISOString(),
  });
  if (typeof created !== "object") throw new Error(`${username}: ${created}`);
  return created;
}

/** A browser stand-in for in-process requests: keeps cookies, sends this site's Origin, reads form tokens. */
export class PageClient {
  private readonly cookies = new Map<string, string>();
  /** The form token of the last page read. */
  token = "";

  constructor(
    private readonly app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
    private readonly origin = "http://localhost:3000",
  ) {}

  /** The same browser on another instance of the site: another origin, the same cookies. */
  static sharing(other: PageClient, app: PageClient["app"], origin: string): PageClient {
    const client = new PageClient(app, origin);
    for (const [name, value] of other.cookies) client.cookies.set(name, value);
    return client;
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(path: string): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.app.request(path, { headers: { cookie: this.cookieHeader } });
    this.remember(response);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
    if (token) this.token = token;
    return { status: response.status, html, response };
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { origin?: string | null; token?: string | null; accept?: string } = {},
  ): Promise<{ status: number; html: string; response: Response }> {
    const token = options.token === undefined ? this.token : options.token;
    const body = new URLSearchParams({ ...(token === null ? {} : { _csrf: token }), ...fields });
    const origin = options.origin === undefined ? this.origin : options.origin;
    const response = await this.app.request(path, {
      method: "POST",
      body,
      headers: {
        cookie: this.cookieHeader,
        "content-type": "application/x-www-form-urlencoded",
        ...(origin ? { origin } : {}),
        ...(options.accept ? { accept: options.accept } : {}),
      },
    });
    this.remember(response);
    return { status: response.status, html: await response.text(), response };
  }

  /** Logs in through the form; the session cookie is kept. */
  async logIn(login: string, password = TEST_PASSWORD): Promise<void> {
    await this.get("/login");
    const { status } = await this.post("/login", { login, password });
    if (status !== 303) throw new Error(`log in as ${login}: HTTP ${status}`);
  }
}
