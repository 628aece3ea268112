import type { Comment, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { rateRules, spend } from "./limits.ts";
import {
  canDelete,
  canEdit,
  checkCommentBody,
  checkReportReason,
  isModerator,
  mustParticipate,
  rules,
} from "./rules.ts";

export interface CommentNode extends Comment {
  replies: CommentNode[];
}

/**
 * Comments as a tree, oldest first at every level. A deleted comment stays (as "[deleted]")
 * only while it has live replies beneath it.
 */
export function threadOf(comments: Comment[]): CommentNode[] {
  const nodes = new Map(comments.map((c) => [c.id, { ...c, replies: [] as CommentNode[] }]));
  const roots: CommentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? null : nodes.get(node.parentId);
    (parent ? parent.replies : roots).push(node);
  }
  const prune = (list: CommentNode[]): CommentNode[] =>
    list.filter((node) => {
      node.replies = prune(node.replies);
      return !node.deleted || node.replies.length > 0;
    });
  return prune(roots);
}

/** The comments a thread shows, as a flat list in their order: those `threadOf` keeps. */
export function shownComments(comments: Comment[]): Comment[] {
  const kept = new Set<number>();
  const walk = (nodes: CommentNode[]) => {
    for (const node of nodes) {
      kept.add(node.id);
      walk(node.replies);
    }
  };
  walk(threadOf(comments));
  return comments.filter((comment) => kept.has(comment.id));
}

export class Comments {
  constructor(private readonly deps: CommunityDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** A paper's comments as `reader` may see them: hidden ones whole only for moderators. */
  async forPaper(paperId: string, reader: User | null): Promise<Comment[]> {
    return this.deps.store.comments.forPaper(paperId, { moderator: reader !== null && isModerator(reader.role) });
  }

  async get(id: number): Promise<Comment> {
    const comment = await this.deps.store.comments.get(id);
    if (!comment) throw new CommunityError("not-found", `comment ${id} not found`);
    return comment;
  }

  async post(user: User, paperId: string, body: string, parentId: number | null): Promise<Comment> {
    mustParticipate(user);
    checkCommentBody(body);
    await spend(this.deps.store, `comment:${user.id}`, rateRules.commentsPerAccount, "comments");
    const outcome = await this.deps.store.comments.add({
      paperId,
      userId: user.id,
      parentId,
      body,
      now: this.now().toISOString(),
      moderator: isModerator(user.role),
    });
    if (outcome === "locked") throw new CommunityError("forbidden", "a moderator locked this discussion");
    if (outcome === "no-paper") throw new CommunityError("not-found", `paper ${paperId} not found`);
    if (outcome === "no-parent") {
      throw new CommunityError("invalid", `parentId: comment ${parentId} is not a live comment on this paper`, {
        field: "parentId",
      });
    }
    if (outcome === "no-user") throw new CommunityError("unauthenticated", "your account is gone");
    return outcome;
  }

  async edit(user: User, id: number, body: string): Promise<Comment> {
    checkCommentBody(body);
    const now = this.now();
    const comment = await this.get(id);
    if (comment.author?.id !== user.id) throw new CommunityError("forbidden", "only its author can edit a comment");
    if (!canEdit(user, comment, now)) {
      throw new CommunityError(
        "forbidden",
        `a comment can be edited for ${rules.commentEditWindowMs / 60_000} minutes after it is posted`,
      );
    }
    const edited = await this.deps.store.comments.edit({
      id,
      userId: user.id,
      body,
      now: now.toISOString(),
      since: new Date(now.getTime() - rules.commentEditWindowMs).toISOString(),
    });
    if (!edited) throw new CommunityError("forbidden", "the comment can no longer be edited");
    return edited;
  }

  async remove(user: User, id: number): Promise<void> {
    const comment = await this.get(id);
    if (comment.deleted) return;
    if (!canDelete(user, comment))
      throw new CommunityError("forbidden", "only its author or a moderator can delete a comment");
    const own = comment.author?.id === user.id;
    await this.deps.store.comments.delete({
      id,
      now: this.now().toISOString(),
      ...(own ? { userId: user.id } : { moderatorId: user.id }),
    });
  }

  async report(user: User, id: number, reason: string): Promise<void> {
    mustParticipate(user);
    const text = checkReportReason(reason);
    await spend(this.deps.store, `report:${user.id}`, rateRules.reportsPerAccount, "reports");
    const reported = await this.deps.store.comments.report({
      commentId: id,
      userId: user.id,
      reason: text,
      now: this.now().toISOString(),
    });
    if (!reported) throw new CommunityError("not-found", `comment ${id} not found`);
  }
}
