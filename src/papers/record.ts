/**
 * The one shape every ingest source produces. Fields a source does not know are left
 * undefined, so merging a record into a stored paper keeps what other sources said.
 */
export interface AuthorRecord {
  name: string;
  affiliation?: string | null;
  /** Hugging Face's id for this author slot, kept so the HF-compatible API can echo it. */
  hfId?: string | null;
}

export interface VersionRecord {
  version: number;
  /** ISO-8601 UTC timestamp. */
  created: string;
}

/** Hugging Face feed details we keep verbatim for the HF-compatible API; never invented. */
export interface HfMeta {
  discussionId?: string;
  aiSummary?: string;
  aiKeywords?: string[];
  githubStars?: number;
  organization?: Record<string, unknown>;
  mediaUrls?: string[];
  thumbnail?: string;
  /** When the paper was put on the Hugging Face feed, ISO-8601 UTC. */
  submittedOnDailyAt?: string;
  githubRepoAddedBy?: string;
  aiSummaryModel?: string;
  isAuthorParticipating?: boolean;
}

export interface FeedRecord {
  /** The feed day, YYYY-MM-DD in America/New_York. */
  date: string;
  /** `arxiv`: placed by its announcement date; `hf`: picked for the Hugging Face feed; `user`: submitted here. */
  source: "arxiv" | "hf" | "user";
  /** Who put it on the feed, in the Hugging Face `submittedBy` shape when known. */
  submittedBy?: Record<string, unknown> | null;
}

export interface PaperRecord {
  /** Versionless arXiv id. */
  id: string;
  title: string;
  abstract?: string;
  authors?: AuthorRecord[];
  /** arXiv categories, primary first. */
  categories?: string[];
  version?: number;
  versions?: VersionRecord[];
  comment?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  license?: string | null;
  /** Name of the person who submitted it to arXiv. */
  submitter?: string | null;
  /** First version's date, ISO-8601 UTC. */
  publishedAt?: string;
  /** Latest version's date, ISO-8601 UTC. */
  updatedAt?: string;
  githubRepo?: string | null;
  projectPage?: string | null;
  upvotes?: number;
  numComments?: number;
  hf?: HfMeta;
  feed?: FeedRecord;
}
