import type { AuthorRecord, HfMeta, PaperRecord, VersionRecord } from "./record.ts";
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
