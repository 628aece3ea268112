import type { Kysely } from "kysely";
import type { Paper } from "../papers/paper.ts";
import { takenOffTheFeed } from "./feed.ts";
import { papersByIds } from "./paper-rows.ts";
import { countPapers } from "./papers.ts";
import type { Database } from "./schema.ts";

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface PaperList {
  papers: Paper[];
  total: number;
}

export interface DayCount {
  day: string;
  papers: number;
}

export interface FeedCalendar {
  /** Days in the range that have papers, in order. */
  days: DayCount[];
  /** Nearest day with papers before the range, null at the start of the archive. */
  previous: string | null;
  /** Nearest day with papers after the range, null at the end of the archive. */
  next: string | null;
  /** First and last day of the whole feed, null when it is empty. */
  first: string | null;
  last: string | null;
}

export interface FeedEntry {
  day: string;
  /** `arxiv`, `hf` or `user`: see FeedRecord. */
  source: string;
  /** Who put it on the feed, in the Hugging Face `submittedBy` shape; null when unknown. */
  submittedBy: Record<string, unknown> | null;
}

export interface CategoryCounts {
  categories: { category: string; papers: number }[];
  /** Papers without arXiv categories: those known only from the Hugging Face feed. */
  uncategorized: number;
}

/** Read-only lists of papers for browsing: by author, by category, trending, and the feed's calendar. */
export class ListingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Papers that list this exact author name, newest first. */
  async byAuthor(name: string, page: PageRequest): Promise<PaperList> {
    const entries = this.db.selectFrom("paper_authors").where("name", "=", name);
    const { total } = await entries
      .select((eb) => eb.fn.count<number>("paper_id").distinct().as("total"))
      .executeTakeFirstOrThrow();
    const ids = entries
      .select(["paper_id as id", "published_at"])
      .distinct()
      .orderBy("published_at", "desc")
      .orderBy("paper_id", "desc")
      .limit(page.limit)
      .offset(page.offset);
    return { papers: await this.papersInOrder(ids), total: Number(total) };
  }

  /** Papers in a category (primary or cross-listed), newest first. */
  async byCategory(category: string, page: PageRequest): Promise<PaperList> {
    const entries = this.db.selectFrom("paper_categories").where("category", "=", category);
    const { total } = await entries.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const ids = entries
      .select("paper_id as id")
      .orderBy("published_at", "desc")
      .orderBy("paper_id", "desc")
      .limit(page.limit)
      .offset(page.offset);
    return { papers: await this.papersInOrder(ids), total: Number(total) };
  }

  /**
   * All papers by stored trending score, highest first (see trending.ts for the formula), but
   * those a moderator took off the feed: trending is the community's front page, while author
   * and category lists and search are the archive, where such papers stay.
   */
  async trending(page: PageRequest): Promise<PaperList> {
    const ids = this.db
      .selectFrom("papers")
      .select("id")
      .where("id", "not in", takenOffTheFeed(this.db))
      .orderBy("trending_score", "desc")
      .orderBy("id", "desc")
      .limit(page.limit)
      .offset(page.offset);
    const [papers, all, hidden] = await Promise.all([
      this.papersInOrder(ids),
      countPapers(this.db),
      takenOffTheFeed(this.db)
        .clearSelect()
        .select((eb) => eb.fn.count<number>("h.paper_id").distinct().as("n"))
        .executeTakeFirstOrThrow(),
    ]);
    return { papers, total: all - Number(hidden.n) };
  }

  /**
   * What a feed page needs to move around the archive: the days with papers in a range and
   * their counts, the nearest days with papers on either side, and the ends of the feed.
   */
  async calendar(from: string, to: string): Promise<FeedCalendar> {
    const days = await this.db
      .selectFrom("feed_entries")
      .select((eb) => ["feed_date", eb.fn.countAll<number>().as("papers")])
      .where("feed_date", ">=", from)
      .where("feed_date", "<=", to)
      .groupBy("feed_date")
      .orderBy("feed_date")
      .execute();
    // Four index seeks, rather than aggregating CASE expressions over every entry.
    const around = await this.db
      .selectNoFrom((eb) => {
        const edge = (fn: "min" | "max") =>
          eb.selectFrom("feed_entries").select((e) => e.fn[fn]("feed_date").as("day"));
        return [
          edge("min").as("first"),
          edge("max").as("last"),
          edge("max").where("feed_date", "<", from).as("previous"),
          edge("min").where("feed_date", ">", to).as("next"),
        ];
      })
      .executeTakeFirst();
    return {
      days: days.map((r) => ({ day: r.feed_date, papers: Number(r.papers) })),
      previous: around?.previous ?? null,
      next: around?.next ?? null,
      first: around?.first ?? null,
      last: around?.last ?? null,
    };
  }

  /** The days a paper is listed on the feed, earliest first, with who put it there. */
  async feedEntriesOf(paperId: string): Promise<FeedEntry[]> {
    const rows = await this.db
      .selectFrom("feed_entries")
      .select(["feed_date", "source", "submitted_by"])
      .where("paper_id", "=", paperId)
      .orderBy("feed_date")
      .execute();
    return rows.map((r) => ({
      day: r.feed_date,
      source: r.source,
      submittedBy: r.submitted_by ? (JSON.parse(r.submitted_by) as Record<string, unknown>) : null,
    }));
  }

  /** Every category with its number of papers (primary or cross-listed), and how many papers have none. */
  async categoryCounts(): Promise<CategoryCounts> {
    const [rows, uncategorized] = await Promise.all([
      this.db
        .selectFrom("paper_categories")
        .select((eb) => ["category", eb.fn.countAll<number>().as("papers")])
        .groupBy("category")
        .orderBy("category")
        .execute(),
      this.uncategorizedCount(),
    ]);
    return { categories: rows.map((r) => ({ category: r.category, papers: Number(r.papers) })), uncategorized };
  }

  /** How many papers have no arXiv category: those known only from the Hugging Face feed. */
  async uncategorizedCount(): Promise<number> {
    // Counted from a partial index (migration 050_web_uncategorized_papers).
    const { papers } = await this.db
      .selectFrom("papers")
      .select((eb) => eb.fn.countAll<number>().as("papers"))
      .where("categories", "=", "")
      .executeTakeFirstOrThrow();
    return Number(papers);
  }

  /**
   * Whole rows for one page of ids, in the page's order. Paging over ids alone keeps deep pages
   * cheap: an offset skips index entries instead of reading (and, on SQLite, sorting) whole rows.
   */
  private async papersInOrder(page: { execute(): Promise<{ id: string }[]> }): Promise<Paper[]> {
    return papersByIds(
      this.db,
      (await page.execute()).map((r) => r.id),
    );
  }
}
