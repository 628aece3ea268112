import type { Kysely } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { lockPapers } from "./paper-counts.ts";
import type { Database } from "./schema.ts";
import { lockUser } from "./users.ts";

export type SubmissionOutcome =
  | { status: "submitted"; feedDate: string }
  /** The paper was already put on the feed (here or by Hugging Face): that entry stands. */
  | { status: "exists"; feedDate: string; source: string; submittedBy: Record<string, unknown> | null }
  /** The user has submitted `limit` papers on this feed day already. */
  | { status: "limit"; limit: number }
  | { status: "no-paper" }
  | { status: "no-user" };

/** Papers users put on the daily feed: feed entries with source 'user' and their submitter. */
export class SubmissionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * Puts a stored paper on a feed day for a user, once: a paper already picked for the feed
   * keeps its entry, and its announcement-day entries give way (as to a Hugging Face pick), so
   * it shows once in a week or month. The user's row is locked, so the daily limit holds
   * against their own concurrent submissions.
   */
  async submit(submission: {
    paperId: string;
    userId: number;
    /** Who submitted it, in the Hugging Face `submittedBy` shape. */
    submittedBy: Record<string, unknown>;
    day: string;
    dailyLimit: number;
  }): Promise<SubmissionOutcome> {
    return this.db.transaction().execute(async (trx): Promise<SubmissionOutcome> => {
      if (!(await lockUser(trx, this.kind, submission.userId, "update"))) return { status: "no-user" };
      const paper = (await lockPapers(trx, this.kind, [submission.paperId])).get(submission.paperId);
      if (!paper) return { status: "no-paper" };
      const picked = await trx
        .selectFrom("feed_entries")
        .select(["feed_date", "source", "submitted_by"])
        .where("paper_id", "=", submission.paperId)
        .where("source", "!=", "arxiv")
        .orderBy("feed_date")
        .executeTakeFirst();
      if (picked) {
        return {
          status: "exists",
          feedDate: picked.feed_date,
          source: picked.source,
          submittedBy: picked.submitted_by ? (JSON.parse(picked.submitted_by) as Record<string, unknown>) : null,
        };
      }
      const { today } = await trx
        .selectFrom("feed_entries")
        .select((eb) => eb.fn.countAll<number>().as("today"))
        .where("submitter_id", "=", submission.userId)
        .where("feed_date", "=", submission.day)
        .executeTakeFirstOrThrow();
      if (Number(today) >= submission.dailyLimit) return { status: "limit", limit: submission.dailyLimit };
      await trx
        .deleteFrom("feed_entries")
        .where("paper_id", "=", submission.paperId)
        .where("source", "=", "arxiv")
        .where("feed_date", "!=", submission.day)
        .execute();
      const entry = {
        paper_id: submission.paperId,
        feed_date: submission.day,
        source: "user",
        submitted_by: JSON.stringify(submission.submittedBy),
        submitter_id: submission.userId,
      };
      await trx
        .insertInto("feed_entries")
        .values(entry)
        .onConflict((oc) =>
          oc.columns(["feed_date", "paper_id"]).doUpdateSet({
            source: entry.source,
            submitted_by: entry.submitted_by,
            submitter_id: entry.submitter_id,
          }),
        )
        .execute();
      return { status: "submitted", feedDate: submission.day };
    });
  }
}
