import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { Mailer } from "../mail/index.ts";
import type { NamedOrganization } from "../papers/organization.ts";
import type { DigestPeriodKind, QueuedMail, Store, Subscriber } from "../store/index.ts";
import {
  collectDigest,
  type Digest,
  type DigestPeriod,
  noPersonalDigests,
  type PersonalDigests,
  withPersonalPart,
} from "./digest.ts";
import { type DeliverySummary, deliverQueued } from "./outbox.ts";
import { LinkSigner, linkSecret } from "./tokens.ts";

/** Where the links in mails lead; the site serves these paths. */
export const subscriptionPaths = {
  subscribe: "/subscribe",
  confirm: "/subscriptions/confirm",
  unsubscribe: "/subscriptions/unsubscribe",
};

export const digestPeriods: DigestPeriodKind[] = ["daily", "weekly"];

/** The words of a mail; its headers and addresses are the inbox's business. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What the confirmation of a subscription says. */
export interface ConfirmationMailInput {
  email: string;
  period: DigestPeriodKind;
  confirmUrl: string;
}

/** What one subscriber's digest says. */
export interface DigestMailInput {
  digest: Digest;
  /** The organisation each of the digest's papers is credited to, by paper id (store.organizations.ofPapers). */
  organizations: Map<string, NamedOrganization>;
  email: string;
  period: DigestPeriodKind;
  unsubscribeUrl: string;
  /** The address is a verified account's: its settings manage the digest too. */
  account: boolean;
}

/** Turns what a mail says into words and markup; the site provides it, so mails look like its pages. */
export interface MailRenderer {
  confirmation(input: ConfirmationMailInput): RenderedMail;
  digest(input: DigestMailInput): RenderedMail;
}

/** Who a digest goes to; `accountId` is the verified account with this address, if any. */
export type DigestRecipient = Pick<Subscriber, "id" | "email" | "period" | "accountId">;

export type SubscribeOutcome =
  /** A confirmation mail was queued, and is being sent. */
  | "confirmation-queued"
  /** One went out a moment ago; another would only pester the address. */
  | "confirmation-recent"
  /** The address is subscribed already; nothing is sent, or anyone could make mail go to it. */
  | "already-active"
  /** The address bounced or complained: no mail goes to it. */
  | "suppressed";

export interface DigestRun {
  period: DigestPeriod;
  papers: number;
  /** Digests queued now; those queued by an earlier run for the same period are not queued again. */
  queued: number;
  delivery: DeliverySummary;
}

/** A confirmation link is good for a week. */
const CONFIRMATION_VALID_MS = 7 * 86_400_000;
/** A second confirmation mail for the same address waits this long. */
const CONFIRMATION_INTERVAL_MS = 10 * 60_000;
const SUBSCRIBERS_PER_PAGE = 200;
const MAX_EMAIL_LENGTH = 254;

/** A plain address (local@domain.tld): nothing that could break a header or smuggle a second recipient. */
export function parseEmail(input: string): string | null {
  const email = input.trim();
  if (email.length > MAX_EMAIL_LENGTH) return null;
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/.test(email) ? email : null;
}

/** The bare address of a From like `Paperboy <papers@example.org>`. */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export interface InboxOptions {
  store: Store;
  config: Pick<Config, "baseUrl" | "siteName" | "secret" | "mail" | "worker">;
  mailer: Mailer;
  renderer: MailRenderer;
  logger: Logger;
  /** This process's id in mail claims. */
  holder: string;
  /** The personal part of account holders' digests; none by default. */
  personal?: PersonalDigests;
}

/**
 * Digest subscriptions by e-mail: double opt-in, signed links, one-click unsubscribe, digests
 * queued once per subscriber and period and delivered through the outbox.
 */
export class Inbox {
  private signer: Promise<LinkSigner> | null = null;

  constructor(private readonly options: InboxOptions) {}

  private links(): Promise<LinkSigner> {
    this.signer ??= linkSecret(this.options.store, this.options.config.secret).then((s) => new LinkSigner(s));
    return this.signer;
  }

  private url(path: string, token: string): string {
    return `${this.options.config.baseUrl}${path}?${new URLSearchParams({ token })}`;
  }

  private messageId(): string {
    return `<${randomBytes(16).toString("hex")}@${new URL(this.options.config.baseUrl).hostname}>`;
  }

