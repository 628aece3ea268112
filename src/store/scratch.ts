import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type DatabaseTarget, parseDatabaseUrl } from "../config/index.ts";

export interface ScratchDatabase {
  target: DatabaseTarget;
  /** Removes the database and everything in it. */
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database for a one-off job (an evaluation, a benchmark) that must not touch the
 * real one: a temporary SQLite file, or a private schema inside the given PostgreSQL database.
 */
export async function createScratchDatabase(postgresUrl?: string): Promise<ScratchDatabase> {
  if (!postgresUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-scratch-"));
    return {
      target: parseDatabaseUrl(`sqlite:${path.join(dir, "paperboy.db")}`),
      dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `scratch_${randomBytes(6).toString("hex")}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  const url = new URL(postgresUrl);
  // public stays on the path: extensions such as pgvector live there.
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return { target: parseDatabaseUrl(url.toString()), dispose: () => run(`DROP SCHEMA ${schema} CASCADE`) };
}
