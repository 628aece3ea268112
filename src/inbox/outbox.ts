import type { Logger } from "pino";
import { MailError, type Mailer } from "../mail/index.ts";
import type { OutboxMail, Store } from "../store/index.ts";

/** Waits before each retry of a mail the server did not take for now; after the last, it is given up. */
export const RETRY_MINUTES = [1, 5, 30, 120, 360];
export const MAX_ATTEMPTS = RETRY_MINUTES.length + 1;

export interface DeliveryOptions {
  store: Store;
  mailer: Mailer;
  logger: Logger;
  /** This process's id in claims. */
  holder: string;
  /** How long a claim holds: past it, a mail whose worker died is sent by another. */
  leaseMs: number;
  /** Stops after the mail being sent. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
}

export function describeDelivery(s: DeliverySummary): string {
  return `sent ${s.sent}, retrying ${s.retrying}, failed ${s.failed}, suppressed ${s.suppressed}`;
}

/** A refusal that names the recipient (RCPT TO answered 5xx): the address bounces, so no more mail goes there. */
function refusedRecipient(error: MailError): boolean {
  const cause = error.cause as { code?: string; command?: string } | undefined;
  return !error.temporary && (cause?.code === "EENVELOPE" || cause?.command === "RCPT TO");
}

async function deliverOne(mail: OutboxMail, options: DeliveryOptions, summary: DeliverySummary): Promise<void> {
  const { store, holder, logger } = options;
  const now = options.now ?? (() => new Date());
  if (await store.outbox.isSuppressed(mail.recipient)) {
    await store.outbox.markUndeliverable(
      mail.id,
      holder,
      "suppressed",
      "the address is suppressed (refused, or a banned account's)",
    );
    summary.suppressed += 1;
    return;
  }
  // A slow mail server must not let the claim lapse while this sender waits for it: that would let
  // another sender take the mail and send it too. Only a sender that died stops renewing.
  const renewal = setInterval(() => {
    store.outbox
      .renewClaim(mail.id, holder, new Date(now().getTime() + options.leaseMs))
      .catch((error: unknown) => logger.warn({ err: error }, "could not renew the claim on a mail being sent"));
  }, options.leaseMs / 3);
  try {
    await options.mailer.send({
      to: mail.recipient,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      headers: mail.headers,
      messageId: mail.messageId,
    });
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    if (refusedRecipient(error)) {
      await store.outbox.suppress(mail.recipient, "bounce", error.message, now());
      await store.outbox.markUndeliverable(mail.id, holder, "failed", error.message);
      logger.warn({ err: error, to: mail.recipient }, "the mail server refused the address; no more mail goes to it");
      summary.failed += 1;
    } else if (error.temporary && mail.attempts < MAX_ATTEMPTS) {
      const minutes = RETRY_MINUTES[mail.attempts - 1] ?? RETRY_MINUTES.at(-1) ?? 60;
      await store.outbox.markRetry(mail.id, holder, error.message, new Date(now().getTime() + minutes * 60_000));
      logger.warn(
        { err: error, to: mail.recipient, attempt: mail.attempts, retryInMinutes: minutes },
        "mail not sent; will retry",
      );
      summary.retrying += 1;
    } else {
      await store.outbox.markUndeliverable(mail.id, holder, "failed", error.message);
      logger.error({ err: error, to: mail.recipient, attempts: mail.attempts }, "mail given up on");
      summary.failed += 1;
    }
    return;
  } finally {
    clearInterval(renewal);
  }
  await store.outbox.markSent(mail.id, holder, now());
  summary.sent += 1;
}

/**
 * Sends queued mail that is due, one at a time: claim, send, mark. Marking follows each send at
 * once, so a worker killed mid-run leaves at most the mail it was sending unmarked; that mail's
 * claim expires and another worker sends it (with the same Message-ID). Concurrent deliverers
 * never claim the same mail. `only` sends just that mail, if it is due and unclaimed.
 */
export async function deliverQueued(options: DeliveryOptions, only?: string): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0, suppressed: 0 };
  const now = options.now ?? (() => new Date());
  for (;;) {
    if (options.signal?.aborted) break;
    const at = now();
    const mail = await options.store.outbox.claim(options.holder, at, new Date(at.getTime() + options.leaseMs), only);
    if (!mail) break;
    await deliverOne(mail, options, summary);
    if (only) break;
  }
  return summary;
}
