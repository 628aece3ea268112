import type { ExpressionBuilder, Kysely, Selectable } from "kysely";
import type { Database, OutboxStatus, OutboxTable } from "./schema.ts";
import { emailKey, unmailableKeys } from "./subscribers.ts";

export type { OutboxStatus } from "./schema.ts";

/** A rendered mail to queue; `dedupeKey` names what it is, so queueing the same mail twice keeps one. */
export interface QueuedMail {
  id: string;
  dedupeKey: string;
  kind: "confirmation" | "digest";
  subscriberId: string | null;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  messageId: string;
}

export interface OutboxMail extends QueuedMail {
  attempts: number;
}

export interface OutboxFailure {
  id: string;
  recipient: string;
  subject: string;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** How much mail waits: what the worker has to do, for `digest status` and metrics. */
export interface OutboxDepths {
  /** Queued and due now. */
  due: number;
  /** Queued for a later retry. */
  waiting: number;
  /** Being sent by a worker right now. */
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  cancelled: number;
}

const toMail = (row: Selectable<OutboxTable>): OutboxMail => ({
  id: row.id,
  dedupeKey: row.dedupe_key,
  kind: row.kind === "digest" ? "digest" : "confirmation",
  subscriberId: row.subscriber_id,
  recipient: row.recipient,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  headers: JSON.parse(row.headers) as Record<string, string>,
  messageId: row.message_id,
  attempts: row.attempts,
});

/** Claims looked at per query: a few, so that concurrent workers mostly find different ones. */
const CANDIDATES = 8;

/**
 * The mail queue. A mail is queued once under its dedupe key, claimed by one worker at a time
 * with a conditional UPDATE (a claim whose worker died expires), and marked sent by the worker
 * holding the claim; that worker's marks are the only ones that count.
 */
export class OutboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Queues mails; those whose dedupe key is queued already are left out. Returns how many were new. */
  async enqueue(mails: QueuedMail[], now: Date): Promise<number> {
    let added = 0;
    for (const mail of mails) {
      const result = await this.db
        .insertInto("outbox")
        .values({
          id: mail.id,
          dedupe_key: mail.dedupeKey,
          kind: mail.kind,
          subscriber_id: mail.subscriberId,
          recipient: mail.recipient,
          subject: mail.subject,
          text_body: mail.text,
          html_body: mail.html,
          headers: JSON.stringify(mail.headers),
          message_id: mail.messageId,
          status: "queued",
          next_attempt_at: now.toISOString(),
          created_at: now.toISOString(),
        })
        .onConflict((oc) => oc.column("dedupe_key").doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added;
  }

  /** Claims one due mail (or the mail `id`, when given and due) for `holder` until `until`; null when none is free. */
  async claim(holder: string, now: Date, until: Date, id?: string): Promise<OutboxMail | null> {
    const free = (eb: ExpressionBuilder<Database, "outbox">) =>
      eb.or([eb("claim_expires_at", "is", null), eb("claim_expires_at", "<=", now.toISOString())]);
    let candidates = this.due(now).where(free).select("id").orderBy("next_attempt_at").limit(CANDIDATES);
    if (id) candidates = candidates.where("id", "=", id);
    for (const { id: candidate } of await candidates.execute()) {
      const result = await this.db
        .updateTable("outbox")
        .set((eb) => ({
          claimed_by: holder,
          claim_expires_at: until.toISOString(),
          attempts: eb("attempts", "+", 1),
        }))
        .where("id", "=", candidate)
        .where("status", "=", "queued")
        .where(free)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        const row = await this.db.selectFrom("outbox").selectAll().where("id", "=", candidate).executeTakeFirst();
        if (row) return toMail(row);
      }
    }
    return null;
  }

  /** Extends `holder`'s claim on a mail it is still sending; false when the claim is no longer its own. */
  async renewClaim(id: string, holder: string, until: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("outbox")
      .set({ claim_expires_at: until.toISOString() })
      .where("id", "=", id)
      .where("claimed_by", "=", holder)
      .where("status", "=", "queued")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markSent(id: string, holder: string, now: Date): Promise<void> {
    await this.settle(id, holder, { status: "sent", sent_at: now.toISOString(), last_error: null });
  }

  /** Back in the queue until `retryAt`, remembering why it failed. */
  async markRetry(id: string, holder: string, error: string, retryAt: Date): Promise<void> {
    await this.settle(id, holder, { status: "queued", next_attempt_at: retryAt.toISOString(), last_error: error });
  }

  /** Given up on: failed (SMTP refused it for good, or too many tries) or suppressed (the address is). */
  async markUndeliverable(id: string, holder: string, status: "failed" | "suppressed", error: string): Promise<void> {
    await this.settle(id, holder, { status, last_error: error });
  }

  async suppress(email: string, reason: string, detail: string | null, now: Date): Promise<void> {
    await this.db
      .insertInto("mail_suppressions")
      .values({ email_key: emailKey(email), reason, detail, created_at: now.toISOString() })
      .onConflict((oc) => oc.column("email_key").doUpdateSet({ reason, detail }))
      .execute();
  }

  /** Whether no mail may go to the address: refused for good, or a banned account's (see unmailableKeys). */
  async isSuppressed(email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom(unmailableKeys(this.db).as("u"))
      .select("u.email_key")
      .where("u.email_key", "=", emailKey(email))
      .executeTakeFirst();
    return row !== undefined;
  }

  async suppressions(): Promise<number> {
    const { n } = await this.db
      .selectFrom("mail_suppressions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Counts by state in one grouped query: cheap enough for every metrics scrape. */
  async depths(now: Date = new Date()): Promise<OutboxDepths> {
    const at = now.toISOString();
    const rows = await this.db
      .selectFrom("outbox")
      .select((eb) => [
        "status",
        eb
          .case()
          .when("status", "!=", "queued")
          .then("settled")
          .when(eb.and([eb("claim_expires_at", "is not", null), eb("claim_expires_at", ">", at)]))
          .then("sending")
          .when("next_attempt_at", "<=", at)
          .then("due")
          .else("waiting")
          .end()
          .as("state"),
        eb.fn.countAll<number>().as("n"),
      ])
      .groupBy(["status", "state"])
      .execute();
    const depths: OutboxDepths = { due: 0, waiting: 0, sending: 0, sent: 0, failed: 0, suppressed: 0, cancelled: 0 };
    for (const { status, state, n } of rows) {
      const key = status === "queued" ? state : status;
      if (key in depths) depths[key as keyof OutboxDepths] += Number(n);
    }
    return depths;
  }

  /** The latest mails given up on, and those still retrying, newest first: for admins. */
  async failures(limit: number): Promise<OutboxFailure[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .select(["id", "recipient", "subject", "kind", "status", "attempts", "last_error", "created_at"])
      .where((eb) =>
        eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "queued"), eb("last_error", "is not", null)])]),
      )
      .orderBy("created_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      subject: r.subject,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
    }));
  }

  /**
   * Puts a mail given up on, or one waiting for its next try, back in the queue, due now and with
   * its tries counted afresh; the same Message-ID goes out. False when it is neither (sent, or being
   * sent right now by a worker, whose claim still holds).
   */
  async retry(id: string, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable("outbox")
      .set({ status: "queued", attempts: 0, next_attempt_at: at, last_error: null })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([
          eb("status", "=", "failed"),
          eb.and([
            eb("status", "=", "queued"),
            eb.or([eb("claim_expires_at", "is", null), eb("claim_expires_at", "<=", at)]),
          ]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A mail as queued, by its dedupe key (tests and previews look mails up this way). */
  async byDedupeKey(
    dedupeKey: string,
  ): Promise<(OutboxMail & { status: OutboxStatus; nextAttemptAt: string; lastError: string | null }) | null> {
    const row = await this.db.selectFrom("outbox").selectAll().where("dedupe_key", "=", dedupeKey).executeTakeFirst();
    return row
      ? { ...toMail(row), status: row.status, nextAttemptAt: row.next_attempt_at, lastError: row.last_error }
      : null;
  }

  private due(now: Date) {
    return this.db
      .selectFrom("outbox")
      .where("status", "=", "queued")
      .where("next_attempt_at", "<=", now.toISOString());
  }

  /** Applies the outcome of a send, if `holder` still holds the claim; frees the claim. */
  private async settle(
    id: string,
    holder: string,
    changes: { status: OutboxStatus; sent_at?: string; next_attempt_at?: string; last_error: string | null },
  ): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ ...changes, claimed_by: null, claim_expires_at: null })
      .where("id", "=", id)
      .where("claimed_by", "=", holder)
      .execute();
  }
}
