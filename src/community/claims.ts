import type { AuthorClaim, ClaimedAuthor, ClaimStatus, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { rateRules, spend } from "./limits.ts";
import { checkModerationReason, mustModerate, mustParticipate } from "./rules.ts";

/** Which author of a paper a claim names: by place in the list (from 0) or by name as listed. */
export type AuthorChoice = { position: number } | { author: string };

/**
 * Authorship claims: a signed-in user says they are one of a paper's authors; a moderator
 * approves or rejects the claim once. Approved authors carry a badge and link to their profile.
 */
export class Claims {
  constructor(private readonly deps: CommunityDeps) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  async claim(user: User, paperId: string, choice: AuthorChoice): Promise<AuthorClaim> {
    mustParticipate(user);
    const paper = await this.deps.store.papers.get(paperId);
    if (!paper) throw new CommunityError("not-found", `paper ${paperId} not found`);
    const position =
      "position" in choice ? choice.position : paper.authors.findIndex((a) => a.name === choice.author.trim());
    if (!Number.isSafeInteger(position) || position < 0 || position >= paper.authors.length) {
      throw new CommunityError(
        "invalid",
        "position" in choice
          ? `position: the paper lists ${paper.authors.length} authors, counted from 0`
          : `author: "${choice.author}" is not one of the paper's authors as listed`,
        { field: "position" in choice ? "position" : "author" },
      );
    }
    await spend(this.deps.store, `claim:${user.id}`, rateRules.claimsPerAccount, "claims");
    const outcome = await this.deps.store.claims.create({ paperId, position, userId: user.id, now: this.now() });
    if (outcome === "no-paper") throw new CommunityError("not-found", `paper ${paperId} not found`);
    if (outcome === "no-author") throw new CommunityError("invalid", "that author is no longer listed on the paper");
    if (outcome === "already-claimed") {
      throw new CommunityError("conflict", "you have a claim on this paper already, waiting or approved");
    }
    if (outcome === "slot-taken") throw new CommunityError("conflict", "another account holds this author already");
    return outcome;
  }

  /** The caller's standing claims on a paper, for its page. */
  mine(user: User, paperId: string): Promise<AuthorClaim[]> {
    return this.deps.store.claims.ofUser(user.id, paperId);
  }

  /** Approves or rejects a pending claim; deciding one already decided changes nothing and says so. */
  async decide(actor: User | null, id: number, approve: boolean, reason?: string): Promise<AuthorClaim> {
    const moderator = mustModerate(actor);
    const outcome = await this.deps.store.claims.decide({
      id,
      approve,
      moderatorId: moderator.id,
      reason: checkModerationReason(reason, false),
      now: this.now(),
    });
    if (outcome.status === "not-found") throw new CommunityError("not-found", `claim ${id} not found`);
    if (outcome.status === "already-decided") {
      throw new CommunityError(
        "conflict",
        `claim ${id} was ${outcome.claim.status} already${outcome.claim.decidedBy ? ` by ${outcome.claim.decidedBy}` : ""}`,
      );
    }
    if (outcome.status === "slot-taken") {
      throw new CommunityError("conflict", `another account holds ${outcome.claim.authorName} on this paper already`);
    }
    return outcome.claim;
  }

  async list(actor: User | null, status: ClaimStatus): Promise<AuthorClaim[]> {
    mustModerate(actor);
    return this.deps.store.claims.list({ status, limit: 100 });
  }

  /** Papers a user is an approved author of (their profile lists them). */
  approvedOf(user: Pick<User, "id">): Promise<AuthorClaim[]> {
    return this.deps.store.claims.approvedOf(user.id);
  }

  /** The accounts approved as an author of this name, for the author's page. */
  accountsNamed(name: string): Promise<User[]> {
    return this.deps.store.claims.accountsNamed(name);
  }

  /** The claimed author slots of these papers, for badges and the HF-compatible `authors[].user`. */
  claimedAuthors(paperIds: string[]): Promise<Map<string, ClaimedAuthor[]>> {
    return this.deps.store.claims.claimedAuthors(paperIds);
  }
}
