import type { Generated, Insertable, Selectable } from "kysely";

/**
 * Tables as Kysely sees them. JSON is kept in text columns on both databases so rows read
 * back identically; timestamps are ISO-8601 UTC strings, which sort correctly as text.
 */
export interface PapersTable {
  /** Surrogate integer key: full-text and vector indexes need a stable integer rowid. */
  pk: Generated<number>;
  /** Versionless arXiv id, e.g. 2501.00010 or hep-th/9901001. */
  id: string;
  version: number | null;
  /** JSON: [{version, created}] */
  versions: string | null;
  title: string;
  abstract: string;
  /** JSON: [{name, affiliation?, hfId?}] in paper order. */
  authors: string;
  /** Author names joined with ", ": indexed for full-text search. */
  author_names: string;
  /** Space-separated arXiv categories, primary first. */
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  submitter: string | null;
  published_at: string;
  updated_at: string | null;
  github_repo: string | null;
  project_page: string | null;
  upvotes: number;
  num_comments: number;
  /** Time-decayed popularity, stored on every write; see store/trending.ts. */
  trending_score: number;
  /** JSON of Hugging Face-only fields (discussionId, ai_summary, …), null when none. */
  hf_meta: string | null;
  /** Hash of the stored content: lets a re-ingest tell unchanged papers from updated ones. */
  content_hash: string;
}

export interface PaperAuthorsTable {
  paper_id: string;
  position: number;
  name: string;
  /** The paper's published_at, so an author's papers are read newest first from an index. */
  published_at: Generated<string>;
}

export interface PaperCategoriesTable {
  paper_id: string;
  category: string;
  position: number;
  /** The paper's published_at, so a category's papers are read newest first from an index. */
  published_at: Generated<string>;
}

export interface FeedEntriesTable {
  paper_id: string;
  /** YYYY-MM-DD, an America/New_York day. */
  feed_date: string;
  source: string;
  /** JSON in the Hugging Face `submittedBy` shape, null when unknown. */
  submitted_by: string | null;
}

export interface IngestStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface DataVersionTable {
  id: number;
  version: number;
  papers: number;
}

export interface Database {
  papers: PapersTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  feed_entries: FeedEntriesTable;
  ingest_state: IngestStateTable;
  data_version: DataVersionTable;
}

export type PaperRow = Selectable<PapersTable>;

/**
 * The columns a paper is read back from, for `select`: `selectAll` would also fetch what the
 * databases keep for search alone, such as PostgreSQL's search_vector (about 2 kB a paper). Kept
 * as an object so that the compiler notices a column missing from it.
 */
const paperRowColumnSet: Record<keyof PapersTable, true> = {
  pk: true,
  id: true,
  version: true,
  versions: true,
  title: true,
  abstract: true,
  authors: true,
  author_names: true,
  categories: true,
  primary_category: true,
  comment: true,
  journal_ref: true,
  doi: true,
  license: true,
  submitter: true,
  published_at: true,
  updated_at: true,
  github_repo: true,
  project_page: true,
  upvotes: true,
  num_comments: true,
  trending_score: true,
  hf_meta: true,
  content_hash: true,
};
export const paperRowColumns = Object.keys(paperRowColumnSet) as (keyof PapersTable)[];
export type NewPaperRow = Insertable<PapersTable>;
