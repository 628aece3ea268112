import type { Kysely, Selectable } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { lockPapers, recountPaper } from "./paper-counts.ts";
import type { CommentsTable, Database } from "./schema.ts";
import { lockUser } from "./users.ts";

export interface CommentAuthor {
  id: number;
  username: string;
  displayName: string | null;
}

export interface Comment {
  id: number;
  paperId: string;
  parentId: number | null;
  /** Null once the comment is deleted. */
  author: CommentAuthor | null;
  /** Markdown as typed; empty once deleted. */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

type CommentRow = Selectable<CommentsTable> & { username: string; display_name: string | null };

function rowToComment(row: CommentRow): Comment {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    paperId: row.paper_id,
    parentId: row.parent_id,
    author: deleted ? null : { id: row.user_id, username: row.username, displayName: row.display_name },
    body: deleted ? "" : row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted,
  };
}

export type NewCommentOutcome = Comment | "no-paper" | "no-parent" | "no-user";

/** Threaded comments on papers; a paper's comment count changes in the same transaction as its comments. */
export class CommentRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  private select() {
    return this.db
      .selectFrom("comments as c")
      .innerJoin("users as u", "u.id", "c.user_id")
      .selectAll("c")
      .select(["u.username", "u.display_name"]);
  }

  async get(id: number): Promise<Comment | null> {
    const row = await this.select().where("c.id", "=", id).executeTakeFirst();
    return row ? rowToComment(row) : null;
  }

  /** Every comment on a paper, deleted ones included (their replies hang from them), oldest first. */
  async forPaper(paperId: string): Promise<Comment[]> {
    const rows = await this.select().where("c.paper_id", "=", paperId).orderBy("c.id").execute();
    return rows.map(rowToComment);
  }

  /** A reply must answer a live comment on the same paper. */
  async add(comment: {
    paperId: string;
    userId: number;
    parentId: number | null;
    body: string;
    now: string;
  }): Promise<NewCommentOutcome> {
    const id = await this.db.transaction().execute(async (trx) => {
      if (!(await lockUser(trx, this.kind, comment.userId, "share"))) return "no-user" as const;
      const paper = (await lockPapers(trx, this.kind, [comment.paperId])).get(comment.paperId);
      if (!paper) return "no-paper" as const;
      if (comment.parentId !== null) {
        const parent = await trx
          .selectFrom("comments")
          .select("id")
          .where("id", "=", comment.parentId)
          .where("paper_id", "=", comment.paperId)
          .where("deleted_at", "is", null)
          .executeTakeFirst();
        if (!parent) return "no-parent" as const;
      }
      const row = await trx
        .insertInto("comments")
        .values({
          paper_id: comment.paperId,
          user_id: comment.userId,
          parent_id: comment.parentId,
          body: comment.body,
          created_at: comment.now,
          edited_at: null,
          deleted_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recountPaper(trx, paper);
      return row.id;
    });
    if (typeof id === "string") return id;
    const stored = await this.get(id);
    if (!stored) throw new Error(`comment ${id} vanished after it was added`);
    return stored;
  }

  /** Replaces the body of the author's live comment made at or after `since`; null when there is none. */
  async edit(edit: { id: number; userId: number; body: string; now: string; since: string }): Promise<Comment | null> {
    const result = await this.db
      .updateTable("comments")
      .set({ body: edit.body, edited_at: edit.now })
      .where("id", "=", edit.id)
      .where("user_id", "=", edit.userId)
      .where("deleted_at", "is", null)
      .where("created_at", ">=", edit.since)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? this.get(edit.id) : null;
  }

  /**
   * Deletes a live comment (only the author's, when `userId` is given): its body goes, its
   * replies stay. False when there was no such comment.
   */
  async delete(remove: { id: number; userId?: number; now: string }): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const target = await trx
        .selectFrom("comments")
        .select(["paper_id", "user_id"])
        .where("id", "=", remove.id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!target || (remove.userId !== undefined && target.user_id !== remove.userId)) return false;
      await lockUser(trx, this.kind, target.user_id, "share");
      const paper = (await lockPapers(trx, this.kind, [target.paper_id])).get(target.paper_id);
      const result = await trx
        .updateTable("comments")
        .set({ body: "", deleted_at: remove.now })
        .where("id", "=", remove.id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      if (paper) await recountPaper(trx, paper);
      return true;
    });
  }

  /** Records a user's report of a live comment, once per user; false when there is no such comment. */
  async report(report: { commentId: number; userId: number; reason: string; now: string }): Promise<boolean> {
    const live = await this.db
      .selectFrom("comments")
      .select("id")
      .where("id", "=", report.commentId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!live) return false;
    await this.db
      .insertInto("comment_reports")
      .values({
        comment_id: report.commentId,
        user_id: report.userId,
        reason: report.reason,
        created_at: report.now,
      })
      .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doNothing())
      .execute();
    return true;
  }

  /** How many users reported a comment. */
  async reportCount(commentId: number): Promise<number> {
    const { n } = await this.db
      .selectFrom("comment_reports")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("comment_id", "=", commentId)
      .executeTakeFirstOrThrow();
    return Number(n);
  }
}
