import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";
import { rowToUser, type User } from "./users.ts";

export interface Session {
  idHash: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** Sessions live in the database, so any web instance serves any signed-in user. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: Session & { userId: number }): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /** The unexpired session with this hash and its live account. */
  async find(idHash: string, now: string): Promise<{ session: Session; user: User } | null> {
    const row = await this.db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .selectAll("u")
      .select(["s.id_hash", "s.csrf_token", "s.created_at as session_created_at", "s.last_seen_at", "s.expires_at"])
      .where("s.id_hash", "=", idHash)
      .where("s.expires_at", ">", now)
      .where("u.deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return null;
    const { id_hash, csrf_token, session_created_at, last_seen_at, expires_at, ...user } = row;
    return {
      session: {
        idHash: id_hash,
        csrfToken: csrf_token,
        createdAt: session_created_at,
        lastSeenAt: last_seen_at,
        expiresAt: expires_at,
      },
      user: rowToUser(user),
    };
  }

  async extend(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where("id_hash", "=", idHash)
      .execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
  }

  /** Ends every session of a user but, optionally, one (the one changing the password keeps going). */
  async deleteForUser(userId: number, except?: string): Promise<void> {
    let query = this.db.deleteFrom("sessions").where("user_id", "=", userId);
    if (except) query = query.where("id_hash", "!=", except);
    await query.execute();
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
