import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Paper } from "../papers/paper.ts";
import type { AuthorRecord, HfMeta, VersionRecord } from "../papers/record.ts";
import { type Database, type NewPaperRow, type PaperRow, paperRowColumns } from "./schema.ts";

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
