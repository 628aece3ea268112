import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export interface FeedPlacement {
  /** The first day the paper was on the feed, YYYY-MM-DD. */
  feedDate: string;
  /** Who put it there, in the Hugging Face `submittedBy` shape; null when unknown. */
  submittedBy: Record<string, unknown> | null;
}

/** When and by whom papers were put on the daily feed, for answers about single papers. */
export class FeedPlacementRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Each paper's first feed entry; papers never on the feed are absent from the map. */
  async firstOf(paperIds: string[]): Promise<Map<string, FeedPlacement>> {
    const placements = new Map<string, FeedPlacement>();
    if (paperIds.length === 0) return placements;
    const rows = await this.db
      .selectFrom("feed_entries")
      .select(["paper_id", "feed_date", "submitted_by"])
      .where("paper_id", "in", [...new Set(paperIds)])
      .orderBy("feed_date", "desc")
      .execute();
    // Rows come newest first, so the earliest entry of each paper is written last and stays.
    for (const row of rows) {
      placements.set(row.paper_id, {
        feedDate: row.feed_date,
        submittedBy: row.submitted_by ? (JSON.parse(row.submitted_by) as Record<string, unknown>) : null,
      });
    }
    return placements;
  }
}
