import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export type JobOutcome = "ok" | "failed";

export interface JobStatus {
  name: string;
  /** The worker running it now, null when none is. */
  runningOn: string | null;
  leaseExpiresAt: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastOutcome: JobOutcome | null;
  lastMessage: string | null;
}

/**
 * Leases on worker jobs, one row per job. Taking a lease is a single conditional UPDATE, so of two
 * workers asking at once exactly one gets it on either database; a lease not renewed in time
 * (its worker crashed) is free again. Times are ISO-8601 UTC strings from the workers' clocks.
 */
export class JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Takes the job's lease until `expiresAt` when it is free, expired, or already `holder`'s. */
  async acquire(name: string, holder: string, now: Date, expiresAt: Date): Promise<boolean> {
    await this.db
      .insertInto("jobs")
      .values({ name })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const result = await this.db
      .updateTable("jobs")
      .set({ holder, lease_expires_at: expiresAt.toISOString(), last_started_at: now.toISOString() })
      .where("name", "=", name)
      .where((eb) =>
        eb.or([eb("holder", "is", null), eb("lease_expires_at", "<=", now.toISOString()), eb("holder", "=", holder)]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Extends a lease `holder` still has; false when it was lost (expired and taken by another worker). */
  async renew(name: string, holder: string, expiresAt: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("jobs")
      .set({ lease_expires_at: expiresAt.toISOString() })
      .where("name", "=", name)
      .where("holder", "=", holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Frees the lease and records how the run ended; does nothing when `holder` no longer has it. */
  async release(name: string, holder: string, outcome: JobOutcome, message: string, now: Date): Promise<void> {
    await this.db
      .updateTable("jobs")
      .set({
        holder: null,
        lease_expires_at: null,
        last_finished_at: now.toISOString(),
        last_outcome: outcome,
        last_message: message,
      })
      .where("name", "=", name)
      .where("holder", "=", holder)
      .execute();
  }

  /** Every job that has run or is running, by name; cheap enough for a metrics scrape. */
  async list(now: Date = new Date()): Promise<JobStatus[]> {
    const rows = await this.db.selectFrom("jobs").selectAll().orderBy("name").execute();
    return rows.map((row) => {
      const live = row.holder !== null && row.lease_expires_at !== null && row.lease_expires_at > now.toISOString();
      return {
        name: row.name,
        runningOn: live ? row.holder : null,
        leaseExpiresAt: live ? row.lease_expires_at : null,
        lastStartedAt: row.last_started_at,
        lastFinishedAt: row.last_finished_at,
        lastOutcome: row.last_outcome === "ok" || row.last_outcome === "failed" ? row.last_outcome : null,
        lastMessage: row.last_message,
      };
    });
  }
}
