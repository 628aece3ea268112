import type { Kysely } from "kysely";
import type { Database, EmailTokenPurpose } from "./schema.ts";

/** Single-use links mailed to users: verify an address, reset a password, move to a new address. */
export class EmailTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: {
    tokenHash: string;
    userId: number;
    purpose: EmailTokenPurpose;
    email: string;
    now: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto("email_tokens")
      .values({
        token_hash: token.tokenHash,
        user_id: token.userId,
        purpose: token.purpose,
        email: token.email,
        created_at: token.now,
        expires_at: token.expiresAt,
        used_at: null,
      })
      .execute();
  }

  /** Whose the link is, if it still works, without using it up (the reset form is shown before it is sent). */
  async peek(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: string,
  ): Promise<{ userId: number; email: string } | null> {
    const row = await this.db
      .selectFrom("email_tokens")
      .select(["user_id", "email"])
      .where("token_hash", "=", tokenHash)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row ? { userId: row.user_id, email: row.email } : null;
  }

  /** Uses the link up; of two requests racing with one link, exactly one gets its user. */
  async consume(
    tokenHash: string,
    purpose: EmailTokenPurpose,
    now: string,
  ): Promise<{ userId: number; email: string } | null> {
    const row = await this.db
      .updateTable("email_tokens")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["user_id", "email"])
      .executeTakeFirst();
    return row ? { userId: row.user_id, email: row.email } : null;
  }

  /** Uses up a user's other open links of one kind, e.g. older reset links once one worked. */
  async revokeAll(userId: number, purpose: EmailTokenPurpose, now: string): Promise<void> {
    await this.db
      .updateTable("email_tokens")
      .set({ used_at: now })
      .where("user_id", "=", userId)
      .where("purpose", "=", purpose)
      .where("used_at", "is", null)
      .execute();
  }

  /** Forgets links that can no longer be used. */
  async deleteExpired(now: string): Promise<void> {
    await this.db
      .deleteFrom("email_tokens")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
      .execute();
  }
}