  /**
   * Asks `email` to confirm a subscription: queues the confirmation mail and starts sending it
   * (a mail server that is down leaves it queued for the worker to retry). The outcome is for
   * logs and tests; a page must answer every outcome alike, or it tells who is subscribed.
   */
  async subscribe(email: string, period: DigestPeriodKind, now: Date = new Date()): Promise<SubscribeOutcome> {
    const { store, renderer } = this.options;
    if (await store.outbox.isSuppressed(email)) return "suppressed";
    const subscriber = await store.subscribers.request(email, period, now);
    if (subscriber.status === "active") return "already-active";
    const notBefore = new Date(now.getTime() - CONFIRMATION_INTERVAL_MS);
    if (!(await store.subscribers.claimConfirmation(subscriber.id, now, notBefore))) return "confirmation-recent";
    const token = (await this.links()).sign("confirm", subscriber.id, new Date(now.getTime() + CONFIRMATION_VALID_MS));
    const rendered = renderer.confirmation({
      email: subscriber.email,
      period: subscriber.period,
      confirmUrl: this.url(subscriptionPaths.confirm, token),
    });
    const mail: QueuedMail = {
      id: randomBytes(16).toString("base64url"),
      dedupeKey: `confirmation:${subscriber.id}:${now.toISOString()}`,
      kind: "confirmation",
      subscriberId: subscriber.id,
      recipient: subscriber.email,
      ...rendered,
      headers: {},
      messageId: this.messageId(),
    };
    await store.outbox.enqueue([mail], now);
    this.options.logger.info({ subscriber: subscriber.id, period }, "subscription requested; confirmation queued");
    // Sent while the page answers: a slow mail server must not hold the reader up. What fails
    // stays queued for the worker's mail job.
    this.deliver({ only: mail.id }).catch((error: unknown) =>
      this.options.logger.warn({ err: error }, "could not send the confirmation now; the mail job retries it"),
    );
    return "confirmation-queued";
  }

  /**
   * Subscribes a signed-in account's address. A verified address starts at once: the account's
   * own verification link proved it, and a second would only add a step. An unverified one gets
   * the confirmation mail anyone gets, and nothing else before it is followed.
   */
  async subscribeAccount(
    account: { email: string; emailVerified: boolean },
    period: DigestPeriodKind,
    now: Date = new Date(),
  ): Promise<SubscribeOutcome | "active"> {
    if (!account.emailVerified) return this.subscribe(account.email, period, now);
    if (await this.options.store.outbox.isSuppressed(account.email)) return "suppressed";
    const subscriber = await this.options.store.subscribers.activate(account.email, period, now);
    this.options.logger.info({ subscriber: subscriber.id, period }, "subscribed from account settings");
    return "active";
  }

  /** Confirms the subscription a confirmation token names; null for a bad or expired token or one ended since. */
  async confirm(token: string, now: Date = new Date()): Promise<Subscriber | null> {
    const id = (await this.links()).verify("confirm", token, now);
    if (!id || !(await this.options.store.subscribers.confirm(id, now))) return null;
    this.options.logger.info({ subscriber: id }, "subscription confirmed");
    return this.options.store.subscribers.get(id);
  }

  /** The subscription an unsubscribe token names, or null. */
  async subscriberOf(token: string): Promise<Subscriber | null> {
    const id = (await this.links()).verify("unsubscribe", token);
    return id ? this.options.store.subscribers.get(id) : null;
  }

  /** Ends the subscription an unsubscribe token names, cancelling its unsent mail; null for a bad token. */
  async unsubscribe(token: string, now: Date = new Date()): Promise<Subscriber | null> {
    return this.end(await this.subscriberOf(token), now);
  }

  /** Ends the subscription of an address (an account's, from its settings or as it is deleted); null when there is none. */
  async unsubscribeAddress(email: string, now: Date = new Date()): Promise<Subscriber | null> {
    return this.end(await this.options.store.subscribers.findByEmail(email), now);
  }

  private async end(subscriber: Subscriber | null, now: Date): Promise<Subscriber | null> {
    if (!subscriber) return null;
    await this.options.store.subscribers.unsubscribe(subscriber.id, now);
    this.options.logger.info({ subscriber: subscriber.id }, "unsubscribed");
    return this.options.store.subscribers.get(subscriber.id);
  }

