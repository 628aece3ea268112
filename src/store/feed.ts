import type { Kysely } from "kysely";
import { type Paper, rowToPaper } from "./paper.ts";
import type { Database } from "./schema.ts";

export type FeedSort = "upvotes" | "date" | "trending";

export interface FeedItem {
  paper: Paper;
  /** The feed day the paper is listed on (the first one when a range holds several). */
  feedDate: string;
  source: string;
  /** Who put it on the feed, in the Hugging Face `submittedBy` shape; null when unknown. */
  submittedBy: Record<string, unknown> | null;
}

export interface FeedPage {
  items: FeedItem[];
  total: number;
}

export interface FeedQuery {
  /** First and last feed day, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  sort?: FeedSort;
  limit?: number;
  offset?: number;
  /** Only entries put on the feed by this Hugging Face user name. */
  submitter?: string;
}

export class FeedRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Papers on the feed between two days, each paper once, with the total for paging. */
  async range(query: FeedQuery): Promise<FeedPage> {
    let entries = this.db
      .selectFrom("feed_entries")
      .select((eb) => ["paper_id", eb.fn.min("feed_date").as("feed_date")])
      .where("feed_date", ">=", query.from)
      .where("feed_date", "<=", query.to)
      .groupBy("paper_id");
    if (query.submitter) {
      entries = entries.where("submitted_by", "like", `%"name":${JSON.stringify(query.submitter)}%`);
    }
    const { total } = await this.db
      .selectFrom(entries.as("e"))
      .select((eb) => eb.fn.countAll<number>().as("total"))
      .executeTakeFirstOrThrow();

    const sort = query.sort ?? "upvotes";
    let rows = this.db
      .selectFrom(entries.as("e"))
      .innerJoin("feed_entries as f", (j) =>
        j.onRef("f.paper_id", "=", "e.paper_id").onRef("f.feed_date", "=", "e.feed_date"),
      )
      .innerJoin("papers as p", "p.id", "e.paper_id")
      .selectAll("p")
      .select(["f.feed_date", "f.source", "f.submitted_by"]);
    rows =
      sort === "date"
        ? rows.orderBy("p.published_at", "desc").orderBy("p.upvotes", "desc")
        : sort === "trending"
          ? rows.orderBy("p.trending_score", "desc")
          : rows.orderBy("p.upvotes", "desc").orderBy("p.published_at", "desc");
    const page = await rows
      .orderBy("p.id", "desc")
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0)
      .execute();
    return {
      total: Number(total),
      items: page.map(({ feed_date, source, submitted_by, ...paper }) => ({
        paper: rowToPaper(paper),
        feedDate: feed_date,
        source,
        submittedBy: submitted_by ? (JSON.parse(submitted_by) as Record<string, unknown>) : null,
      })),
    };
  }

  /** The newest day that has papers, or null for an empty feed. */
  async latestDay(): Promise<string | null> {
    const row = await this.db
      .selectFrom("feed_entries")
      .select((eb) => eb.fn.max("feed_date").as("day"))
      .executeTakeFirst();
    return row?.day ?? null;
  }

  /** The nearest days with papers before and after a day (null at the ends of the archive). */
  async neighbours(day: string): Promise<{ previous: string | null; next: string | null }> {
    const previous = await this.db
      .selectFrom("feed_entries")
      .select((eb) => eb.fn.max("feed_date").as("day"))
      .where("feed_date", "<", day)
      .executeTakeFirst();
    const next = await this.db
      .selectFrom("feed_entries")
      .select((eb) => eb.fn.min("feed_date").as("day"))
      .where("feed_date", ">", day)
      .executeTakeFirst();
    return { previous: previous?.day ?? null, next: next?.day ?? null };
  }
}
