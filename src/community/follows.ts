import type { Follow, FollowKind, PersonalFeedPage, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { spend } from "./limits.ts";
import { mustParticipate } from "./rules.ts";

export const followKinds = ["author", "category", "organization"] as const satisfies readonly FollowKind[];

export const followRules = {
  perAccount: 1000,
  valueMax: 300,
  changes: { limit: 240, windowSeconds: 3600 },
  feedPageSize: 30,
} as const;

const what: Record<FollowKind, string> = { author: "author", category: "category", organization: "organisation" };

/** Following authors, categories and organisations, and the papers that brings ("My feed"). */
export class Follows {
  constructor(private readonly deps: CommunityDeps) {}

  /**
   * Follows or stops following; answers the target as spelt here. Following needs the target to
   * be known from some paper; stopping never does (papers may have gone).
   */
  async set(user: User, kind: FollowKind, value: string, following: boolean): Promise<Follow> {
    if (!followKinds.includes(kind)) {
      throw new CommunityError("invalid", `kind: one of ${followKinds.join(", ")}`, { field: "kind" });
    }
    const text = value.trim();
    if (text === "" || text.length > followRules.valueMax) {
      throw new CommunityError("invalid", `value: 1 to ${followRules.valueMax} characters`, { field: "value" });
    }
    mustParticipate(user);
    await spend(this.deps.store, `follows:${user.id}`, followRules.changes, "follows");
    const { store } = this.deps;
    const target = (await store.follows.canonical(kind, text)) ?? (following ? null : text);
    if (target === null) throw new CommunityError("not-found", `no paper here has the ${what[kind]} "${text}"`);
    if (following && (await store.follows.count(user.id)) >= followRules.perAccount) {
      throw new CommunityError("conflict", `you follow ${followRules.perAccount} things, the most there can be`);
    }
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    if (!(await store.follows.set(user.id, kind, target, following, now))) {
      throw new CommunityError("unauthenticated", "this account no longer exists");
    }
    return { kind, value: target, createdAt: now };
  }

  list(user: User): Promise<Follow[]> {
    return this.deps.store.follows.ofUser(user.id);
  }

  /** Whether `user` (anybody, when null: no) follows the target. */
  async isFollowing(user: User | null, kind: FollowKind, value: string): Promise<boolean> {
    return user ? this.deps.store.follows.isFollowing(user.id, kind, value) : false;
  }

  /** Page `page` (from 1) of the user's feed: newest papers first. */
  feed(user: User, page: number): Promise<PersonalFeedPage> {
    const size = followRules.feedPageSize;
    return this.deps.store.follows.feed(user.id, size, (page - 1) * size);
  }
}
