import type { Transaction } from "kysely";
import { trendingScore } from "../papers/trending.ts";
import type { DatabaseKind } from "./connection.ts";
import type { Database } from "./schema.ts";

export interface CountedPaper {
  id: string;
  upvotes: number;
  local_upvotes: number;
  num_comments: number;
  local_comments: number;
  published_at: string;
}

/**
 * Reads papers for a transaction that changes their counts, holding each row until it commits:
 * every writer of a paper's counts (votes, comments, ingest) queues on that row, in id order, so
 * counts are exact and writers never deadlock. SQLite transactions hold the database's write lock
 * from their first statement (see connection.ts), so the read alone is enough there.
 */
export async function lockPapers(
  trx: Transaction<Database>,
  kind: DatabaseKind,
  ids: string[],
): Promise<Map<string, CountedPaper>> {
  if (ids.length === 0) return new Map();
  const read = trx
    .selectFrom("papers")
    .select(["id", "upvotes", "local_upvotes", "num_comments", "local_comments", "published_at"])
    .where("id", "in", [...new Set(ids)])
    .orderBy("id");
  const rows = await (kind === "postgres" ? read.forUpdate() : read).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Counts a locked paper's votes and visible comments again and writes the totals and the trending
 * score. Counting (rather than adding one) keeps the stored figures equal to the rows whatever
 * happened before.
 */
export async function recountPaper(
  trx: Transaction<Database>,
  paper: CountedPaper,
): Promise<{ upvotes: number; numComments: number }> {
  const { votes } = await trx
    .selectFrom("votes")
    .select((eb) => eb.fn.countAll<number>().as("votes"))
    .where("paper_id", "=", paper.id)
    .executeTakeFirstOrThrow();
  const { comments } = await trx
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("comments"))
    .where("paper_id", "=", paper.id)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  const localUpvotes = Number(votes);
  const localComments = Number(comments);
  const upvotes = paper.upvotes - paper.local_upvotes + localUpvotes;
  const numComments = paper.num_comments - paper.local_comments + localComments;
  if (localUpvotes !== paper.local_upvotes || localComments !== paper.local_comments) {
    await trx
      .updateTable("papers")
      .set({
        local_upvotes: localUpvotes,
        local_comments: localComments,
        upvotes,
        num_comments: numComments,
        trending_score: trendingScore(upvotes, paper.published_at),
      })
      .where("id", "=", paper.id)
      .execute();
  }
  return { upvotes, numComments };
}
