import { noonUtc } from "../calendar/periods.ts";
import { paperPath } from "../papers/links.ts";
import { categoryLabel } from "./categories.ts";

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
  login: (next?: string) => (next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login"),
  logout: () => "/logout",
  signup: () => "/signup",
  reset: () => "/reset",
  settings: () => "/settings",
  submit: () => "/submit",
  upvote: (id: string) => `${paperPath(id)}/upvote`,
  comments: (id: string) => `${paperPath(id)}/comments`,
  comment: (paperId: string, commentId: number) => `${paperPath(paperId)}#comment-${commentId}`,
  commentAction: (commentId: number, action: "edit" | "delete" | "report") => `/comments/${commentId}/${action}`,
  /** Where a signed-in reader claims to be one of the paper's authors. */
  claim: (id: string) => `${paperPath(id)}/claim`,
  admin: (part?: "reports" | "claims" | "hidden" | "users" | "organizations" | "log" | "mail") =>
    part ? `/admin/${part}` : "/admin",
  adminOrganizationMembers: () => "/admin/organizations/members",
  /** Where a member links a paper they submitted to their organisation. */
  paperOrganization: (id: string) => `${paperPath(id)}/organization`,
  adminAction: (kind: "comments" | "claims" | "users", id: string, action: string) =>
    `/admin/${kind}/${encodeURIComponent(id)}/${action}`,
  /** Paper actions name the paper in a form field: old-style ids hold a slash. */
  adminPaperAction: (action: "hide" | "unhide" | "lock" | "unlock") => `/admin/papers/${action}`,
  /** Where a card's Save form posts: into a collection of the visitor's, or a new one. */
  save: () => "/collections/save",
  collection: (slug: string) => `/collections/${encodeURIComponent(slug)}`,
  collectionAction: (slug: string, action: "edit" | "delete" | "items") =>
    `/collections/${encodeURIComponent(slug)}/${action}`,
  user: (username: string) => `/users/${encodeURIComponent(username)}`,
  organization: (name: string) => `/organizations/${encodeURIComponent(name)}`,
  follow: () => "/follows",
  myFeed: () => "/my",
  profileSettings: () => "/settings/profile",
};

export type FeedFormat = "rss" | "atom";

/** A page's feed: `path` takes `.rss` or `.atom`, e.g. /feeds/daily or /authors/Ada%20Lovelace/feed. */
export interface FeedRef {
  title: string;
  path: string;
  /** Query string the feed takes, without `?` (a search's words). */
  query?: string;
}

export type RollingFeed = "daily" | "weekly" | "monthly" | "trending";

const rollingTitles: Record<RollingFeed, string> = {
  daily: "Daily papers",
  weekly: "Papers of the week",
  monthly: "Papers of the month",
  trending: "Trending papers",
};

/** The site's feeds, in one place so that pages announce the feeds that are served. */
export const feeds = {
  rolling: (kind: RollingFeed): FeedRef => ({ title: rollingTitles[kind], path: `/feeds/${kind}` }),
  author: (name: string): FeedRef => ({ title: `Papers by ${name}`, path: `${paths.author(name)}/feed` }),
  category: (category: string): FeedRef => ({
    title: categoryLabel(category),
    path: `${paths.category(category)}/feed`,
  }),
  organization: (name: string, shown: string): FeedRef => ({
    title: `Papers from ${shown}`,
    path: `${paths.organization(name)}/feed`,
  }),
  collection: (slug: string, title: string): FeedRef => ({
    title: `Papers in the collection “${title}”`,
    path: `${paths.collection(slug)}/feed`,
  }),
  /** The signed-in reader's My feed, opened by the secret in its address (`token`). */
  myFeed: (token: string): FeedRef => ({
    title: "My feed",
    path: `${paths.myFeed()}/feed`,
    query: new URLSearchParams({ token }).toString(),
  }),
  search: (q: string): FeedRef => ({
    title: `Search: ${q}`,
    path: `${paths.search()}/feed`,
    query: new URLSearchParams({ q }).toString(),
  }),
};

export const feedUrl = (feed: FeedRef, format: FeedFormat) =>
  `${feed.path}.${format}${feed.query ? `?${feed.query}` : ""}`;

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

/** "May 28, 2026" for a YYYY-MM-DD day. */
export const formatDay = (day: string) => dayFormat.format(noonUtc(day));
/** "Thursday, May 28, 2026". */
export const formatLongDay = (day: string) => longDayFormat.format(noonUtc(day));
/** "Thu 28". */
export const formatShortDay = (day: string) => shortDayFormat.format(noonUtc(day));
/** "May 2026" for YYYY-MM. */
export const formatMonth = (month: string) => monthFormat.format(noonUtc(`${month}-01`));
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
