import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, DigestPeriodKind, SubscriberStatus, SubscribersTable } from "./schema.ts";
import { bannedAddressKeys } from "./users.ts";

export type { DigestPeriodKind, SubscriberStatus } from "./schema.ts";

export interface Subscriber {
  id: string;
  email: string;
  period: DigestPeriodKind;
  status: SubscriberStatus;
  createdAt: string;
  confirmationSentAt: string | null;
  confirmedAt: string | null;
  /** The account whose verified address this is: its digest has a personal part. */
  accountId: number | null;
}

export interface SubscriberCount {
  status: SubscriberStatus;
  period: DigestPeriodKind;
  subscribers: number;
}

const toSubscriber = (row: Selectable<SubscribersTable> & { account_id: number | null }): Subscriber => ({
  id: row.id,
  email: row.email,
  period: row.period,
  status: row.status,
  createdAt: row.created_at,
  confirmationSentAt: row.confirmation_sent_at,
  confirmedAt: row.confirmed_at,
  accountId: row.account_id === null ? null : Number(row.account_id),
});

/** One subscription per address, whatever its case. */
export const emailKey = (email: string) => email.trim().toLowerCase();

/**
 * The addresses no mail of the outbox goes to, as keys: those whose server refused mail for good
 * (mail_suppressions), and banned accounts' while the ban lasts.
 */
export function unmailableKeys(db: Kysely<Database>) {
  return db.selectFrom("mail_suppressions").select("email_key").union(bannedAddressKeys(db));
}

/** Digest subscribers. Each state change is one conditional UPDATE, so concurrent requests cannot undo each other. */
export class SubscriberRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Subscriptions with the account whose verified address each one is (users.email_key is lower-cased alike). */
  private withAccounts() {
    return this.db
      .selectFrom("subscribers as s")
      .leftJoin("users as u", (join) =>
        join.onRef("u.email_key", "=", "s.email_key").on("u.email_verified_at", "is not", null),
      )
      .selectAll("s")
      .select("u.id as account_id");
  }

  async get(id: string): Promise<Subscriber | null> {
    const row = await this.withAccounts().where("s.id", "=", id).executeTakeFirst();
    return row ? toSubscriber(row) : null;
  }

  async findByEmail(email: string): Promise<Subscriber | null> {
    const row = await this.withAccounts().where("s.email_key", "=", emailKey(email)).executeTakeFirst();
    return row ? toSubscriber(row) : null;
  }

  /** A pending subscription for the address, unless it has one. */
  private async insertIfAbsent(email: string, period: DigestPeriodKind, now: Date): Promise<void> {
    await this.db
      .insertInto("subscribers")
      .values({
        id: randomBytes(16).toString("base64url"),
        email: email.trim(),
        email_key: emailKey(email),
        period,
        status: "pending",
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column("email_key").doNothing())
      .execute();
  }

  private async existing(email: string): Promise<Subscriber> {
    return (await this.findByEmail(email)) ?? Promise.reject(new Error(`subscriber ${email} vanished`));
  }

  /**
   * The subscription for an address, created pending when there is none. An unsubscribed one
   * becomes pending again and a pending one takes the period asked for; an active one is left
   * as it is (anyone may type an address, so this must not change what its owner chose).
   */
  async request(email: string, period: DigestPeriodKind, now: Date): Promise<Subscriber> {
    await this.insertIfAbsent(email, period, now);
    await this.db
      .updateTable("subscribers")
      .set({ status: "pending", period, email: email.trim() })
      .where("email_key", "=", emailKey(email))
      .where("status", "!=", "active")
      .execute();
    return this.existing(email);
  }

  /**
   * The address's subscription made active with `period` at once, for an owner who proved the
   * address already (a verified account's, from its settings): created, restarted or switched.
   */
  async activate(email: string, period: DigestPeriodKind, now: Date): Promise<Subscriber> {
    await this.insertIfAbsent(email, period, now);
    await this.db
      .updateTable("subscribers")
      .set((eb) => ({
        status: "active",
        period,
        confirmed_at: eb
          .case()
          .when("status", "=", "active")
          .then(eb.ref("confirmed_at"))
          .else(now.toISOString())
          .end(),
      }))
      .where("email_key", "=", emailKey(email))
      .execute();
    return this.existing(email);
  }

  /**
   * Records that a confirmation mail goes out now, unless one went out after `notBefore`: true
   * when the caller should send it. Of concurrent callers exactly one gets true.
   */
  async claimConfirmation(id: string, now: Date, notBefore: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("subscribers")
      .set({ confirmation_sent_at: now.toISOString() })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .where((eb) =>
        eb.or([eb("confirmation_sent_at", "is", null), eb("confirmation_sent_at", "<", notBefore.toISOString())]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Pending becomes active; an active subscription stays so. False when it was unsubscribed meanwhile or is unknown. */
  async confirm(id: string, now: Date): Promise<boolean> {
    await this.db
      .updateTable("subscribers")
      .set({ status: "active", confirmed_at: now.toISOString() })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .execute();
    return (await this.get(id))?.status === "active";
  }

  /** Ends the subscription and cancels its mail not sent yet, in one transaction. False for an unknown id. */
  async unsubscribe(id: string, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("subscribers")
        .set({ status: "unsubscribed", unsubscribed_at: now.toISOString() })
        .where("id", "=", id)
        .executeTakeFirst();
      await trx
        .updateTable("outbox")
        .set({ status: "cancelled" })
        .where("subscriber_id", "=", id)
        .where("status", "=", "queued")
        .execute();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  /** Daily or weekly, for an active subscription; false otherwise. */
  async setPeriod(id: string, period: DigestPeriodKind): Promise<boolean> {
    const result = await this.db
      .updateTable("subscribers")
      .set({ period })
      .where("id", "=", id)
      .where("status", "=", "active")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Active subscribers of a period whose address gets mail (see unmailableKeys), by id after
   * `afterId`, a page at a time.
   */
  async activePage(period: DigestPeriodKind, afterId: string, limit: number): Promise<Subscriber[]> {
    const rows = await this.withAccounts()
      .where("s.status", "=", "active")
      .where("s.period", "=", period)
      .where("s.id", ">", afterId)
      .where("s.email_key", "not in", unmailableKeys(this.db))
      .orderBy("s.id")
      .limit(limit)
      .execute();
    return rows.map(toSubscriber);
  }

  async counts(): Promise<SubscriberCount[]> {
    const rows = await this.db
      .selectFrom("subscribers")
      .select((eb) => ["status", "period", eb.fn.countAll<number>().as("subscribers")])
      .groupBy(["status", "period"])
      .orderBy("status")
      .orderBy("period")
      .execute();
    return rows.map((r) => ({ status: r.status, period: r.period, subscribers: Number(r.subscribers) }));
  }
}