  /** Switches an active subscription between daily and weekly; null for a bad token or an inactive subscription. */
  async changePeriod(token: string, period: DigestPeriodKind): Promise<Subscriber | null> {
    return this.switchPeriod(await this.subscriberOf(token), period);
  }

  /** Switches an address's active subscription (an account's, from its settings); null when it has none. */
  async changePeriodOf(email: string, period: DigestPeriodKind): Promise<Subscriber | null> {
    return this.switchPeriod(await this.options.store.subscribers.findByEmail(email), period);
  }

  private async switchPeriod(subscriber: Subscriber | null, period: DigestPeriodKind): Promise<Subscriber | null> {
    if (!subscriber || !(await this.options.store.subscribers.setPeriod(subscriber.id, period))) return null;
    return this.options.store.subscribers.get(subscriber.id);
  }

  /** The digest mails of a page of subscribers: everyone's part, and each account holder's own. */
  async digestMails(digest: Digest, subscribers: DigestRecipient[]): Promise<QueuedMail[]> {
    const accounts = subscribers.flatMap((s) => (s.accountId === null ? [] : [s.accountId]));
    const personal = this.options.personal ?? noPersonalDigests;
    const own = accounts.length > 0 ? await personal.sections(accounts, digest.period) : new Map();
    return Promise.all(
      subscribers.map((s) =>
        this.digestMail(withPersonalPart(digest, s.accountId === null ? undefined : own.get(s.accountId)), s),
      ),
    );
  }

  /** The digest mail one subscriber gets for a digest, with its unsubscribe headers (RFC 2369, RFC 8058). */
  async digestMail(digest: Digest, subscriber: DigestRecipient): Promise<QueuedMail> {
    const { config, renderer, store } = this.options;
    const token = (await this.links()).sign("unsubscribe", subscriber.id);
    const organizations = await store.organizations.ofPapers(digest.sections.flatMap((s) => s.papers.map((p) => p.id)));
    const unsubscribeUrl = this.url(subscriptionPaths.unsubscribe, token);
    const mailto = `mailto:${addressOf(config.mail.from)}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
    const { period } = digest;
    return {
      id: randomBytes(16).toString("base64url"),
      dedupeKey: `digest:${period.kind}:${period.key}:${subscriber.id}`,
      kind: "digest",
      subscriberId: subscriber.id,
      recipient: subscriber.email,
      ...renderer.digest({
        digest,
        organizations,
        email: subscriber.email,
        period: subscriber.period,
        unsubscribeUrl,
        account: subscriber.accountId !== null,
      }),
      headers: {
        "List-Unsubscribe": `<${unsubscribeUrl}>, <${mailto}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": `${config.siteName.replace(/[<>"]/g, "")} ${period.kind} digest <${period.kind}.digest.${new URL(config.baseUrl).hostname}>`,
      },
      messageId: this.messageId(),
    };
  }

  /**
   * Queues the period's digest for every active subscriber of its kind, each under the key
   * (period, subscriber): run again, by this worker or another, it queues nothing twice. Then
   * delivers what is due.
   */
  async sendDigests(period: DigestPeriod, now: Date = new Date(), signal?: AbortSignal): Promise<DigestRun> {
    const { store } = this.options;
    const digest = await collectDigest(store, period);
    let queued = 0;
    if (digest) {
      for (let after = ""; ; ) {
        signal?.throwIfAborted();
        const subscribers = await store.subscribers.activePage(period.kind, after, SUBSCRIBERS_PER_PAGE);
        if (subscribers.length === 0) break;
        const mails = await this.digestMails(digest, subscribers);
        queued += await store.outbox.enqueue(mails, now);
        after = subscribers.at(-1)?.id ?? after;
      }
    }
    const papers = digest?.sections.reduce((n, s) => n + s.papers.length, 0) ?? 0;
    return { period, papers, queued, delivery: await this.deliver({ signal }) };
  }

  /** Sends queued mail that is due (or just the mail `only`). */
  deliver(options: { signal?: AbortSignal; only?: string } = {}): Promise<DeliverySummary> {
    const { store, mailer, logger, holder, config } = this.options;
    return deliverQueued(
      { store, mailer, logger, holder, leaseMs: config.worker.leaseSeconds * 1000, signal: options.signal },
      options.only,
    );
  }
}
