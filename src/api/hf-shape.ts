import type { Paper } from "../papers/paper.ts";
import type { FeedItem } from "../store/index.ts";
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

/**
 * The flat paper of `GET /api/papers/{id}` and the `paper` of a daily item. Keys we have no
 * value for are left out, as Hugging Face leaves them out; key order follows theirs.
 */
export function toHfPaper(paper: Paper, placement: FeedPlacement | null): HfPaper {
  const { hf } = paper;
  const submittedOnDailyAt = hf.submittedOnDailyAt ?? (placement ? `${placement.feedDate}T00:00:00.000Z` : undefined);
  return {
    id: paper.id,
    // Paperboy has no way to hide an author, so none is hidden.
    authors: paper.authors.map((a) =>
      a.hfId ? { _id: a.hfId, name: a.name, hidden: false } : { name: a.name, hidden: false },
    ),
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
    ...(hf.organization ? { organization: hf.organization } : {}),
  };
}

/** One item of `GET /api/daily_papers` and `GET /api/papers/search`. */
export function toHfDailyPaper(paper: Paper, placement: FeedPlacement | null): HfDailyPaper {
  const { hf } = paper;
  return {
    paper: toHfPaper(paper, placement),
    publishedAt: newYorkWallClockLabelledUtc(paper.publishedAt),
    title: paper.title,
    summary: paper.abstract,
    ...(hf.mediaUrls ? { mediaUrls: hf.mediaUrls } : {}),
    ...(hf.thumbnail ? { thumbnail: hf.thumbnail } : {}),
    numComments: paper.numComments,
    ...(placement?.submittedBy ? { submittedBy: placement.submittedBy } : {}),
    ...(hf.organization ? { organization: hf.organization } : {}),
    // No author can claim a paper on Paperboy: only Hugging Face's own answer can say true.
    isAuthorParticipating: hf.isAuthorParticipating ?? false,
  };
}
