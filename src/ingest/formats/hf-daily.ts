import { isCalendarDay } from "../../calendar/new-york.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { HfMeta, PaperRecord } from "../../papers/record.ts";
import { toIsoTimestamp } from "../dates.ts";
import { RecordError } from "../errors.ts";
import { collapse, requiredText } from "../text.ts";

/** True for an item of the Hugging Face `/api/daily_papers` response. */
export function isHfDailyItem(line: Record<string, unknown>): boolean {
  return typeof line.paper === "object" && line.paper !== null;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * One daily-papers item as a paper record on the feed. `fallbackDate` is the day of the file
 * it came from, used when the item itself carries no feed date.
 */
export function parseHfDailyItem(item: Json, fallbackDate?: string): PaperRecord {
  const paper = asObject(item.paper);
  if (!paper) throw new RecordError("paper is missing");
  const parsedId = typeof paper.id === "string" ? parseArxivId(paper.id) : null;
  if (!parsedId) throw new RecordError(`paper.id ${JSON.stringify(paper.id)} is not an arXiv id`);
  if (!Array.isArray(paper.authors)) throw new RecordError("paper.authors must be a list");
  const authors = paper.authors.map((a, i) => {
    const author = asObject(a);
    if (!author || typeof author.name !== "string") throw new RecordError(`paper.authors[${i}].name is missing`);
    return typeof author._id === "string"
      ? { name: collapse(author.name), hfId: author._id }
      : { name: collapse(author.name) };
  });

  const feedDate =
    (typeof item.feedDate === "string" ? item.feedDate : undefined) ??
    (typeof paper.submittedOnDailyAt === "string" ? paper.submittedOnDailyAt.slice(0, 10) : undefined) ??
    fallbackDate;
  if (!feedDate || !isCalendarDay(feedDate)) {
    throw new RecordError(
      `no feed date: feedDate ${JSON.stringify(item.feedDate ?? null)} and no paper.submittedOnDailyAt`,
    );
  }
  const upvotes = paper.upvotes;
  if (upvotes !== undefined && (typeof upvotes !== "number" || !Number.isInteger(upvotes) || upvotes < 0)) {
    throw new RecordError(`paper.upvotes ${JSON.stringify(upvotes)} is not a count`);
  }

  const hf: HfMeta = {};
  if (typeof paper.discussionId === "string") hf.discussionId = paper.discussionId;
  if (typeof paper.ai_summary === "string") hf.aiSummary = paper.ai_summary;
  if (Array.isArray(paper.ai_keywords))
    hf.aiKeywords = paper.ai_keywords.filter((k): k is string => typeof k === "string");
  if (typeof paper.githubStars === "number") hf.githubStars = paper.githubStars;
  const organization = asObject(paper.organization) ?? asObject(item.organization);
  if (organization) hf.organization = organization;
  const mediaUrls = paper.mediaUrls ?? item.mediaUrls;
  if (Array.isArray(mediaUrls)) hf.mediaUrls = mediaUrls.filter((u): u is string => typeof u === "string");
  if (typeof item.thumbnail === "string") hf.thumbnail = item.thumbnail;
  // Optional detail: a malformed one is dropped rather than failing the whole record.
  if (typeof paper.submittedOnDailyAt === "string" && !Number.isNaN(Date.parse(paper.submittedOnDailyAt)))
    hf.submittedOnDailyAt = new Date(paper.submittedOnDailyAt).toISOString();
  if (typeof paper.githubRepoAddedBy === "string") hf.githubRepoAddedBy = paper.githubRepoAddedBy;
  if (typeof paper.ai_summary_model === "string") hf.aiSummaryModel = paper.ai_summary_model;
  if (typeof item.isAuthorParticipating === "boolean") hf.isAuthorParticipating = item.isAuthorParticipating;

  const submittedBy = asObject(item.submittedBy) ?? asObject(paper.submittedOnDailyBy) ?? null;
  return {
    id: parsedId.id,
    title: requiredText(paper.title ?? item.title, "paper.title"),
    abstract: requiredText(paper.summary ?? item.summary, "paper.summary"),
    authors,
    publishedAt: toIsoTimestamp(paper.publishedAt ?? item.publishedAt, "paper.publishedAt"),
    ...(typeof paper.githubRepo === "string" && paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
    ...(typeof paper.projectPage === "string" && paper.projectPage ? { projectPage: paper.projectPage } : {}),
    ...(typeof upvotes === "number" ? { upvotes } : {}),
    ...(typeof item.numComments === "number" ? { numComments: item.numComments } : {}),
    hf,
    feed: { date: feedDate, source: "hf", submittedBy },
  };
}
