import { isCalendarDay, newYorkDate } from "../../calendar/new-york.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AuthorRecord, PaperRecord } from "../../papers/record.ts";
import { toIsoTimestamp } from "../dates.ts";
import { RecordError } from "../errors.ts";
import { findLinks } from "../links.ts";
import { collapse, optionalText, requiredText, texToUnicode } from "../text.ts";
import { attributeOf, elementOf, elementsOf, parseXml, textOf, type XmlElement } from "./xml.ts";

/** An `<error code="…">` answer from an OAI-PMH server (other than noRecordsMatch, which means "none"). */
export class OaiProtocolError extends Error {
  override name = "OaiProtocolError";
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`the OAI-PMH server answered ${code}${detail ? `: ${detail}` : ""}`);
  }
}

/** One `<record>` of a ListRecords page: a paper, or why it could not be read. Deleted records are left out. */
export type OaiEntry = { identifier?: string } & ({ record: PaperRecord } | { error: string });

export interface OaiPage {
  entries: OaiEntry[];
  /** Token for the next page; null when this page is the last. */
  resumptionToken: string | null;
  /** Index of this page's first record in the whole list, when the server says. */
  cursor?: number;
  completeListSize?: number;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function parseAuthor(author: XmlElement, index: number): AuthorRecord {
  const keyname = textOf(author.keyname);
  if (!keyname?.trim()) throw new RecordError(`authors/author[${index + 1}] has no keyname`);
  const name = [textOf(author.forenames), keyname, textOf(author.suffix)].filter((part) => part?.trim()).join(" ");
  const affiliation = elementsOf(author, "affiliation")
    .map((a) => collapse(texToUnicode(textOf(a) ?? "")))
    .filter(Boolean)
    .join("; ");
  const parsed: AuthorRecord = { name: collapse(texToUnicode(name)) };
  if (affiliation) parsed.affiliation = affiliation;
  return parsed;
}

/**
 * The `<arXiv>` metadata element (metadataPrefix=arXiv, schema http://arxiv.org/OAI/arXiv/) as a
 * paper record. The format names no version numbers, so `version` stays unknown.
 */
export function parseArxivOaiMetadata(metadata: XmlElement): PaperRecord {
  const rawId = textOf(metadata.id);
  const parsedId = rawId ? parseArxivId(rawId) : null;
  if (!parsedId) throw new RecordError(rawId ? `id "${rawId}" is not an arXiv id` : "id is missing");
  const created = textOf(metadata.created);
  const publishedAt = toIsoTimestamp(created, "created");
  const updated = textOf(metadata.updated);
  const authors = elementsOf(elementOf(metadata, "authors"), "author").map(parseAuthor);
  if (authors.length === 0) throw new RecordError("authors is missing");
  const abstract = requiredText(textOf(metadata.abstract), "abstract");
  const comment = optionalText(textOf(metadata.comments), "comments");
  return {
    id: parsedId.id,
    title: requiredText(textOf(metadata.title), "title"),
    abstract,
    authors,
    categories: requiredText(textOf(metadata.categories), "categories").split(" "),
    comment,
    journalRef: optionalText(textOf(metadata["journal-ref"]), "journal-ref"),
    doi: optionalText(textOf(metadata.doi), "doi"),
    license: optionalText(textOf(metadata.license), "license"),
    publishedAt,
    ...(updated?.trim() ? { updatedAt: toIsoTimestamp(updated, "updated") } : {}),
    ...findLinks(abstract, comment),
    // `created` is a bare calendar day: reading it as UTC midnight would put it on the previous New York day.
    feed: {
      date: created && isCalendarDay(created.trim()) ? created.trim() : newYorkDate(publishedAt),
      source: "arxiv",
    },
  };
}

function parseRecord(record: XmlElement): OaiEntry | null {
  const header = elementOf(record, "header");
  const identifier = textOf(header?.identifier)?.trim() || undefined;
  if (attributeOf(header, "status") === "deleted") return null;
  const metadata = elementOf(elementOf(record, "metadata"), "arXiv");
  if (!metadata) return { identifier, error: "record has no <arXiv> metadata (was metadataPrefix=arXiv used?)" };
  try {
    return { identifier, record: parseArxivOaiMetadata(metadata) };
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return { identifier, error: error.message };
  }
}

/**
 * One OAI-PMH ListRecords response. Throws OaiProtocolError for an OAI error answer, and a
 * plain Error when the text is not an OAI-PMH document at all.
 */
export function parseOaiPage(xml: string): OaiPage {
  let document: XmlElement;
  try {
    document = parseXml(xml, ["record", "author", "affiliation", "error"]);
  } catch (error) {
    throw new Error(`the OAI-PMH answer is not well-formed XML (${(error as Error).message})`);
  }
  const root = elementOf(document, "OAI-PMH");
  if (!root) throw new Error("the answer is not an OAI-PMH document (no <OAI-PMH> root element)");
  const errors = elementsOf(root, "error");
  if (errors.length) {
    if (errors.every((e) => attributeOf(e, "code") === "noRecordsMatch")) return { entries: [], resumptionToken: null };
    const first = errors.find((e) => attributeOf(e, "code") !== "noRecordsMatch") ?? {};
    throw new OaiProtocolError(attributeOf(first, "code") ?? "an error", collapse(textOf(first) ?? ""));
  }
  const list = elementOf(root, "ListRecords");
  if (!list) throw new Error("the OAI-PMH answer has neither <ListRecords> nor <error>");
  const token = list.resumptionToken;
  return {
    entries: elementsOf(list, "record").flatMap((r) => parseRecord(r) ?? []),
    resumptionToken: textOf(token)?.trim() || null,
    cursor: optionalNumber(attributeOf(token, "cursor")),
    completeListSize: optionalNumber(attributeOf(token, "completeListSize")),
  };
}
