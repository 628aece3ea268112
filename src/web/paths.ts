import { paperPath } from "../papers/links.ts";

/** URLs of the site's pages, in one place so links and routes agree. */
export const paths = {
  home: () => "/",
  day: (day: string) => `/papers/date/${day}`,
  week: (week: string) => `/papers/week/${week}`,
  month: (month: string) => `/papers/month/${month}`,
  trending: () => "/papers/trending",
  paper: paperPath,
  bibtex: (id: string) => `${paperPath(id)}.bib`,
  similar: (id: string) => `${paperPath(id)}#similar-papers`,
  /** The paper's social card (og:image); `version` changes with what the card shows, so it can be cached for good. */
  socialCard: (id: string, version: string) => `${paperPath(id)}.png?v=${version}`,
  author: (name: string) => `/authors/${encodeURIComponent(name)}`,
  categories: () => "/categories",
  category: (category: string) => `/categories/${encodeURIComponent(category)}`,
  search: () => "/search",
  docs: () => "/docs",
};

const dayFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  month: "short",
  day: "numeric",
  year: "numeric",
});
const longDayFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  weekday: "long",
  month: "long",
  day: "numeric",
  year: "numeric",
});
const monthFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "long", year: "numeric" });
const shortDayFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", day: "numeric" });

const utcNoon = (day: string) => new Date(`${day}T12:00:00Z`);

/** "May 28, 2026" for a YYYY-MM-DD day. */
export const formatDay = (day: string) => dayFormat.format(utcNoon(day));
/** "Thursday, May 28, 2026". */
export const formatLongDay = (day: string) => longDayFormat.format(utcNoon(day));
/** "Thu 28". */
export const formatShortDay = (day: string) => shortDayFormat.format(utcNoon(day));
/** "May 2026" for YYYY-MM. */
export const formatMonth = (month: string) => monthFormat.format(utcNoon(`${month}-01`));
/**
 * The date an arXiv timestamp names, written like formatDay. arXiv dates its versions in UTC
 * and a publication date is a calendar date (stored as its UTC midnight), so the UTC day is the
 * date itself: read in a reader's or New York's time zone it would move a day early.
 */
export const formatDate = (iso: string) => formatDay(dateOf(iso));
/** The YYYY-MM-DD date an arXiv timestamp names (see formatDate), for a <time datetime>. */
export const dateOf = (iso: string) => new Date(iso).toISOString().slice(0, 10);

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/** An outside link we are willing to put in an href: http(s) only, so stored data can't smuggle `javascript:`. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
