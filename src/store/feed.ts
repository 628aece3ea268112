import { type Expression, type Kysely, sql } from "kysely";
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

/** The columns each order sorts by, all descending, the paper's id last (each matches an index, 006_web_feed_order). */
const ORDER_COLUMNS = {
  date: ["published_at", "id"],
  trending: ["trending_score", "id"],
  upvotes: ["upvotes", "published_at", "id"],
} as const satisfies Record<FeedSort, readonly string[]>;

type SortKey = (string | number)[];

/** Where pages of walked ranges ended, remembered: as many as a few crawlers paging at once need. */
const REMEMBERED_PAGE_ENDS = 1000;

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

/**
 * Where the pages of long ranges ended, by data version: the next page seeks past the last paper's
 * sort key instead of skipping every paper before it, so a client paging through the whole
 * archive (`/api/daily_papers?p=…`) pays for each page, not for all the pages before it. A
 * remembered end belongs to the version read before its page was read; any write moves the
 * version (store/data-version.ts), and the ends of older versions are never used.
 */
class PageEnds {
  private readonly ends = new Map<string, SortKey>();

  private static key(version: number, query: FeedQuery, offset: number): string {
    return JSON.stringify([version, query.from, query.to, query.sort ?? "upvotes", offset]);
  }

  get(version: number, query: FeedQuery, offset: number): SortKey | undefined {
    return this.ends.get(PageEnds.key(version, query, offset));
  }

  set(version: number, query: FeedQuery, offset: number, end: SortKey): void {
    const key = PageEnds.key(version, query, offset);
    this.ends.delete(key);
    this.ends.set(key, end);
    if (this.ends.size > REMEMBERED_PAGE_ENDS) this.ends.delete(this.ends.keys().next().value as string);
  }
}

export class FeedRepository {
  private readonly pageEnds = new PageEnds();

  constructor(
    private readonly db: Kysely<Database>,
    /** The data version (store/data-version.ts), which every write to papers or the feed moves. */
    private readonly version: () => Promise<number>,
  ) {}

  /** Papers on the feed between two days, each paper once, with the total for paging. */
  async range(query: FeedQuery): Promise<FeedPage> {
    const [slice, total] = await Promise.all([this.slice(query), this.count(query)]);
    return { ...slice, total };
  }

  /** One page of papers on the feed between two days, without counting them all. */
  async slice(query: FeedQuery): Promise<FeedSlice> {
    const { ids, hasMore } = await this.orderedIds(query, query.limit ?? 50, query.offset ?? 0);
    return { items: await this.itemsFor(ids, query), hasMore };
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

  /**
   * Ids of one page of the range's papers, in feed order; only keys are sorted, never whole rows.
   * Pages of a long range start where the previous page ended, when that is remembered.
   */
  private async orderedIds(
    query: FeedQuery,
    limit: number,
    offset: number,
  ): Promise<{ ids: string[]; hasMore: boolean }> {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS;
    const walk = days > LONGEST_SORTED_RANGE_DAYS && !query.submitter;
    const order = ORDER_COLUMNS[query.sort ?? "upvotes"];
    const columns = order.map((c) => `p.${c}` as const);
    const version = walk ? await this.version() : null;
    const after = version === null ? undefined : this.pageEnds.get(version, query, offset);
    let ids = this.db
      .selectFrom("papers as p")
      .select(columns)
      .where((eb) =>
        walk ? eb.exists(feedEntriesOf(this.db, eb.ref("p.id"), query)) : eb("p.id", "in", this.entriesInRange(query)),
      );
    if (after) ids = ids.where(sql<boolean>`(${sql.join(columns.map((c) => sql.ref(c)))}) < (${sql.join(after)})`);
    for (const column of columns) ids = ids.orderBy(column, "desc");
    // One more than the page tells whether another follows.
    const rows = (await ids
      .limit(limit + 1)
      .offset(after ? 0 : offset)
      .execute()) as Record<string, string | number>[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    if (version !== null && last && rows.length > limit) {
      this.pageEnds.set(
        version,
        query,
        offset + limit,
        order.map((c) => last[c] as string | number),
      );
    }
    return { ids: page.map((r) => String(r.id)), hasMore: rows.length > limit };
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
