import type { Kysely, Selectable, Transaction } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { lockPapers, recountPaper } from "./paper-counts.ts";
import type { Database, Role, UsersTable } from "./schema.ts";

/** An account as the rest of Paperboy sees it; the password hash stays in the store. */
export interface User {
  id: number;
  username: string;
  displayName: string | null;
  email: string | null;
  emailVerified: boolean;
  role: Role;
  createdAt: string;
  deleted: boolean;
  /** A moderator banned the account: it can neither sign in nor act. */
  banned: boolean;
}

export interface NewUser {
  username: string;
  displayName?: string | null;
  email: string;
  passwordHash: string;
  role?: Role;
  /** Accounts an administrator creates need no mailed link. */
  verified?: boolean;
  now: string;
}

/** Unique keys compare lower-cased, the same way on both databases (SQLite's lower() is ASCII only). */
export const userKey = (text: string) => text.trim().toLowerCase();

/** The addresses of banned accounts, as keys: the site mails them nothing while the ban lasts. */
export function bannedAddressKeys(db: Kysely<Database>) {
  return db
    .selectFrom("users")
    .select("email_key")
    .where("banned_at", "is not", null)
    .where("email_key", "is not", null)
    .$narrowType<{ email_key: string }>();
}

/** Whether an error is a unique-constraint violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

type UserRow = Selectable<UsersTable>;

export function rowToUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    role: row.role,
    createdAt: row.created_at,
    deleted: row.deleted_at !== null,
    banned: row.banned_at !== null,
  };
}

/**
 * Reads a live account inside a transaction that acts for it, holding the row until commit:
 * "share" for acts by the user (votes, comments), which may run side by side; "update" for
 * changes to the account itself (deletion, a submission counted against its daily limit), which
 * wait for those. Users are locked before papers, everywhere. Null when the account is deleted
 * or banned: neither may act.
 */
export async function lockUser(
  trx: Transaction<Database>,
  kind: DatabaseKind,
  id: number,
  mode: "share" | "update",
): Promise<User | null> {
  const read = trx.selectFrom("users").selectAll().where("id", "=", id);
  const locked = kind === "sqlite" ? read : mode === "share" ? read.forShare() : read.forUpdate();
  const row = await locked.executeTakeFirst();
  return row && row.deleted_at === null && row.banned_at === null ? rowToUser(row) : null;
}

/** Locks a live account for a change moderators make to it (a ban, a role), banned or not. */
export async function lockAccount(trx: Transaction<Database>, kind: DatabaseKind, id: number): Promise<User | null> {
  const read = trx.selectFrom("users").selectAll().where("id", "=", id);
  const row = await (kind === "sqlite" ? read : read.forUpdate()).executeTakeFirst();
  return row && row.deleted_at === null ? rowToUser(row) : null;
}

export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /** The new account, or which unique field someone already has. */
  async create(user: NewUser): Promise<User | "username-taken" | "email-taken"> {
    try {
      const row = await this.db
        .insertInto("users")
        .values({
          username: user.username,
          username_key: userKey(user.username),
          display_name: user.displayName ?? null,
          email: user.email,
          email_key: userKey(user.email),
          email_verified_at: user.verified ? user.now : null,
          password_hash: user.passwordHash,
          role: user.role ?? "user",
          created_at: user.now,
          deleted_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToUser(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.byUsername(user.username)) ? "username-taken" : "email-taken";
    }
  }

  async byId(id: number): Promise<User | null> {
    const row = await this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? rowToUser(row) : null;
  }

  async byUsername(username: string): Promise<User | null> {
    const row = await this.db
      .selectFrom("users")
      .selectAll()
      .where("username_key", "=", userKey(username))
      .executeTakeFirst();
    return row ? rowToUser(row) : null;
  }

  async byEmail(email: string): Promise<User | null> {
    const row = await this.db
      .selectFrom("users")
      .selectAll()
      .where("email_key", "=", userKey(email))
      .executeTakeFirst();
    return row ? rowToUser(row) : null;
  }

  /** The live account a username or e-mail address names, with its password hash, for logging in. */
  async credentials(login: string): Promise<{ user: User; passwordHash: string } | null> {
    const key = userKey(login);
    const row = await this.db
      .selectFrom("users")
      .selectAll()
      .where((eb) => eb.or([eb("username_key", "=", key), eb("email_key", "=", key)]))
      .where("deleted_at", "is", null)
      .orderBy("id")
      .executeTakeFirst();
    return row?.password_hash ? { user: rowToUser(row), passwordHash: row.password_hash } : null;
  }

  async passwordHash(id: number): Promise<string | null> {
    const row = await this.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row?.password_hash ?? null;
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable("users")
      .set({ password_hash: passwordHash })
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .execute();
  }

  async setDisplayName(id: number, displayName: string | null): Promise<void> {
    await this.db.updateTable("users").set({ display_name: displayName }).where("id", "=", id).execute();
  }

  async setRole(id: number, role: Role): Promise<void> {
    await this.db.updateTable("users").set({ role }).where("id", "=", id).execute();
  }

  /** Marks the address verified if it is still the account's; false when it is not. */
  async markVerified(id: number, email: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("users")
      .set((eb) => ({ email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)) }))
      .where("id", "=", id)
      .where("email_key", "=", userKey(email))
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Moves the account to a verified new address; false when another account has it. */
  async changeEmail(id: number, email: string, now: string): Promise<boolean> {
    try {
      const result = await this.db
        .updateTable("users")
        .set({ email, email_key: userKey(email), email_verified_at: now })
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async count(): Promise<number> {
    const { n } = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /**
   * Deletes an account in one transaction: its votes go (and the papers' counts with them), its
   * comments read "[deleted]" and keep their replies, its submissions stay on the feed without a
   * name, its sessions, tokens and links stop working. The row stays, without e-mail or password,
   * so nobody else can take the name.
   */
  async delete(id: number, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await lockUser(trx, this.kind, id, "update"))) return;
      const voted = await trx.selectFrom("votes").select("paper_id").where("user_id", "=", id).execute();
      const commented = await trx
        .selectFrom("comments")
        .select("paper_id")
        .where("user_id", "=", id)
        .where("deleted_at", "is", null)
        .execute();
      const papers = await lockPapers(
        trx,
        this.kind,
        [...voted, ...commented].map((r) => r.paper_id),
      );
      await trx.deleteFrom("votes").where("user_id", "=", id).execute();
      await trx
        .updateTable("comments")
        .set({ body: "", deleted_at: now })
        .where("user_id", "=", id)
        .where("deleted_at", "is", null)
        .execute();
      for (const paper of papers.values()) await recountPaper(trx, paper);
      await trx.updateTable("feed_entries").set({ submitted_by: null }).where("submitter_id", "=", id).execute();
      await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      await trx.deleteFrom("email_tokens").where("user_id", "=", id).execute();
      await trx.updateTable("api_tokens").set({ revoked_at: now }).where("user_id", "=", id).execute();
      await trx.deleteFrom("comment_reports").where("user_id", "=", id).execute();
      await trx
        .updateTable("users")
        .set({
          email: null,
          email_key: null,
          password_hash: null,
          display_name: null,
          deleted_at: now,
        })
        .where("id", "=", id)
        .execute();
    });
  }
}
