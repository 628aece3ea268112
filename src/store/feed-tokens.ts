import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";
import { rowToUser, type User } from "./users.ts";

/** The secrets in the addresses of accounts' private feeds (My feed): one an account at most. */
export class FeedTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account's feed secret, or null when it has none. */
  async of(userId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom("feed_tokens")
      .select("token")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row?.token ?? null;
  }

  /** Gives the account a new secret; the one it had stops opening anything. */
  async replace(userId: number, token: string, now: string): Promise<void> {
    await this.db
      .insertInto("feed_tokens")
      .values({ user_id: userId, token, created_at: now })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ token, created_at: now }))
      .execute();
  }

  async remove(userId: number): Promise<void> {
    await this.db.deleteFrom("feed_tokens").where("user_id", "=", userId).execute();
  }

  /** The live account whose feed this secret opens; null for any other string, or a deleted or banned account. */
  async owner(token: string): Promise<User | null> {
    const row = await this.db
      .selectFrom("feed_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .selectAll("u")
      .where("t.token", "=", token)
      .where("u.deleted_at", "is", null)
      .where("u.banned_at", "is", null)
      .executeTakeFirst();
    return row ? rowToUser(row) : null;
  }
}
