import type { Kysely } from "kysely";
import { saveCheckpoint } from "./papers.ts";
import type { Database } from "./schema.ts";

/** Small named records that let long-running ingests resume where they stopped. */
export class IngestStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db.selectFrom("ingest_state").select("value").where("key", "=", key).executeTakeFirst();
    return row?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await saveCheckpoint(this.db, { key, value });
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom("ingest_state").where("key", "=", key).execute();
  }
}
