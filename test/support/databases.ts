import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type DatabaseTarget, parseDatabaseUrl } from "../../src/config/index.ts";
import { Store } from "../../src/store/index.ts";

/**
 * A fresh, empty database of one kind for one test: a temporary SQLite file, or a private
 * schema in the PostgreSQL database named by DATABASE_URL.
 */
export interface TestDatabase {
  kind: "sqlite" | "postgres";
  /** DATABASE_URL that points at this database, for child processes. */
  url: string;
  target: DatabaseTarget;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface DatabaseKindUnderTest {
  kind: "sqlite" | "postgres";
  /** Why this kind cannot run here; undefined when it can. */
  skip?: string;
  create(): Promise<TestDatabase>;
}

const postgresUrl = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;

if (process.env.CI && !postgresUrl) {
  throw new Error("CI is set but DATABASE_URL does not name a PostgreSQL database: storage tests must run on both");
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-test-"));
  const file = path.join(dir, "paperboy.db");
  const url = `sqlite:${file}`;
  return {
    kind: "sqlite",
    url,
    target: parseDatabaseUrl(url),
    open: () => Store.open(parseDatabaseUrl(url)),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgres(): Promise<TestDatabase> {
  if (!postgresUrl) throw new Error("DATABASE_URL is not a postgres:// URL");
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const base = new URL(postgresUrl);
  base.searchParams.set("options", `-c search_path=${schema},public`);
  const url = base.toString();
  return {
    kind: "postgres",
    url,
    target: parseDatabaseUrl(url),
    open: () => Store.open(parseDatabaseUrl(url)),
    dispose: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Both databases; PostgreSQL is skipped (with the reason shown) only when DATABASE_URL is unset outside CI. */
export const databaseKinds: DatabaseKindUnderTest[] = [
  { kind: "sqlite", create: createSqlite },
  {
    kind: "postgres",
    skip: postgresUrl ? undefined : "DATABASE_URL is not set to a postgres:// URL",
    create: createPostgres,
  },
];

/** Runs `fn` with a freshly opened store on a new database, closing and removing it afterwards. */
export async function withStore<T>(
  kind: DatabaseKindUnderTest,
  fn: (store: Store, db: TestDatabase) => Promise<T>,
): Promise<T> {
  const db = await kind.create();
  const store = await db.open();
  try {
    return await fn(store, db);
  } finally {
    await store.close();
    await db.dispose();
  }
}
