import { Accounts, type CommunityDeps } from "./accounts.ts";
import { Comments } from "./comments.ts";
import { type SubmissionSource, Submissions } from "./submissions.ts";
import { Votes } from "./votes.ts";

export type { CommunityDeps, MailOutcome, NewSession, SignedIn } from "./accounts.ts";
export type { CommentNode } from "./comments.ts";
export { threadOf } from "./comments.ts";
export { SESSION_COOKIE, type Viewer } from "./context.ts";
export { CommunityError, type Refusal, refusalStatus } from "./errors.ts";
export { avatarPath, shownName, submittedByOf } from "./identity.ts";
export { addressRules, type RateRule } from "./limits.ts";
export { canDelete, canEdit, isModerator, rules } from "./rules.ts";
export type { Submission } from "./submissions.ts";

/** Everything users do on the site beyond reading, with its rules; web/, api/ and the CLI call it. */
export interface Community {
  accounts: Accounts;
  votes: Votes;
  comments: Comments;
  submissions: Submissions;
}

export function createCommunity(deps: CommunityDeps, source: SubmissionSource): Community {
  return {
    accounts: new Accounts(deps),
    votes: new Votes(deps),
    comments: new Comments(deps),
    submissions: new Submissions(deps, source),
  };
}
