import { type DayRange, isoWeekOf, monthOf } from "../../calendar/periods.ts";
import type { FeedItem } from "../../store/feed.ts";
import type { FeedCalendar } from "../../store/listings.ts";
import { submitterOf } from "../hf.ts";
import { type FeedRef, feeds, formatDay, formatLongDay, formatMonth, formatShortDay, paths, plural } from "../paths.ts";
import { Layout, type Site } from "./layout.tsx";
import { Pager } from "./pager.tsx";
import { PaperCards } from "./paper-card.tsx";

export type PeriodKind = "day" | "week" | "month";

export interface FeedPeriod {
  kind: PeriodKind;
  /** As written in the URL: 2025-01-06, 2025-W02, 2025-01. */
  key: string;
  range: DayRange;
}

export type FeedViewSort = "upvotes" | "date";

export interface FeedViewProps {
  site: Site;
  period: FeedPeriod;
  sort: FeedViewSort;
  page: number;
  items: FeedItem[];
  total: number;
  calendar: FeedCalendar;
  pageSize: number;
}

const periodPath = (kind: PeriodKind, day: string) =>
  kind === "day" ? paths.day(day) : kind === "week" ? paths.week(isoWeekOf(day)) : paths.month(monthOf(day));

function withQuery(path: string, sort: FeedViewSort, page = 1): string {
  const query = new URLSearchParams();
  if (sort !== "upvotes") query.set("sort", sort);
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function heading(period: FeedPeriod): { title: string; subtitle: string } {
  if (period.kind === "day") return { title: "Daily Papers", subtitle: formatLongDay(period.key) };
  if (period.kind === "week") {
    return {
      title: "Papers of the week",
      subtitle: `${period.key}: ${formatDay(period.range.from)} – ${formatDay(period.range.to)}`,
    };
  }
  return { title: "Papers of the month", subtitle: formatMonth(period.key) };
}

/** A step to the previous or next period; on a phone only its arrow shows, its words stay its name. */
function StepLink(props: { day: string | null; kind: PeriodKind; rel: "prev" | "next"; label: [string, string] }) {
  const [first, second] = props.label;
  const content =
    props.rel === "prev" ? (
      <>
        {first} <span class="step-words">{second}</span>
      </>
    ) : (
      <>
        <span class="step-words">{first}</span> {second}
      </>
    );
  if (!props.day) {
    return (
      <span class="pill" aria-disabled="true">
        {content}
      </span>
    );
  }
  return (
    <a class="pill" href={periodPath(props.kind, props.day)} rel={props.rel}>
      {content}
    </a>
  );
}

/** Moving around the archive: day/week/month, previous/next period with papers, any date, sort. */
function FeedToolbar({ period, sort, calendar }: Pick<FeedViewProps, "period" | "sort" | "calendar">) {
  const anchor = period.kind === "day" ? period.key : (calendar.days[0]?.day ?? period.range.from);
  const noun = period.kind;
  return (
    <div class="toolbar">
      <nav aria-label="Feed period">
        <ul class="pill-group tabs">
          {(["day", "week", "month"] as const).map((kind) => (
            <li>
              <a class="pill" href={periodPath(kind, anchor)} aria-current={kind === period.kind ? "page" : undefined}>
                {kind === "day" ? "Day" : kind === "week" ? "Week" : "Month"}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label={`Previous and next ${noun}`}>
        <ul class="pill-group">
          <li>
            <StepLink day={calendar.previous} kind={period.kind} rel="prev" label={["←", `Previous ${noun}`]} />
          </li>
          <li>
            <StepLink day={calendar.next} kind={period.kind} rel="next" label={[`Next ${noun}`, "→"]} />
          </li>
        </ul>
      </nav>
      <form class="date-jump" action="/papers" method="get">
        <label for="jump-date">Jump to date</label>
        <input
          id="jump-date"
          type="date"
          name="date"
          value={anchor}
          min={calendar.first ?? undefined}
          max={calendar.last ?? undefined}
          required
        />
        {period.kind === "day" ? null : <input type="hidden" name="period" value={period.kind} />}
        <button type="submit">Go</button>
      </form>
      <nav aria-label="Sort">
        <ul class="pill-group">
          <li>
            <a
              class="pill"
              href={withQuery(periodPath(period.kind, anchor), "upvotes")}
              aria-current={sort === "upvotes" ? "true" : undefined}
            >
              Most upvoted
            </a>
          </li>
          <li>
            <a
              class="pill"
              href={withQuery(periodPath(period.kind, anchor), "date")}
              aria-current={sort === "date" ? "true" : undefined}
            >
              Newest
            </a>
          </li>
        </ul>
      </nav>
    </div>
  );
}

function EmptyFeed({ period, calendar }: Pick<FeedViewProps, "period" | "calendar">) {
  if (!calendar.last) {
    return (
      <div class="empty">
        <p>No papers yet.</p>
        <p class="muted">
          Load some with <code>paperboy ingest hf-daily PATH</code> or <code>paperboy ingest file PATH</code>.
        </p>
      </div>
    );
  }
  const nearest = [calendar.previous, calendar.next].filter((d): d is string => d !== null);
  return (
    <div class="empty">
      <p>{`No papers in this ${period.kind}.`}</p>
      <p>
        {nearest.length > 0 ? "Nearest days with papers: " : null}
        {nearest.map((day, i) => (
          <>
            {i > 0 ? " and " : ""}
            <a href={paths.day(day)}>{formatDay(day)}</a>
          </>
        ))}
        {nearest.length > 0 ? ". " : null}
        <a href={paths.day(calendar.last)}>Newest papers</a>
      </p>
    </div>
  );
}

const followingFeeds: Record<PeriodKind, FeedRef> = {
  day: feeds.rolling("daily"),
  week: feeds.rolling("weekly"),
  month: feeds.rolling("monthly"),
};

/** A day, week or month of the feed. */
export function FeedView(props: FeedViewProps) {
  const { period, calendar } = props;
  const { title, subtitle } = heading(period);
  const pageCount = Math.ceil(props.total / props.pageSize);
  const path = periodPath(period.kind, period.kind === "day" ? period.key : period.range.from);
  return (
    <Layout
      site={props.site}
      title={`${title}: ${subtitle}`}
      description={`${plural(props.total, "paper")} on the ${props.site.name} feed, ${subtitle}.`}
      canonicalPath={withQuery(path, props.sort, props.page)}
      section="papers"
      feeds={[followingFeeds[period.kind]]}
    >
      <h1>{title}</h1>
      <p class="muted">
        {subtitle} · {plural(props.total, "paper")}
      </p>
      <FeedToolbar period={period} sort={props.sort} calendar={calendar} />
      {period.kind !== "day" && calendar.days.length > 0 ? (
        <nav class="days-scroller" aria-label="Days">
          <ul class="days">
            {calendar.days.map(({ day, papers }) => (
              <li>
                <a class="pill" href={paths.day(day)}>
                  {`${formatShortDay(day)} · ${papers}`}
                  <span class="visually-hidden">{` papers on ${formatDay(day)}`}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {props.items.length === 0 ? (
        <EmptyFeed period={period} calendar={calendar} />
      ) : (
        <PaperCards
          papers={props.items.map((item) => ({ paper: item.paper, submitter: submitterOf(item.submittedBy) }))}
        />
      )}
      <Pager page={props.page} pageCount={pageCount} href={(n) => withQuery(path, props.sort, n)} />
    </Layout>
  );
}
