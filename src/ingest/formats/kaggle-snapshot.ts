import { newYorkDate } from "../../calendar/new-york.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AuthorRecord, PaperRecord, VersionRecord } from "../../papers/record.ts";
import { toIsoTimestamp } from "../dates.ts";
import { RecordError } from "../errors.ts";
import { findLinks } from "../links.ts";
import { collapse, optionalText, requiredText, texToUnicode } from "../text.ts";

/** True for a line of the arXiv metadata snapshot published on Kaggle. */
export function isKaggleSnapshot(line: Record<string, unknown>): boolean {
  return (
    typeof line.categories === "string" && ("versions" in line || "authors_parsed" in line || "update_date" in line)
  );
}

function parseAuthors(parsed: unknown, flat: unknown): AuthorRecord[] {
  if (Array.isArray(parsed) && parsed.length) {
    return parsed.map((entry, i) => {
      if (!Array.isArray(entry) || typeof entry[0] !== "string")
        throw new RecordError(`authors_parsed[${i}] is not [last, first, suffix]`);
      const [last, first, suffix, ...affiliations] = entry as string[];
      const name = collapse(texToUnicode([first, last, suffix].filter((p) => p?.trim()).join(" ")));
      const affiliation = affiliations.filter((a) => typeof a === "string" && a.trim()).join("; ");
      return affiliation ? { name, affiliation: collapse(texToUnicode(affiliation)) } : { name };
    });
  }
  if (typeof flat === "string") {
    return flat
      .split(/,\s*|\s+and\s+/)
      .map((name) => collapse(texToUnicode(name)))
      .filter(Boolean)
      .map((name) => ({ name }));
  }
  throw new RecordError("authors is missing");
}

function parseVersions(value: unknown): VersionRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map((v, i) => {
    const number = /^v(\d+)$/.exec(String((v as { version?: unknown })?.version ?? ""));
    if (!number)
      throw new RecordError(`versions[${i}].version "${String((v as { version?: unknown })?.version)}" is not like v1`);
    return {
      version: Number(number[1]),
      created: toIsoTimestamp((v as { created?: unknown }).created, `versions[${i}].created`),
    };
  });
}

/** One line of the Kaggle snapshot (`arxiv-metadata-oai-snapshot.json`) as a paper record. */
export function parseKaggleSnapshot(line: Record<string, unknown>): PaperRecord {
  const parsedId = typeof line.id === "string" ? parseArxivId(line.id) : null;
  if (!parsedId) throw new RecordError(`id ${JSON.stringify(line.id)} is not an arXiv id`);
  const versions = parseVersions(line.versions);
  const abstract = requiredText(line.abstract, "abstract");
  const comment = optionalText(line.comments, "comments");
  const categories = requiredText(line.categories, "categories").split(" ");
  const publishedAt = versions[0]?.created ?? toIsoTimestamp(line.update_date, "update_date");
  const links = findLinks(abstract, comment);
  return {
    id: parsedId.id,
    title: requiredText(line.title, "title"),
    abstract,
    authors: parseAuthors(line.authors_parsed, line.authors),
    categories,
    version: versions.at(-1)?.version ?? parsedId.version ?? undefined,
    versions,
    comment,
    journalRef: optionalText(line["journal-ref"], "journal-ref"),
    doi: optionalText(line.doi, "doi"),
    license: optionalText(line.license, "license"),
    submitter: optionalText(line.submitter, "submitter"),
    publishedAt,
    updatedAt: versions.at(-1)?.created,
    ...links,
    feed: { date: newYorkDate(publishedAt), source: "arxiv" },
  };
}
