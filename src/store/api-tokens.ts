import type { Kysely, Selectable } from "kysely";
import type { ApiTokensTable, Database, TokenScope } from "./schema.ts";
import { rowToUser, type User } from "./users.ts";

export interface ApiToken {
  id: number;
  name: string;
  scope: TokenScope;
  /** The token's first characters, to tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const tokenColumns = ["id", "name", "scope", "prefix", "created_at", "last_used_at"] as const;

function rowToToken(row: Pick<Selectable<ApiTokensTable>, (typeof tokenColumns)[number]>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

// Recording every use would make each API read a write; the last use to the minute is enough.
const LAST_USED_PRECISION_MS = 60_000;

/** Personal API tokens: named, scoped, revocable, stored as hashes. */
export class ApiTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: {
    userId: number;
    name: string;
    scope: TokenScope;
    tokenHash: string;
    prefix: string;
    now: string;
  }): Promise<ApiToken> {
    const row = await this.db
      .insertInto("api_tokens")
      .values({
        user_id: token.userId,
        name: token.name,
        scope: token.scope,
        token_hash: token.tokenHash,
        prefix: token.prefix,
        created_at: token.now,
        last_used_at: null,
        revoked_at: null,
      })
      .returning(tokenColumns)
      .executeTakeFirstOrThrow();
    return rowToToken(row);
  }

  /** A user's tokens that still work, newest first. */
  async list(userId: number): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom("api_tokens")
      .select(tokenColumns)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .orderBy("id", "desc")
      .execute();
    return rows.map(rowToToken);
  }

  /** Revokes one of the user's tokens; false when the user has no such working token. */
  async revoke(userId: number, id: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("api_tokens")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The working token with this hash and its live account, noting the use. */
  async authenticate(tokenHash: string, now: string): Promise<{ token: ApiToken; user: User } | null> {
    const row = await this.db
      .selectFrom("api_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .selectAll("u")
      .select([
        "t.id as token_id",
        "t.name as token_name",
        "t.scope",
        "t.prefix",
        "t.created_at as token_created_at",
        "t.last_used_at",
      ])
      .where("t.token_hash", "=", tokenHash)
      .where("t.revoked_at", "is", null)
      .where("u.deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return null;
    const { token_id, token_name, scope, prefix, token_created_at, last_used_at, ...user } = row;
    if (!last_used_at || Date.parse(now) - Date.parse(last_used_at) >= LAST_USED_PRECISION_MS) {
      await this.db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", token_id).execute();
    }
    return {
      token: { id: token_id, name: token_name, scope, prefix, createdAt: token_created_at, lastUsedAt: now },
      user: rowToUser(user),
    };
  }
}
