import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** Secrets Paperboy generates for itself, kept so that every instance and every restart shares them. */
export class SecretRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The secret stored under `name`; the first caller stores `generated`, later (or concurrent) ones read it. */
  async getOrCreate(name: string, generated: string, now: Date = new Date()): Promise<string> {
    await this.db
      .insertInto("site_secrets")
      .values({ name, value: generated, created_at: now.toISOString() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const row = await this.db
      .selectFrom("site_secrets")
      .select("value")
      .where("name", "=", name)
      .executeTakeFirstOrThrow();
    return row.value;
  }
}
