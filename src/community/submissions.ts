import { newYorkDate } from "../calendar/new-york.ts";
import { fetchArxivPaper } from "../ingest/arxiv-api-source.ts";
import { type HttpOptions, RemoteSourceError } from "../ingest/http.ts";
import { arxivIdFromText } from "../papers/arxiv-id.ts";
import type { Paper } from "../papers/paper.ts";
import type { User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { submittedByOf } from "./identity.ts";
import { rateRules, spend } from "./limits.ts";
import { mustParticipate, rules } from "./rules.ts";

export interface Submission {
  /** `submitted`: on the feed now, with the user's name; `exists`: it already was, and that entry stands. */
  status: "submitted" | "exists";
  paper: Paper;
  feedDate: string;
  submittedBy: Record<string, unknown> | null;
}

export interface SubmissionSource {
  /** The arXiv API papers not stored yet are fetched from. */
  arxivApiUrl: string;
  http?: HttpOptions;
}

// A page waits on arXiv: one try, promptly given up (arXiv asks for pauses between calls anyway).
const ARXIV_HTTP: HttpOptions = { timeoutMs: 15_000, maxRetries: 0 };

const nightFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Seconds until the next New York midnight, when a new feed day (and a new daily allowance) begins. */
function secondsToNewYorkMidnight(now: Date): number {
  const part = Object.fromEntries(nightFormat.formatToParts(now).map((p) => [p.type, Number(p.value)]));
  return Math.max(1, 86_400 - ((part.hour ?? 0) * 3600 + (part.minute ?? 0) * 60 + (part.second ?? 0)));
}

export class Submissions {
  constructor(
    private readonly deps: CommunityDeps,
    private readonly source: SubmissionSource,
  ) {}

  /**
   * Puts a paper, named by arXiv id or link, on today's feed (New York day) with the user as its
   * submitter. A paper not stored yet is fetched from the arXiv API first.
   */
  async submit(user: User, paperText: string): Promise<Submission> {
    const parsed = arxivIdFromText(paperText.slice(0, 500));
    if (!parsed) {
      throw new CommunityError("invalid", `paper: "${paperText.slice(0, 100)}" is not an arXiv id or arXiv link`, {
        field: "paper",
      });
    }
    mustParticipate(user);
    await spend(this.deps.store, `submit:${user.id}`, rateRules.submissionsPerAccount, "submissions");
    const { store, site } = this.deps;
    if (!(await store.papers.get(parsed.id))) await this.fetch(parsed.id);
    const now = this.deps.now?.() ?? new Date();
    const outcome = await store.submissions.submit({
      paperId: parsed.id,
      userId: user.id,
      submittedBy: submittedByOf(user, site.baseUrl),
      day: newYorkDate(now),
      dailyLimit: rules.submissionsPerDay,
    });
    if (outcome.status === "limit") {
      throw new CommunityError("rate-limited", `you can submit ${outcome.limit} papers a day; come back tomorrow`, {
        retryAfterSeconds: secondsToNewYorkMidnight(now),
      });
    }
    if (outcome.status === "no-user") throw new CommunityError("unauthenticated", "your account is gone");
    const paper = await store.papers.get(parsed.id);
    if (outcome.status === "no-paper" || !paper) throw new CommunityError("not-found", `paper ${parsed.id} not found`);
    return outcome.status === "submitted"
      ? { status: "submitted", paper, feedDate: outcome.feedDate, submittedBy: submittedByOf(user, site.baseUrl) }
      : { status: "exists", paper, feedDate: outcome.feedDate, submittedBy: outcome.submittedBy };
  }

  private async fetch(id: string): Promise<void> {
    let record: Awaited<ReturnType<typeof fetchArxivPaper>>;
    try {
      record = await fetchArxivPaper(this.source.arxivApiUrl, id, this.source.http ?? ARXIV_HTTP);
    } catch (error) {
      if (!(error instanceof RemoteSourceError)) throw error;
      this.deps.logger.warn({ err: error, id }, "arXiv API unreachable for a submission");
      throw new CommunityError(
        "unavailable",
        `arXiv could not be reached to fetch ${id} (${error.message}); nothing was submitted, please try again later`,
      );
    }
    if (!record) throw new CommunityError("not-found", `arXiv has no paper ${id}`);
    await this.deps.store.papers.upsertBatch([record]);
  }
}
