import { newYorkDate } from "../../calendar/new-york.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AuthorRecord, PaperRecord, VersionRecord } from "../../papers/record.ts";
import { toIsoTimestamp } from "../dates.ts";
import { RecordError } from "../errors.ts";
import { findLinks } from "../links.ts";
import { collapse, optionalText, requiredText } from "../text.ts";
import { attributeOf, elementOf, elementsOf, parseXml, textOf, type XmlElement } from "./xml.ts";

/** The arXiv API answered a query with its error feed (one entry whose id is under /api/errors). */
export class ArxivApiError extends Error {
  override name = "ArxivApiError";
}

export type AtomEntry = { entryId?: string } & ({ record: PaperRecord } | { error: string });

export interface AtomPage {
  entries: AtomEntry[];
  /** opensearch:totalResults, the size of the whole result list, when given. */
  totalResults: number | null;
}

function parseAuthor(author: XmlElement, index: number): AuthorRecord {
  const name = collapse(textOf(author.name) ?? "");
  if (!name) throw new RecordError(`author[${index + 1}] has no name`);
  const affiliation = elementsOf(author, "affiliation")
    .map((a) => collapse(textOf(a) ?? ""))
    .filter(Boolean)
    .join("; ");
  return affiliation ? { name, affiliation } : { name };
}

/**
 * One Atom `<entry>` of the arXiv API. Its id is the abstract URL of the version returned
 * (`http://arxiv.org/abs/2501.00010v2`): `published` is when version 1 appeared and `updated`
 * when that version did.
 */
export function parseAtomEntry(entry: XmlElement): PaperRecord {
  const url = textOf(entry.id)?.trim();
  if (!url) throw new RecordError("id is missing");
  const parsedId = parseArxivId(url.replace(/^https?:\/\/(export\.)?arxiv\.org\/abs\//, ""));
  if (!parsedId) throw new RecordError(`id "${url}" is not an arXiv abstract URL`);
  const publishedAt = toIsoTimestamp(textOf(entry.published), "published");
  const updatedAt = toIsoTimestamp(textOf(entry.updated), "updated");
  const version = parsedId.version ?? undefined;
  const versions: VersionRecord[] = [{ version: 1, created: publishedAt }];
  if (version && version > 1) versions.push({ version, created: updatedAt });
  const authors = elementsOf(entry, "author").map(parseAuthor);
  if (authors.length === 0) throw new RecordError("author is missing");
  const primary = attributeOf(elementOf(entry, "primary_category"), "term");
  const terms = elementsOf(entry, "category").flatMap((c) => attributeOf(c, "term") ?? []);
  const categories = [...new Set([primary, ...terms].filter((c): c is string => Boolean(c?.trim())))];
  if (categories.length === 0) throw new RecordError("category is missing");
  const abstract = requiredText(textOf(entry.summary), "summary");
  const comment = optionalText(textOf(entry.comment), "arxiv:comment");
  return {
    id: parsedId.id,
    title: requiredText(textOf(entry.title), "title"),
    abstract,
    authors,
    categories,
    ...(version ? { version, versions } : {}),
    comment,
    journalRef: optionalText(textOf(entry.journal_ref), "arxiv:journal_ref"),
    doi: optionalText(textOf(entry.doi), "arxiv:doi"),
    publishedAt,
    updatedAt,
    ...findLinks(abstract, comment),
    feed: { date: newYorkDate(publishedAt), source: "arxiv" },
  };
}

/** One page of an arXiv API (`/api/query`) Atom feed. Throws ArxivApiError for the API's error feed. */
export function parseAtomPage(xml: string): AtomPage {
  let document: XmlElement;
  try {
    document = parseXml(xml, ["entry", "author", "affiliation", "category", "link"]);
  } catch (error) {
    throw new Error(`the arXiv API answer is not well-formed XML (${(error as Error).message})`);
  }
  const feed = elementOf(document, "feed");
  if (!feed) throw new Error("the arXiv API answer is not an Atom feed (no <feed> root element)");
  const entries = elementsOf(feed, "entry");
  const apiError = entries.find((e) => /\/api\/errors/.test(textOf(e.id) ?? ""));
  if (apiError)
    throw new ArxivApiError(`the arXiv API rejected the query: ${collapse(textOf(apiError.summary) ?? "")}`);
  const total = textOf(feed.totalResults)?.trim();
  return {
    totalResults: total && /^\d+$/.test(total) ? Number(total) : null,
    entries: entries.map((entry) => {
      const entryId = textOf(entry.id)?.trim() || undefined;
      try {
        return { entryId, record: parseAtomEntry(entry) };
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        return { entryId, error: error.message };
      }
    }),
  };
}
