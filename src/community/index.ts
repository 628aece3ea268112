import { Accounts, type CommunityDeps } from "./accounts.ts";
import { Claims } from "./claims.ts";
import { Collections } from "./collections.ts";
import { Comments } from "./comments.ts";
import { Follows } from "./follows.ts";
import { Moderation } from "./moderation.ts";
import { OrganizationAdmin } from "./organization-admin.ts";
import { Profiles } from "./profiles.ts";
import { type SubmissionSource, Submissions } from "./submissions.ts";
import { Votes } from "./votes.ts";

export type { CommunityDeps, MailOutcome, NewSession, SignedIn } from "./accounts.ts";
export type { AuthorChoice } from "./claims.ts";
export { type CollectionEdit, canSeeCollection, collectionRules, type NewCollection } from "./collections.ts";
export type { CommentNode } from "./comments.ts";
export { shownComments, threadOf } from "./comments.ts";
export { SESSION_COOKIE, type Viewer } from "./context.ts";
export { CommunityError, type Refusal, refusalStatus } from "./errors.ts";
export { followKinds, followRules } from "./follows.ts";
export { avatarPath, shownName, submittedByOf } from "./identity.ts";
export { addressRules, type RateRule } from "./limits.ts";
export { type Profile, profileRules } from "./profiles.ts";
export { canBan, canDelete, canEdit, isModerator, mustModerate, rules } from "./rules.ts";
export type { Submission } from "./submissions.ts";

/** Everything users do on the site beyond reading, with its rules; web/, api/ and the CLI call it. */
export interface Community {
  accounts: Accounts;
  votes: Votes;
  comments: Comments;
  submissions: Submissions;
  moderation: Moderation;
  claims: Claims;
  organizationAdmin: OrganizationAdmin;
  collections: Collections;
  follows: Follows;
  profiles: Profiles;
}

export function createCommunity(deps: CommunityDeps, source: SubmissionSource): Community {
  return {
    accounts: new Accounts(deps),
    votes: new Votes(deps),
    comments: new Comments(deps),
    submissions: new Submissions(deps, source),
    moderation: new Moderation(deps),
    claims: new Claims(deps),
    organizationAdmin: new OrganizationAdmin(deps),
    collections: new Collections(deps),
    follows: new Follows(deps),
    profiles: new Profiles(deps),
  };
}
