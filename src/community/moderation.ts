import type { ModerationOutcome, Role, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { canBan, checkModerationReason, mustModerate } from "./rules.ts";

const PAGE = 100;

const roles: readonly Role[] = ["user", "moderator", "admin"];

/**
 * What moderators do: hide comments and papers on the feed, lock discussions, ban accounts,
 * work through reports, and read the audit log. Every action checks the actor's role here and is
 * logged by the store in the action's own transaction.
 */
export class Moderation {
  constructor(private readonly deps: CommunityDeps) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private act(actor: User | null, reason: string | undefined, required = true) {
    const moderator = mustModerate(actor);
    return { moderatorId: moderator.id, reason: checkModerationReason(reason, required), now: this.now() };
  }

  private settled(outcome: ModerationOutcome, what: string): "done" | "unchanged" {
    if (outcome === "not-found") throw new CommunityError("not-found", `${what} not found`);
    return outcome;
  }

  async hideComment(actor: User | null, commentId: number, reason: string | undefined) {
    const act = this.act(actor, reason);
    return this.settled(await this.deps.store.moderation.hideComment({ ...act, commentId }), `comment ${commentId}`);
  }

  async unhideComment(actor: User | null, commentId: number, reason?: string) {
    const act = this.act(actor, reason, false);
    return this.settled(await this.deps.store.moderation.unhideComment({ ...act, commentId }), `comment ${commentId}`);
  }

  async dismissReports(actor: User | null, commentId: number, reason?: string) {
    const act = this.act(actor, reason, false);
    return this.settled(await this.deps.store.moderation.dismissReports({ ...act, commentId }), `comment ${commentId}`);
  }

  async hideFromFeed(actor: User | null, paperId: string, reason: string | undefined) {
    const act = this.act(actor, reason);
    return this.settled(await this.deps.store.moderation.hideFromFeed({ ...act, paperId }), `paper ${paperId}`);
  }

  async unhideFromFeed(actor: User | null, paperId: string, reason?: string) {
    const act = this.act(actor, reason, false);
    return this.settled(await this.deps.store.moderation.unhideFromFeed({ ...act, paperId }), `paper ${paperId}`);
  }

  async lockDiscussion(actor: User | null, paperId: string, reason: string | undefined) {
    const act = this.act(actor, reason);
    return this.settled(await this.deps.store.moderation.lockDiscussion({ ...act, paperId }), `paper ${paperId}`);
  }

  async unlockDiscussion(actor: User | null, paperId: string, reason?: string) {
    const act = this.act(actor, reason, false);
    return this.settled(await this.deps.store.moderation.unlockDiscussion({ ...act, paperId }), `paper ${paperId}`);
  }

  private async target(username: string): Promise<User> {
    const user = await this.deps.store.users.byUsername(username);
    if (!user || user.deleted) throw new CommunityError("not-found", `user ${username} not found`);
    return user;
  }

  /** Bans an account: it is signed out everywhere, its tokens stop working, and what it wrote is hidden. */
  async ban(actor: User | null, username: string, reason: string | undefined) {
    const act = this.act(actor, reason);
    const target = await this.target(username);
    if (!canBan(mustModerate(actor), target)) {
      throw new CommunityError(
        "forbidden",
        "moderators ban users; only an admin bans a moderator, and nobody themselves",
      );
    }
    return this.settled(await this.deps.store.moderation.ban({ ...act, userId: target.id }), `user ${username}`);
  }

  async unban(actor: User | null, username: string, reason?: string) {
    const act = this.act(actor, reason, false);
    const target = await this.target(username);
    return this.settled(await this.deps.store.moderation.unban({ ...act, userId: target.id }), `user ${username}`);
  }

  /** Gives an account a role: admins only, and never their own (so a site always keeps an admin). */
  async setRole(actor: User | null, username: string, role: string, reason?: string) {
    const act = this.act(actor, reason, false);
    if (mustModerate(actor).role !== "admin") throw new CommunityError("forbidden", "only admins give roles");
    if (!roles.includes(role as Role)) {
      throw new CommunityError("invalid", `role: one of ${roles.join(", ")}`, { field: "role" });
    }
    const target = await this.target(username);
    if (target.id === act.moderatorId) throw new CommunityError("forbidden", "admins do not change their own role");
    return this.settled(
      await this.deps.store.moderation.setRole({ ...act, userId: target.id, role: role as Role }),
      `user ${username}`,
    );
  }

  async reports(actor: User | null) {
    mustModerate(actor);
    return this.deps.store.moderation.openReports(PAGE);
  }

  async hidden(actor: User | null) {
    mustModerate(actor);
    const [comments, feedEntries] = await Promise.all([
      this.deps.store.moderation.hiddenComments(PAGE),
      this.deps.store.moderation.hiddenFeedEntries({ limit: PAGE }),
    ]);
    return { comments, feedEntries };
  }

  async log(actor: User | null, page: { limit: number; offset: number }) {
    mustModerate(actor);
    return this.deps.store.moderation.log(page);
  }

  async users(actor: User | null, query: string | undefined) {
    mustModerate(actor);
    return this.deps.store.moderation.users({ query, limit: PAGE });
  }

  /** What the moderators' front page counts. */
  async queues(actor: User | null) {
    mustModerate(actor);
    const [reports, claims] = await Promise.all([
      this.deps.store.moderation.countOpenReports(),
      this.deps.store.claims.countPending(),
    ]);
    return { reports, claims };
  }

  /** Where a paper stands, for the moderators' tools on its page. */
  async paperState(actor: User | null, paperId: string) {
    mustModerate(actor);
    const [lock, hidden] = await Promise.all([
      this.deps.store.moderation.lockOf(paperId),
      this.deps.store.moderation.hiddenFeedEntries({ limit: PAGE, paperId }),
    ]);
    return { lock, hidden };
  }

  /** Whether a paper's discussion is locked: anyone may know, so the page says why there is no comment box. */
  lockOf(paperId: string) {
    return this.deps.store.moderation.lockOf(paperId);
  }
}
