import type { Kysely, Transaction } from "kysely";
import type { DatabaseKind } from "./connection.ts";
import { hiddenCommentIds, lockPapers, recountPaper } from "./paper-counts.ts";
import type { Database, HiddenCause, Role } from "./schema.ts";
import { lockAccount, rowToUser, type User } from "./users.ts";

/** One row of the audit log, as moderators read it. */
export interface ModerationEntry {
  id: number;
  moderator: string;
  action: string;
  subjectKind: string;
  subject: string;
  /** The username of the account the action concerned, if any. */
  user: string | null;
  reason: string;
  createdAt: string;
}

export interface LogEntry {
  moderatorId: number;
  action: string;
  subjectKind: "comment" | "paper" | "user" | "claim" | "organization";
  subject: string;
  userId?: number | null;
  reason: string;
  now: string;
}

/** Writes one audit row inside the transaction that makes the change, so neither exists without the other. */
export async function recordAction(trx: Transaction<Database>, entry: LogEntry): Promise<void> {
  await trx
    .insertInto("moderation_log")
    .values({
      moderator_id: entry.moderatorId,
      action: entry.action,
      subject_kind: entry.subjectKind,
      subject: entry.subject,
      user_id: entry.userId ?? null,
      reason: entry.reason,
      created_at: entry.now,
    })
    .execute();
}

/** A reported comment waiting for a moderator, with every open report of it. */
export interface ReportedComment {
  commentId: number;
  paperId: string;
  paperTitle: string;
  author: string;
  body: string;
  createdAt: string;
  reports: { reporter: string; reason: string; createdAt: string }[];
}

export interface HiddenComment {
  commentId: number;
  paperId: string;
  author: string;
  body: string;
  reason: string;
  cause: HiddenCause;
  moderator: string;
  hiddenAt: string;
}

export interface HiddenFeedEntry {
  paperId: string;
  paperTitle: string;
  feedDate: string;
  reason: string;
  cause: HiddenCause;
  moderator: string;
  hiddenAt: string;
}

export interface DiscussionLock {
  paperId: string;
  reason: string;
  moderator: string;
  lockedAt: string;
}

export type ModerationOutcome = "done" | "unchanged" | "not-found";

