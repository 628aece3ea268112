import type { User, VoteState } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { rateRules, spend } from "./limits.ts";
import { mustParticipate } from "./rules.ts";

export class Votes {
  constructor(private readonly deps: CommunityDeps) {}

  /** Puts the user's upvote on a paper or takes it off; repeating either changes nothing. */
  async set(user: User, paperId: string, upvoted: boolean): Promise<VoteState> {
    mustParticipate(user);
    await spend(this.deps.store, `vote:${user.id}`, rateRules.votesPerAccount, "votes");
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    const state = await this.deps.store.votes.set(user.id, paperId, upvoted, now);
    if (!state) throw new CommunityError("not-found", `paper ${paperId} not found`);
    return state;
  }

  /** Which of these papers the user has upvoted (none for nobody signed in). */
  async upvotedBy(user: User | null, paperIds: string[]): Promise<Set<string>> {
    return user ? this.deps.store.votes.upvotedAmong(user.id, paperIds) : new Set();
  }
}
