import type { Kysely } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { lockPapers, recountPaper } from "./paper-counts.ts";
import type { Database } from "./schema.ts";
import { lockUser } from "./users.ts";

export interface VoteState {
  /** The paper's count: Hugging Face's upvotes plus the votes cast here. */
  upvotes: number;
  upvoted: boolean;
}

/** One upvote per user per paper; the paper's count and trending score change with the vote row. */
export class VoteRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * Puts the user's vote on the paper (or takes it off): idempotent, so repeating a request
   * changes nothing. Null when the paper or the live account does not exist.
   */
  async set(userId: number, paperId: string, upvoted: boolean, now: string): Promise<VoteState | null> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await lockUser(trx, this.kind, userId, "share"))) return null;
      const paper = (await lockPapers(trx, this.kind, [paperId])).get(paperId);
      if (!paper) return null;
      const changed = upvoted
        ? Number(
            (
              await trx
                .insertInto("votes")
                .values({ paper_id: paperId, user_id: userId, created_at: now })
                .onConflict((oc) => oc.columns(["paper_id", "user_id"]).doNothing())
                .executeTakeFirst()
            ).numInsertedOrUpdatedRows ?? 0,
          )
        : Number(
            (
              await trx
                .deleteFrom("votes")
                .where("paper_id", "=", paperId)
                .where("user_id", "=", userId)
                .executeTakeFirst()
            ).numDeletedRows,
          );
      if (changed === 0) return { upvotes: paper.upvotes, upvoted };
      const { upvotes } = await recountPaper(trx, paper);
      return { upvotes, upvoted };
    });
  }

  /** Which of these papers the user has upvoted. */
  async upvotedAmong(userId: number, paperIds: string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom("votes")
      .select("paper_id")
      .where("user_id", "=", userId)
      .where("paper_id", "in", [...new Set(paperIds)])
      .execute();
    return new Set(rows.map((r) => r.paper_id));
  }
}
