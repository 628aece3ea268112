import type { Context } from "hono";
import { submittedByOf } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import type { NamedOrganization } from "../papers/organization.ts";
import type { Paper } from "../papers/paper.ts";
import type { ClaimedAuthor, FeedItem } from "../store/index.ts";
import type { HfDailyPaper, HfPaper } from "./schemas.ts";

/** Where and by whom a paper was put on the daily feed, when it is on it. */
export type FeedPlacement = Pick<FeedItem, "feedDate" | "submittedBy">;

const iso = (timestamp: string) => new Date(timestamp).toISOString();

const newYorkClock = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/**
 * Hugging Face's item-level `publishedAt` is the paper's `publishedAt` written as New York
 * wall-clock time but labelled UTC (true of every archived day since March 2025, e.g.
 * 2026-08-20T00:00:00Z → 2026-08-19T20:00:00Z). Reproduced so clients see the same values.
 */
function newYorkWallClockLabelledUtc(timestamp: string): string {
  const date = new Date(timestamp);
  const part = Object.fromEntries(newYorkClock.formatToParts(date).map((p) => [p.type, p.value]));
  const millis = String(date.getUTCMilliseconds()).padStart(3, "0");
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}.${millis}Z`;
}

/**
 * Hugging Face repeats the submitter inside the paper in a slightly different shape
 * (`user` for the name, without follower counts): derived from the same stored user.
 */
function submittedOnDailyBy(submittedBy: Record<string, unknown>): Record<string, unknown> {
  const { _id, avatarUrl, isPro, fullname, name, type } = submittedBy;
  const projected: Record<string, unknown> = { _id, avatarUrl, isPro, fullname, user: name, type, name };
  return Object.fromEntries(Object.entries(projected).filter(([, value]) => value !== undefined));
}

/** What this site knows of a paper beyond Hugging Face's data, in the shapes Hugging Face would give it. */
export interface LocalFacts {
  /** Authors claimed here, by their place in the list: what Hugging Face calls verified authors. */
  claimed: ClaimedAuthor[];
  /** The organisation the paper is credited to, Hugging Face's or one a member linked. */
  organization: NamedOrganization | null;
  baseUrl: string;
}

const nothingLocal: LocalFacts = { claimed: [], organization: null, baseUrl: "" };

/** The claimed authors and organisations of a page of papers, looked up once, for `toHfPaper` and `toHfDailyPaper`. */
export async function localFactsOf(c: Context<AppEnv>, papers: Paper[]): Promise<(paper: Paper) => LocalFacts> {
  const ids = papers.map((p) => p.id);
  const [claimed, organizations] = await Promise.all([
    c.get("community").claims.claimedAuthors(ids),
    c.get("app").store.organizations.ofPapers(ids),
  ]);
  const { baseUrl } = c.get("app").config;
  return (paper) => ({
    claimed: claimed.get(paper.id) ?? [],
    organization: organizations.get(paper.id) ?? null,
    baseUrl,
  });
}

/** The organisation in Hugging Face's shape: theirs as they gave it, else the one linked here. */
function hfOrganization(paper: Paper, { organization }: LocalFacts): { organization?: Record<string, unknown> } {
  if (paper.hf.organization) return { organization: paper.hf.organization };
  if (!organization) return {};
  const { name, fullname, avatar } = organization;
  return { organization: { name, ...(fullname ? { fullname } : {}), ...(avatar ? { avatar } : {}) } };
}

/** A paper's authors in Hugging Face's shape; a claimed one carries its account as `user`, like theirs. */
function hfAuthors(paper: Paper, { claimed, baseUrl }: LocalFacts) {
  const byPosition = new Map(claimed.map((c) => [c.position, c]));
  return paper.authors.map((a, position) => {
    const claim = byPosition.get(position);
    return {
      ...(a.hfId ? { _id: a.hfId } : {}),
      ...(claim ? { user: submittedOnDailyBy(submittedByOf(claim.user, baseUrl)) } : {}),
      name: a.name,
      ...(claim ? { status: "claimed_verified" as const, statusLastChangedAt: iso(claim.approvedAt) } : {}),
      hidden: false,
    };
  });
}

/**
 * The flat paper of `GET /api/papers/{id}` and the `paper` of a daily item. Keys we have no
 * value for are left out, as Hugging Face leaves them out; key order follows theirs.
 */
export function toHfPaper(paper: Paper, placement: FeedPlacement | null, local = nothingLocal): HfPaper {
  const { hf } = paper;
  const submittedOnDailyAt = hf.submittedOnDailyAt ?? (placement ? `${placement.feedDate}T00:00:00.000Z` : undefined);
  return {
    id: paper.id,
    // Paperboy has no way to hide an author, so none is hidden.
    authors: hfAuthors(paper, local),
    ...(hf.mediaUrls ? { mediaUrls: hf.mediaUrls } : {}),
    publishedAt: iso(paper.publishedAt),
    ...(placement && submittedOnDailyAt ? { submittedOnDailyAt } : {}),
    title: paper.title,
    ...(placement?.submittedBy ? { submittedOnDailyBy: submittedOnDailyBy(placement.submittedBy) } : {}),
    summary: paper.abstract,
    upvotes: paper.upvotes,
    ...(hf.discussionId ? { discussionId: hf.discussionId } : {}),
    ...(paper.projectPage ? { projectPage: paper.projectPage } : {}),
    ...(paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
    ...(paper.githubRepo && hf.githubRepoAddedBy ? { githubRepoAddedBy: hf.githubRepoAddedBy } : {}),
    ...(hf.aiSummary ? { ai_summary: hf.aiSummary } : {}),
    ...(hf.aiKeywords ? { ai_keywords: hf.aiKeywords } : {}),
    ...(hf.aiSummary && hf.aiSummaryModel ? { ai_summary_model: hf.aiSummaryModel } : {}),
    ...(hf.githubStars !== undefined ? { githubStars: hf.githubStars } : {}),
    ...hfOrganization(paper, local),
  };
}

/** One item of `GET /api/daily_papers` and `GET /api/papers/search`. */
export function toHfDailyPaper(paper: Paper, placement: FeedPlacement | null, local = nothingLocal): HfDailyPaper {
  const { hf } = paper;
  return {
    paper: toHfPaper(paper, placement, local),
    publishedAt: newYorkWallClockLabelledUtc(paper.publishedAt),
    title: paper.title,
    summary: paper.abstract,
    ...(hf.mediaUrls ? { mediaUrls: hf.mediaUrls } : {}),
    ...(hf.thumbnail ? { thumbnail: hf.thumbnail } : {}),
    numComments: paper.numComments,
    ...(placement?.submittedBy ? { submittedBy: placement.submittedBy } : {}),
    ...hfOrganization(paper, local),
    // An author claimed here takes part, as does one Hugging Face says does.
    isAuthorParticipating: local.claimed.length > 0 || (hf.isAuthorParticipating ?? false),
  };
}
