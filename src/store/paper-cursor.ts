import type { Kysely } from "kysely";
import type { Paper } from "../papers/paper.ts";
import { rowToPaper } from "./paper-rows.ts";
import { type Database, paperRowColumns } from "./schema.ts";

/** Where a page of the newest-first list of all papers ends: the last paper's date and id. */
export interface PaperPosition {
  publishedAt: string;
  id: string;
}

export interface PaperCursorPage {
  papers: Paper[];
  /** Where the next page starts; null on the last page. */
  next: PaperPosition | null;
}

/**
 * Every paper, newest first, paged by position rather than offset: a page stays cheap however
 * deep it is, and papers added meanwhile neither repeat nor skip entries on later pages.
 */
export class PaperCursorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async newestFirst(limit: number, after: PaperPosition | null): Promise<PaperCursorPage> {
    let query = this.db.selectFrom("papers").select(paperRowColumns);
    if (after) {
      // The redundant `published_at <=` gives the index a place to start: with the OR alone,
      // PostgreSQL read the index from the newest paper on, however deep the cursor.
      query = query
        .where("published_at", "<=", after.publishedAt)
        .where((eb) =>
          eb.or([
            eb("published_at", "<", after.publishedAt),
            eb.and([eb("published_at", "=", after.publishedAt), eb("id", "<", after.id)]),
          ]),
        );
    }
    const rows = await query
      .orderBy("published_at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const papers = rows.slice(0, limit).map(rowToPaper);
    const last = papers.at(-1);
    return { papers, next: rows.length > limit && last ? { publishedAt: last.publishedAt, id: last.id } : null };
  }
}
