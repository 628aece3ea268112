import { newYorkDate } from "../calendar/new-york.ts";
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
  author: (name: string) => `/authors/${encodeURIComponent(name)}`,
  category: (category: string) => `/categories/${encodeURIComponent(category)}`,
  search: () => "/search",
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
/** The New York day of an instant, written like formatDay. */
export const formatInstant = (iso: string) => formatDay(newYorkDate(iso));

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