/** Changes made by moderators; each writes its audit row in the same transaction. */
export class ModerationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * Hides a comment from everyone but moderators: it stops counting on its paper, and the open
   * reports of it are resolved. Its replies stay.
   */
  async hideComment(act: { commentId: number; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const target = await trx
        .selectFrom("comments")
        .select(["paper_id", "user_id"])
        .where("id", "=", act.commentId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!target) return "not-found";
      const paper = (await lockPapers(trx, this.kind, [target.paper_id])).get(target.paper_id);
      const inserted = await trx
        .insertInto("hidden_comments")
        .values({
          comment_id: act.commentId,
          moderator_id: act.moderatorId,
          reason: act.reason,
          cause: "moderator",
          created_at: act.now,
        })
        .onConflict((oc) => oc.column("comment_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return "unchanged";
      await this.resolveReports(trx, act.commentId, act.moderatorId, act.now);
      if (paper) await recountPaper(trx, paper);
      await recordAction(trx, {
        ...act,
        action: "hide comment",
        subjectKind: "comment",
        subject: String(act.commentId),
        userId: target.user_id,
      });
      return "done";
    });
  }

  async unhideComment(act: { commentId: number; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const target = await trx
        .selectFrom("comments")
        .select(["paper_id", "user_id"])
        .where("id", "=", act.commentId)
        .executeTakeFirst();
      if (!target) return "not-found";
      const paper = (await lockPapers(trx, this.kind, [target.paper_id])).get(target.paper_id);
      const removed = await trx
        .deleteFrom("hidden_comments")
        .where("comment_id", "=", act.commentId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return "unchanged";
      if (paper) await recountPaper(trx, paper);
      await recordAction(trx, {
        ...act,
        action: "unhide comment",
        subjectKind: "comment",
        subject: String(act.commentId),
        userId: target.user_id,
      });
      return "done";
    });
  }

  private async resolveReports(trx: Transaction<Database>, commentId: number, moderatorId: number, now: string) {
    await trx
      .updateTable("comment_reports")
      .set({ resolved_at: now, resolved_by: moderatorId })
      .where("comment_id", "=", commentId)
      .where("resolved_at", "is", null)
      .execute();
  }

  /** Closes a comment's open reports without hiding it. */
  async dismissReports(act: { commentId: number; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const target = await trx
        .selectFrom("comments")
        .select("user_id")
        .where("id", "=", act.commentId)
        .executeTakeFirst();
      if (!target) return "not-found";
      const open = await trx
        .selectFrom("comment_reports")
        .select("user_id")
        .where("comment_id", "=", act.commentId)
        .where("resolved_at", "is", null)
        .execute();
      if (open.length === 0) return "unchanged";
      await this.resolveReports(trx, act.commentId, act.moderatorId, act.now);
      await recordAction(trx, {
        ...act,
        action: "dismiss reports",
        subjectKind: "comment",
        subject: String(act.commentId),
        userId: target.user_id,
      });
      return "done";
    });
  }

  /** Takes a paper off the feed: its entries move aside whole, so unhiding puts them back as they were. */
  async hideFromFeed(act: { paperId: string; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const moved = await moveEntriesAside(trx, { paperId: act.paperId }, { ...act, cause: "moderator" });
      if (moved === 0) return (await paperExists(trx, act.paperId)) ? "unchanged" : "not-found";
      await recordAction(trx, { ...act, action: "hide from feed", subjectKind: "paper", subject: act.paperId });
      return "done";
    });
  }

  async unhideFromFeed(act: { paperId: string; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const restored = await restoreEntries(trx, { paperId: act.paperId });
      if (restored === 0) return (await paperExists(trx, act.paperId)) ? "unchanged" : "not-found";
      await recordAction(trx, { ...act, action: "unhide from feed", subjectKind: "paper", subject: act.paperId });
      return "done";
    });
  }

  /** Closes a paper's discussion: only moderators comment on it until it is unlocked. */
  async lockDiscussion(act: { paperId: string; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      if (!(await paperExists(trx, act.paperId))) return "not-found";
      const inserted = await trx
        .insertInto("locked_discussions")
        .values({ paper_id: act.paperId, moderator_id: act.moderatorId, reason: act.reason, created_at: act.now })
        .onConflict((oc) => oc.column("paper_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return "unchanged";
      await recordAction(trx, { ...act, action: "lock discussion", subjectKind: "paper", subject: act.paperId });
      return "done";
    });
  }

  async unlockDiscussion(act: { paperId: string; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      if (!(await paperExists(trx, act.paperId))) return "not-found";
      const removed = await trx.deleteFrom("locked_discussions").where("paper_id", "=", act.paperId).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return "unchanged";
      await recordAction(trx, { ...act, action: "unlock discussion", subjectKind: "paper", subject: act.paperId });
      return "done";
    });
  }

  async lockOf(paperId: string): Promise<DiscussionLock | null> {
    const row = await this.db
      .selectFrom("locked_discussions as l")
      .innerJoin("users as m", "m.id", "l.moderator_id")
      .select(["l.paper_id", "l.reason", "l.created_at", "m.username"])
      .where("l.paper_id", "=", paperId)
      .executeTakeFirst();
    return row
      ? { paperId: row.paper_id, reason: row.reason, moderator: row.username, lockedAt: row.created_at }
      : null;
  }

  /**
   * Bans an account in one transaction: it is marked banned (so it can neither sign in nor act),
   * its sessions end, its tokens and mailed links stop working, and its live comments and
   * submissions are hidden (cause "ban", so lifting the ban brings back exactly those).
   */
  async ban(act: { userId: number; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const user = await lockAccount(trx, this.kind, act.userId);
      if (!user) return "not-found";
      if (user.banned) return "unchanged";
      await trx
        .updateTable("users")
        .set({ banned_at: act.now, ban_reason: act.reason })
        .where("id", "=", act.userId)
        .execute();
      await trx.deleteFrom("sessions").where("user_id", "=", act.userId).execute();
      await trx.deleteFrom("email_tokens").where("user_id", "=", act.userId).execute();
      await trx
        .updateTable("api_tokens")
        .set({ revoked_at: act.now })
        .where("user_id", "=", act.userId)
        .where("revoked_at", "is", null)
        .execute();
      const comments = await trx
        .selectFrom("comments")
        .select(["id", "paper_id"])
        .where("user_id", "=", act.userId)
        .where("deleted_at", "is", null)
        .where("id", "not in", hiddenCommentIds(trx))
        .execute();
      const papers = await lockPapers(
        trx,
        this.kind,
        comments.map((c) => c.paper_id),
      );
      for (const comment of comments) {
        await trx
          .insertInto("hidden_comments")
          .values({
            comment_id: comment.id,
            moderator_id: act.moderatorId,
            reason: act.reason,
            cause: "ban",
            created_at: act.now,
          })
          .execute();
      }
      for (const paper of papers.values()) await recountPaper(trx, paper);
      await moveEntriesAside(trx, { submitterId: act.userId }, { ...act, cause: "ban" });
      await recordAction(trx, { ...act, action: "ban", subjectKind: "user", subject: user.username });
      return "done";
    });
  }

  /** Lifts a ban: the account may sign in again, and what the ban hid comes back. */
  async unban(act: { userId: number; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const user = await lockAccount(trx, this.kind, act.userId);
      if (!user) return "not-found";
      if (!user.banned) return "unchanged";
      await trx.updateTable("users").set({ banned_at: null, ban_reason: null }).where("id", "=", act.userId).execute();
      const hidden = await trx
        .selectFrom("hidden_comments as h")
        .innerJoin("comments as c", "c.id", "h.comment_id")
        .select(["c.id", "c.paper_id"])
        .where("c.user_id", "=", act.userId)
        .where("h.cause", "=", "ban")
        .execute();
      const papers = await lockPapers(
        trx,
        this.kind,
        hidden.map((c) => c.paper_id),
      );
      if (hidden.length > 0) {
        await trx
          .deleteFrom("hidden_comments")
          .where(
            "comment_id",
            "in",
            hidden.map((c) => c.id),
          )
          .execute();
      }
      for (const paper of papers.values()) await recountPaper(trx, paper);
      await restoreEntries(trx, { submitterId: act.userId, cause: "ban" });
      await recordAction(trx, { ...act, action: "unban", subjectKind: "user", subject: user.username });
      return "done";
    });
  }

  /** Sets an account's role, with its audit row. */
  async setRole(act: { userId: number; role: Role; moderatorId: number; reason: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ModerationOutcome> => {
      const user = await lockAccount(trx, this.kind, act.userId);
      if (!user) return "not-found";
      if (user.role === act.role) return "unchanged";
      await trx.updateTable("users").set({ role: act.role }).where("id", "=", act.userId).execute();
      await recordAction(trx, {
        ...act,
        action: `role ${act.role}`,
        subjectKind: "user",
        subject: user.username,
        userId: act.userId,
      });
      return "done";
    });
  }

  /** Comments with open reports, the most reported first, then the oldest report first. */
  async openReports(limit: number): Promise<ReportedComment[]> {
    const rows = await this.db
      .selectFrom("comment_reports as r")
      .innerJoin("comments as c", "c.id", "r.comment_id")
      .innerJoin("users as a", "a.id", "c.user_id")
      .innerJoin("users as u", "u.id", "r.user_id")
      .innerJoin("papers as p", "p.id", "c.paper_id")
      .select([
        "c.id as comment_id",
        "c.paper_id",
        "p.title",
        "a.username as author",
        "c.body",
        "c.created_at as comment_created_at",
        "u.username as reporter",
        "r.reason",
        "r.created_at",
      ])
      .where("r.resolved_at", "is", null)
      .where("c.deleted_at", "is", null)
      .orderBy("r.created_at")
      .orderBy("r.comment_id")
      .execute();
    const byComment = new Map<number, ReportedComment>();
    for (const row of rows) {
      const entry = byComment.get(row.comment_id) ?? {
        commentId: row.comment_id,
        paperId: row.paper_id,
        paperTitle: row.title,
        author: row.author,
        body: row.body,
        createdAt: row.comment_created_at,
        reports: [],
      };
      entry.reports.push({ reporter: row.reporter, reason: row.reason, createdAt: row.created_at });
      byComment.set(row.comment_id, entry);
    }
    return [...byComment.values()].sort((a, b) => b.reports.length - a.reports.length).slice(0, limit);
  }

  async countOpenReports(): Promise<number> {
    const { n } = await this.db
      .selectFrom("comment_reports as r")
      .innerJoin("comments as c", "c.id", "r.comment_id")
      .select((eb) => eb.fn.count<number>("r.comment_id").distinct().as("n"))
      .where("r.resolved_at", "is", null)
      .where("c.deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Comments hidden now, newest first. */
  async hiddenComments(limit: number): Promise<HiddenComment[]> {
    const rows = await this.db
      .selectFrom("hidden_comments as h")
      .innerJoin("comments as c", "c.id", "h.comment_id")
      .innerJoin("users as a", "a.id", "c.user_id")
      .innerJoin("users as m", "m.id", "h.moderator_id")
      .select([
        "c.id",
        "c.paper_id",
        "a.username as author",
        "c.body",
        "h.reason",
        "h.cause",
        "m.username as moderator",
        "h.created_at",
      ])
      .where("c.deleted_at", "is", null)
      .orderBy("h.created_at", "desc")
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      commentId: row.id,
      paperId: row.paper_id,
      author: row.author,
      body: row.body,
      reason: row.reason,
      cause: row.cause,
      moderator: row.moderator,
      hiddenAt: row.created_at,
    }));
  }

  /** Feed entries hidden now, newest first; `paperId` narrows them to one paper. */
  async hiddenFeedEntries(options: { limit: number; paperId?: string }): Promise<HiddenFeedEntry[]> {
    let query = this.db
      .selectFrom("hidden_feed_entries as h")
      .innerJoin("papers as p", "p.id", "h.paper_id")
      .innerJoin("users as m", "m.id", "h.moderator_id")
      .select(["h.paper_id", "p.title", "h.feed_date", "h.reason", "h.cause", "m.username", "h.created_at"])
      .orderBy("h.created_at", "desc")
      .orderBy("h.paper_id")
      .limit(options.limit);
    if (options.paperId) query = query.where("h.paper_id", "=", options.paperId);
    const rows = await query.execute();
    return rows.map((row) => ({
      paperId: row.paper_id,
      paperTitle: row.title,
      feedDate: row.feed_date,
      reason: row.reason,
      cause: row.cause,
      moderator: row.username,
      hiddenAt: row.created_at,
    }));
  }

  /** Whether a paper has entries taken off the feed (a submission or re-ingest must not bring it back). */
  async isHiddenFromFeed(paperId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("hidden_feed_entries")
      .select("paper_id")
      .where("paper_id", "=", paperId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The audit log, newest first. */
  async log(page: { limit: number; offset: number }): Promise<{ entries: ModerationEntry[]; total: number }> {
    const rows = await this.db
      .selectFrom("moderation_log as l")
      .innerJoin("users as m", "m.id", "l.moderator_id")
      .leftJoin("users as u", "u.id", "l.user_id")
      .select([
        "l.id",
        "m.username as moderator",
        "l.action",
        "l.subject_kind",
        "l.subject",
        "u.username as user",
        "l.reason",
        "l.created_at",
      ])
      .orderBy("l.id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const { n } = await this.db
      .selectFrom("moderation_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return {
      entries: rows.map((row) => ({
        id: row.id,
        moderator: row.moderator,
        action: row.action,
        subjectKind: row.subject_kind,
        subject: row.subject,
        user: row.user,
        reason: row.reason,
        createdAt: row.created_at,
      })),
      total: Number(n),
    };
  }

  /** Accounts for the users page: by name (a prefix), else the banned ones and the moderators. */
  async users(options: { query?: string; limit: number }): Promise<(User & { banReason: string | null })[]> {
    let query = this.db
      .selectFrom("users")
      .selectAll()
      .where("deleted_at", "is", null)
      .orderBy("username_key")
      .limit(options.limit);
    const prefix = options.query?.trim().toLowerCase();
    if (prefix) {
      query = query.where("username_key", "like", `${prefix}%`);
    } else {
      query = query.where((eb) => eb.or([eb("banned_at", "is not", null), eb("role", "!=", "user")]));
    }
    const rows = await query.execute();
    return rows.map((row) => ({ ...rowToUser(row), banReason: row.ban_reason }));
  }
}

async function paperExists(trx: Transaction<Database>, paperId: string): Promise<boolean> {
  return (await trx.selectFrom("papers").select("id").where("id", "=", paperId).executeTakeFirst()) !== undefined;
}

/** Moves a paper's feed entries, or a submitter's, aside into hidden_feed_entries. */
async function moveEntriesAside(
  trx: Transaction<Database>,
  which: { paperId?: string; submitterId?: number },
  act: { moderatorId: number; reason: string; now: string; cause: HiddenCause },
): Promise<number> {
  let query = trx.selectFrom("feed_entries").selectAll();
  if (which.paperId !== undefined) query = query.where("paper_id", "=", which.paperId);
  if (which.submitterId !== undefined) query = query.where("submitter_id", "=", which.submitterId);
  const entries = await query.execute();
  for (const entry of entries) {
    await trx
      .insertInto("hidden_feed_entries")
      .values({
        paper_id: entry.paper_id,
        feed_date: entry.feed_date,
        source: entry.source,
        submitted_by: entry.submitted_by,
        submitter_id: entry.submitter_id,
        moderator_id: act.moderatorId,
        reason: act.reason,
        cause: act.cause,
        created_at: act.now,
      })
      .onConflict((oc) => oc.columns(["paper_id", "feed_date"]).doNothing())
      .execute();
    await trx
      .deleteFrom("feed_entries")
      .where("paper_id", "=", entry.paper_id)
      .where("feed_date", "=", entry.feed_date)
      .execute();
  }
  return entries.length;
}

/**
 * Puts hidden entries back on the feed. An entry for the same day that arrived meanwhile (a
 * re-ingest) is kept, and the hidden one simply goes.
 */
async function restoreEntries(
  trx: Transaction<Database>,
  which: { paperId?: string; submitterId?: number; cause?: HiddenCause },
): Promise<number> {
  let query = trx.selectFrom("hidden_feed_entries").selectAll();
  if (which.paperId !== undefined) query = query.where("paper_id", "=", which.paperId);
  if (which.submitterId !== undefined) query = query.where("submitter_id", "=", which.submitterId);
  if (which.cause !== undefined) query = query.where("cause", "=", which.cause);
  const entries = await query.execute();
  for (const entry of entries) {
    await trx
      .insertInto("feed_entries")
      .values({
        paper_id: entry.paper_id,
        feed_date: entry.feed_date,
        source: entry.source,
        submitted_by: entry.submitted_by,
        submitter_id: entry.submitter_id,
      })
      .onConflict((oc) => oc.columns(["feed_date", "paper_id"]).doNothing())
      .execute();
    await trx
      .deleteFrom("hidden_feed_entries")
      .where("paper_id", "=", entry.paper_id)
      .where("feed_date", "=", entry.feed_date)
      .execute();
  }
  return entries.length;
}
