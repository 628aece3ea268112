import { isCalendarDay } from "../../calendar/new-york.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { PaperRecord } from "../../papers/record.ts";
import { RecordError } from "../errors.ts";
import { findLinks } from "../links.ts";
import { collapse, optionalText, requiredText } from "../text.ts";

/**
 * The compact listing format of `shared/data/arxiv/papers.jsonl.gz`:
 * `{id, title, abstract, authors[], categories[], comment, published: "YYYY-MM-DD"}`,
 * where `published` is the day the paper was announced in arXiv's "new" listing.
 */
export function isArxivListing(line: Record<string, unknown>): boolean {
  return Array.isArray(line.categories) && typeof line.published === "string";
}

export function parseArxivListing(line: Record<string, unknown>): PaperRecord {
  const parsedId = typeof line.id === "string" ? parseArxivId(line.id) : null;
  if (!parsedId) throw new RecordError(`id ${JSON.stringify(line.id)} is not an arXiv id`);
  const published = String(line.published);
  if (!isCalendarDay(published)) throw new RecordError(`published "${published}" is not a YYYY-MM-DD date`);
  if (!Array.isArray(line.authors) || line.authors.some((a) => typeof a !== "string")) {
    throw new RecordError("authors must be a list of names");
  }
  const categories = (line.categories as unknown[]).filter((c): c is string => typeof c === "string" && c !== "");
  const abstract = requiredText(line.abstract, "abstract");
  const comment = optionalText(line.comment, "comment");
  return {
    id: parsedId.id,
    title: requiredText(line.title, "title"),
    abstract,
    authors: (line.authors as string[]).map((name) => ({ name: collapse(name) })).filter((a) => a.name),
    categories,
    ...(parsedId.version ? { version: parsedId.version } : {}),
    comment,
    publishedAt: `${published}T00:00:00.000Z`,
    ...findLinks(abstract, comment),
    feed: { date: published, source: "arxiv" },
  };
}
