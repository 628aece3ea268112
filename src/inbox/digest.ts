import { newYorkDate } from "../calendar/new-york.ts";
import { addDays, type DayRange, isoWeekOf, parseIsoWeek } from "../calendar/periods.ts";
import type { Paper } from "../papers/paper.ts";
import type { DigestPeriodKind, Store } from "../store/index.ts";

/** The papers one digest covers: a feed day, or an ISO week. */
export interface DigestPeriod {
  kind: DigestPeriodKind;
  /** 2026-08-21 or 2026-W34. */
  key: string;
  range: DayRange;
}

/** A part of a digest: the top papers of the period, or papers from what the reader follows. */
export interface DigestSection {
  title: string;
  papers: Paper[];
}

export interface Digest {
  period: DigestPeriod;
  sections: DigestSection[];
}

/**
 * The personal part of digests, for subscribers whose address is a verified account's: sections
 * made from what the account follows.
 */
export interface PersonalDigests {
  /** For a page of accounts at once, the sections each one's digest adds for the period; none for an account left out. */
  sections(accountIds: readonly number[], period: DigestPeriod): Promise<Map<number, DigestSection[]>>;
}

export const noPersonalDigests: PersonalDigests = { sections: async () => new Map() };

/** How many papers from what a reader follows a digest lists. */
export const FOR_YOU_PAPERS: Record<DigestPeriodKind, number> = { daily: 20, weekly: 30 };

/** The personal part from follows (My feed's papers): the period's new papers by followed authors, categories and organisations. */
export function followedPaperDigests(store: Store): PersonalDigests {
  return {
    async sections(accountIds, period) {
      const papers = await store.follows.newIn(accountIds, period.range, FOR_YOU_PAPERS[period.kind]);
      return new Map([...papers].map(([id, list]) => [id, [{ title: "For you", papers: list }]]));
    },
  };
}

/** One reader's digest: everyone's part, then their own. */
export function withPersonalPart(digest: Digest, own: DigestSection[] | undefined): Digest {
  const sections = own?.filter((section) => section.papers.length > 0) ?? [];
  return sections.length > 0 ? { ...digest, sections: [...digest.sections, ...sections] } : digest;
}

/** How many of the most upvoted papers a digest lists. */
export const TOP_PAPERS: Record<DigestPeriodKind, number> = { daily: 10, weekly: 15 };

/** The period a digest of `kind` covers for a day: that day, or the ISO week it falls in. */
export function digestPeriod(kind: DigestPeriodKind, day: string): DigestPeriod {
  if (kind === "daily") return { kind, key: day, range: { from: day, to: day } };
  const key = isoWeekOf(day);
  const range = parseIsoWeek(key);
  if (!range) throw new RangeError(`no ISO week for ${day}`);
  return { kind, key, range };
}

/** The last complete period at `now` on the feed's (New York) calendar: yesterday, or last week. */
export function lastCompletePeriod(kind: DigestPeriodKind, now: Date): DigestPeriod {
  const today = newYorkDate(now);
  return digestPeriod(kind, kind === "daily" ? addDays(today, -1) : addDays(today, -7));
}

/** What every subscriber of the period gets: its most upvoted papers. Null when the period has none. */
export async function collectDigest(store: Store, period: DigestPeriod): Promise<Digest | null> {
  const { items } = await store.feed.slice({ ...period.range, sort: "upvotes", limit: TOP_PAPERS[period.kind] });
  if (items.length === 0) return null;
  return {
    period,
    sections: [
      {
        title: period.kind === "daily" ? "Top papers of the day" : "Top papers of the week",
        papers: items.map((item) => item.paper),
      },
    ],
  };
}
