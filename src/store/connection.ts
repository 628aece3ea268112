import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import pg from "pg";
import * as sqliteVec from "sqlite-vec";
import { type DatabaseTarget, redact } from "../config/index.ts";
import type { Database } from "./schema.ts";

export type DatabaseKind = DatabaseTarget["kind"];

// COUNT(*) and other bigint results would otherwise arrive as strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Transactions that take SQLite's write lock when they begin (BEGIN IMMEDIATE). A transaction that
 * reads and then writes, begun DEFERRED, fails at once with SQLITE_BUSY when another process (a
 * second server, a worker, an ingest) wrote meanwhile; begun IMMEDIATE it waits its turn
 * (busy_timeout) and then reads what is current.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class SqliteWriterDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver(this.settings);
  }
}

export interface Connection {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The raw SQLite handle, for online backup; null on PostgreSQL. */
  sqlite: SqliteDatabase.Database | null;
  /** PostgreSQL's connection pool, for its use in metrics; null on SQLite. */
  pool: pg.Pool | null;
  /** Human-readable name of the database in use, password hidden. */
  description: string;
}

export function connect(target: DatabaseTarget): Connection {
  if (target.kind === "sqlite") {
    if (target.path !== ":memory:") fs.mkdirSync(path.dirname(target.path), { recursive: true });
    const sqlite = new SqliteDatabase(target.path);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("cache_size = -65536");
    sqliteVec.load(sqlite);
    return {
      db: new Kysely<Database>({ dialect: new SqliteWriterDialect({ database: sqlite }) }),
      kind: "sqlite",
      sqlite,
      pool: null,
      description: `sqlite:${target.path}`,
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    kind: "postgres",
    sqlite: null,
    pool,
    description: redact(target.url),
  };
}
