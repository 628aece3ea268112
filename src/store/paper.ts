import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuthorRecord, HfMeta, PaperRecord, VersionRecord } from "../ingest/record.ts";
import { type Database, type NewPaperRow, type PaperRow, paperRowColumns } from "./schema.ts";
import { trendingScore } from "./trending.ts";

/** A stored paper as the rest of Paperboy sees it. */
export interface Paper {
  id: string;
  version: number | null;
  versions: VersionRecord[];
  title: string;
  abstract: string;
  authors: AuthorRecord[];
  /** Primary first. */
  categories: string[];
  primaryCategory: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  submitter: string | null;
  publishedAt: string;
  updatedAt: string | null;
  githubRepo: string | null;
  projectPage: string | null;
  /** Hugging Face's upvotes plus the votes cast here. */
  upvotes: number;
  /** Hugging Face's comment count plus the comments made here. */
  numComments: number;
  /** The part of `upvotes` cast here; a re-ingest replaces only the rest. */
  localUpvotes: number;
  /** The part of `numComments` made here. */
  localComments: number;
  trendingScore: number;
  hf: HfMeta;
}

/** The stored papers with these ids, in the order of `ids` (ids not stored are left out). */
export async function papersByIds(db: Kysely<Database>, ids: string[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("papers").select(paperRowColumns).where("id", "in", ids).execute();
  const byId = new Map(rows.map((row) => [row.id, rowToPaper(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function rowToPaper(row: PaperRow): Paper {
  return {
    id: row.id,
    version: row.version,
    versions: row.versions ? (JSON.parse(row.versions) as VersionRecord[]) : [],
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as AuthorRecord[],
    categories: row.categories === "" ? [] : row.categories.split(" "),
    primaryCategory: row.primary_category,
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    license: row.license,
    submitter: row.submitter,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    githubRepo: row.github_repo,
    projectPage: row.project_page,
    upvotes: row.upvotes,
    numComments: row.num_comments,
    localUpvotes: row.local_upvotes,
    localComments: row.local_comments,
    trendingScore: row.trending_score,
    hf: row.hf_meta ? (JSON.parse(row.hf_meta) as HfMeta) : {},
  };
}

function mergeVersions(a: VersionRecord[], b: VersionRecord[] | undefined): VersionRecord[] {
  if (!b?.length) return a;
  const byNumber = new Map(a.map((v) => [v.version, v]));
  for (const v of b) byNumber.set(v.version, v);
  return [...byNumber.values()].sort((x, y) => x.version - y.version);
}

/** Keeps affiliations and HF ids another source gave for the same author slot. */
function mergeAuthors(winner: AuthorRecord[], other: AuthorRecord[]): AuthorRecord[] {
  return winner.map((author, i) => {
    const match = other[i]?.name === author.name ? other[i] : other.find((o) => o.name === author.name);
    const merged: AuthorRecord = { name: author.name };
    const affiliation = author.affiliation ?? match?.affiliation;
    const hfId = author.hfId ?? match?.hfId;
    if (affiliation) merged.affiliation = affiliation;
    if (hfId) merged.hfId = hfId;
    return merged;
  });
}

/**
 * Combines what is stored with what a source says now. A record of an older version than the
 * stored one only fills gaps; otherwise it wins field by field, and fields it does not know
 * keep their stored values, so sources can be ingested in any order.
 */
export function mergePaper(existing: Paper | null, record: PaperRecord): Paper {
  const wins =
    !existing || record.version === undefined || existing.version === null || record.version >= existing.version;
  const pick = <T>(incoming: T | undefined | null, stored: T | undefined | null): T | null =>
    (wins ? (incoming ?? stored) : (stored ?? incoming)) ?? null;

  const versions = mergeVersions(existing?.versions ?? [], record.versions);
  const first = versions.find((v) => v.version === 1);
  const last = versions.at(-1);
  const version = last?.version ?? Math.max(record.version ?? 0, existing?.version ?? 0);
  const incomingAuthors = record.authors?.length ? record.authors : undefined;
  const winnerAuthors = pick(incomingAuthors, existing?.authors) ?? [];
  const otherAuthors = (winnerAuthors === incomingAuthors ? existing?.authors : incomingAuthors) ?? [];
  const categories = pick(record.categories?.length ? record.categories : undefined, existing?.categories) ?? [];
  const publishedAt =
    first?.created ?? existing?.publishedAt ?? record.publishedAt ?? last?.created ?? "1970-01-01T00:00:00.000Z";
  // Sources report Hugging Face's counts; what was added here (store/votes.ts, store/comments.ts) stays on top.
  const localUpvotes = existing?.localUpvotes ?? 0;
  const localComments = existing?.localComments ?? 0;
  const upvotes = (record.upvotes ?? (existing ? existing.upvotes - localUpvotes : 0)) + localUpvotes;
  const numComments = (record.numComments ?? (existing ? existing.numComments - localComments : 0)) + localComments;

  return {
    id: record.id,
    version: version > 0 ? version : null,
    versions,
    title: pick(record.title, existing?.title) ?? "",
    abstract: pick(record.abstract, existing?.abstract) ?? "",
    authors: mergeAuthors(winnerAuthors, otherAuthors),
    categories,
    primaryCategory: categories[0] ?? null,
    comment: pick(record.comment, existing?.comment),
    journalRef: pick(record.journalRef, existing?.journalRef),
    doi: pick(record.doi, existing?.doi),
    license: pick(record.license, existing?.license),
    submitter: pick(record.submitter, existing?.submitter),
    publishedAt,
    updatedAt: last && last.version > 1 ? last.created : (record.updatedAt ?? existing?.updatedAt ?? null),
    githubRepo: record.githubRepo ?? existing?.githubRepo ?? null,
    projectPage: record.projectPage ?? existing?.projectPage ?? null,
    upvotes,
    numComments,
    localUpvotes,
    localComments,
    trendingScore: trendingScore(upvotes, publishedAt),
    hf: { ...existing?.hf, ...record.hf },
  };
}

/**
 * The columns an ingest writes. local_upvotes and local_comments are not among them: only votes
 * and comments change those. The content hash covers what sources say, so votes never make a
 * re-ingested paper look changed.
 */
export function paperToRow(
  paper: Paper,
): Omit<NewPaperRow, "pk" | "local_upvotes" | "local_comments"> & { content_hash: string } {
  const row = {
    id: paper.id,
    version: paper.version,
    versions: paper.versions.length ? JSON.stringify(paper.versions) : null,
    title: paper.title,
    abstract: paper.abstract,
    authors: JSON.stringify(paper.authors),
    author_names: paper.authors.map((a) => a.name).join(", "),
    categories: paper.categories.join(" "),
    primary_category: paper.primaryCategory,
    comment: paper.comment,
    journal_ref: paper.journalRef,
    doi: paper.doi,
    license: paper.license,
    submitter: paper.submitter,
    published_at: paper.publishedAt,
    updated_at: paper.updatedAt,
    github_repo: paper.githubRepo,
    project_page: paper.projectPage,
    upvotes: paper.upvotes,
    num_comments: paper.numComments,
    trending_score: paper.trendingScore,
    hf_meta: Object.keys(paper.hf).length ? JSON.stringify(paper.hf) : null,
  };
  const sourced = {
    ...row,
    upvotes: paper.upvotes - paper.localUpvotes,
    num_comments: paper.numComments - paper.localComments,
    trending_score: undefined,
  };
  return { ...row, content_hash: createHash("sha1").update(JSON.stringify(sourced)).digest("base64url") };
}
