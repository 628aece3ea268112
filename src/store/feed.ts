import type { Expression, Kysely } from "kysely";
import type { DayRange } from "../calendar/periods.ts";
import type { Paper } from "../papers/paper.ts";
import { rowToPaper } from "./paper-rows.ts";
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

export interface FeedSlice {
  items: FeedItem[];
  /** Whether more papers follow this page. */
  hasMore: boolean;
}

export interface FeedPage extends FeedSlice {
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

// A day, week or month holds few enough entries to sort by their keys alone. Longer ranges (the
// whole archive) are read by walking the papers' sort index and keeping those on the feed in
// range, which stops after one page because nearly every paper is on the feed. Figures:
// docs/performance.md.
const LONGEST_SORTED_RANGE_DAYS = 31;
const DAY_MS = 86_400_000;

/**
 * A paper's entries on the feed (in `days`, when given), for `eb.exists(…)`: the one rule of what
 * is on the feed. Entries a moderator or a ban took off live in hidden_feed_entries instead, so
 * every list that keeps this rule leaves them out with no check of its own.
 */
export function feedEntriesOf(db: Kysely<Database>, paperId: Expression<string>, days?: DayRange) {
  const entries = db.selectFrom("feed_entries as fe").select("fe.paper_id").where("fe.paper_id", "=", paperId);
  return days ? entries.where("fe.feed_date", ">=", days.from).where("fe.feed_date", "<=", days.to) : entries;
}

/**
 * Papers a moderator (or a ban) took off the feed: entries of theirs were moved aside and none is
 * left on it. Lists that also show papers from outside the feed (My feed, a digest's "For you")
 * leave these out with `not in`, so a hidden paper goes from them exactly when it goes from the feed.
 */
export function takenOffTheFeed(db: Kysely<Database>) {
  return db
    .selectFrom("hidden_feed_entries as h")
    .select("h.paper_id")
    .where((eb) => eb.not(eb.exists(feedEntriesOf(db, eb.ref("h.paper_id")))));
}

export class FeedRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Papers on the feed between two days, each paper once, with the total for paging. */
  async range(query: FeedQuery): Promise<FeedPage> {
    const [slice, total] = await Promise.all([this.slice(query), this.count(query)]);
    return { ...slice, total };
  }

  /** One page of papers on the feed between two days, without counting them all. */
  async slice(query: FeedQuery): Promise<FeedSlice> {
    const limit = query.limit ?? 50;
    const ids = await this.orderedIds(query, limit + 1, query.offset ?? 0);
    return { items: await this.itemsFor(ids.slice(0, limit), query), hasMore: ids.length > limit };
  }

  /** How many papers are on the feed between two days. */
  async count(query: FeedQuery): Promise<number> {
    const { total } = await this.db
      .selectFrom(this.entriesInRange(query).as("e"))
      .select((eb) => eb.fn.countAll<number>().as("total"))
      .executeTakeFirstOrThrow();
    return Number(total);
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

  /** Each paper on the feed in range once. */
  private entriesInRange(query: FeedQuery) {
    let entries = this.db
      .selectFrom("feed_entries")
      .select("paper_id")
      .where("feed_date", ">=", query.from)
      .where("feed_date", "<=", query.to)
      .groupBy("paper_id");
    if (query.submitter) {
      entries = entries.where("submitted_by", "like", `%"name":${JSON.stringify(query.submitter)}%`);
    }
    return entries;
  }

  /** Ids of one page of the range's papers, in feed order; only keys are sorted, never whole rows. */
  private async orderedIds(query: FeedQuery, limit: number, offset: number): Promise<string[]> {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS;
    const walk = days > LONGEST_SORTED_RANGE_DAYS && !query.submitter;
    let ids = this.db
      .selectFrom("papers as p")
      .select("p.id")
      .where((eb) =>
        walk ? eb.exists(feedEntriesOf(this.db, eb.ref("p.id"), query)) : eb("p.id", "in", this.entriesInRange(query)),
      );
    // Each order matches an index on papers (migration 006_web_feed_order), so it can be walked.
    const sort = query.sort ?? "upvotes";
    ids =
      sort === "date"
        ? ids.orderBy("p.published_at", "desc")
        : sort === "trending"
          ? ids.orderBy("p.trending_score", "desc")
          : ids.orderBy("p.upvotes", "desc").orderBy("p.published_at", "desc");
    const rows = await ids.orderBy("p.id", "desc").limit(limit).offset(offset).execute();
    return rows.map((r) => r.id);
  }

  /** The papers and their first feed entry in range, in the order of `ids`. */
  private async itemsFor(ids: string[], query: FeedQuery): Promise<FeedItem[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom("papers as p")
      .innerJoin("feed_entries as f", "f.paper_id", "p.id")
      .selectAll("p")
      .select(["f.feed_date", "f.source", "f.submitted_by"])
      .where("p.id", "in", ids)
      .where("f.feed_date", ">=", query.from)
      .where("f.feed_date", "<=", query.to)
      .orderBy("f.feed_date", "desc")
      .execute();
    // Rows come latest entry first, so each paper's earliest entry in range is written last and stays.
    const items = new Map<string, FeedItem>();
    for (const { feed_date, source, submitted_by, ...paper } of rows) {
      items.set(paper.id, {
        paper: rowToPaper(paper),
        feedDate: feed_date,
        source,
        submittedBy: submitted_by ? (JSON.parse(submitted_by) as Record<string, unknown>) : null,
      });
    }
    return ids.flatMap((id) => items.get(id) ?? []);
  }
}
