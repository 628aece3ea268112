import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import { type MailSettings, redact } from "../config/index.ts";

/** One mail to one recipient. */
export interface OutgoingMail {
  to: string;
  subject: string;
  /** The plain-text body; every mail has one. */
  text: string;
  /** An HTML alternative to `text`, for a multipart mail. */
  html?: string;
  /** Extra header fields, such as List-Unsubscribe. */
  headers?: Record<string, string>;
  /** A Message-ID chosen beforehand (angle brackets included), so that a mail sent again is recognisably the same one. */
  messageId?: string;
}

export interface SentMail {
  /** The Message-ID header, angle brackets included. */
  messageId: string;
}

export interface Mailer {
  /** Where mail goes, for logs and start-up messages (no password). */
  readonly description: string;
  /** Hands the mail to the SMTP server (or writes it to the outbox); throws MailError when that fails. */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): Promise<void>;
}

/**
 * A mail that could not be handed over. `temporary` says whether trying again later may work (the
 * server is down or busy) or not (it refused the recipient or the message for good, a 5xx reply).
 */
export class MailError extends Error {
  override name = "MailError";
  constructor(
    message: string,
    readonly temporary: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

// A mail server that does not answer should fail a send in seconds, not nodemailer's minutes.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** The mailer the settings ask for: SMTP when PAPERBOY_SMTP_URL is set, otherwise the outbox directory. */
export function createMailer(settings: MailSettings, logger: Logger): Mailer {
  return settings.smtpUrl
    ? new SmtpMailer(settings.smtpUrl, settings.from, logger)
    : new OutboxMailer(settings.outboxDir, settings.from, logger);
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

function message(mail: OutgoingMail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    headers: mail.headers ?? {},
    messageId: mail.messageId ?? `<${randomUUID()}@${domainOf(from)}>`,
    date: new Date(),
  };
}

class SmtpMailer implements Mailer {
  readonly description: string;
  private readonly transport: Transport;

  constructor(
    url: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.description = redact(url);
    this.transport = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const prepared = message(mail, this.from);
    try {
      await this.transport.sendMail(prepared);
    } catch (error) {
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      const permanent = typeof responseCode === "number" && responseCode >= 500 && code !== "EAUTH";
      const reason = error instanceof Error ? error.message : String(error);
      throw new MailError(`mail server ${this.description} did not take the mail: ${reason}`, !permanent, {
        cause: error,
      });
    }
    this.logger.info({ to: mail.to, subject: mail.subject, messageId: prepared.messageId }, "mail sent");
    return { messageId: prepared.messageId };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Writes each mail as a complete .eml file, so a site without a mail server still shows what it would send. */
class OutboxMailer implements Mailer {
  readonly description: string;
  private readonly transport: Transport;

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.description = `outbox ${dir}`;
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const prepared = message(mail, this.from);
    const file = path.join(this.dir, `${prepared.date.toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`);
    try {
      const { message: raw } = await this.transport.sendMail(prepared);
      await fs.mkdir(this.dir, { recursive: true });
      // Written aside and renamed, so whoever watches the directory never reads half a mail.
      await fs.writeFile(`${file}.part`, raw);
      await fs.rename(`${file}.part`, file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MailError(`could not write the mail to ${this.dir}: ${reason}`, true, { cause: error });
    }
    this.logger.info(
      { to: mail.to, subject: mail.subject, messageId: prepared.messageId, file },
      "mail written to the outbox (PAPERBOY_SMTP_URL is not set)",
    );
    return { messageId: prepared.messageId };
  }

  async close(): Promise<void> {}
}
