import type { Kysely, Selectable } from "kysely";
import { recordAction } from "./moderation.ts";
import type { AuthorClaimsTable, ClaimStatus, Database } from "./schema.ts";
import { isUniqueViolation, rowToUser, type User } from "./users.ts";

/** A claim to be one of a paper's authors, as moderators and the claimant see it. */
export interface AuthorClaim {
  id: number;
  paperId: string;
  paperTitle: string;
  /** The author's place in the paper's author list, counting from 0. */
  position: number;
  authorName: string;
  claimant: Pick<User, "id" | "username" | "displayName">;
  status: ClaimStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

/** An author slot of a paper that a user's approved claim holds. */
export interface ClaimedAuthor {
  position: number;
  user: User;
  /** When the claim was approved. */
  approvedAt: string;
}

export type NewClaimOutcome = AuthorClaim | "no-paper" | "no-author" | "already-claimed" | "slot-taken";
export type DecisionOutcome =
  | { status: "decided"; claim: AuthorClaim }
  /** Someone decided it first: nothing changed. */
  | { status: "already-decided"; claim: AuthorClaim }
  /** Another claim of the same author slot was approved before. */
  | { status: "slot-taken"; claim: AuthorClaim }
  | { status: "not-found" };

type ClaimRow = Selectable<AuthorClaimsTable> & {
  title: string;
  username: string;
  display_name: string | null;
  decider: string | null;
};

function rowToClaim(row: ClaimRow): AuthorClaim {
  return {
    id: row.id,
    paperId: row.paper_id,
    paperTitle: row.title,
    position: row.author_position,
    authorName: row.author_name,
    claimant: { id: row.user_id, username: row.username, displayName: row.display_name },
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decider,
  };
}

/** Authorship claims: made by users, decided once by a moderator. */
export class ClaimRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom("author_claims as a")
      .innerJoin("papers as p", "p.id", "a.paper_id")
      .innerJoin("users as u", "u.id", "a.user_id")
      .leftJoin("users as d", "d.id", "a.decided_by")
      .selectAll("a")
      .select(["p.title", "u.username", "u.display_name", "d.username as decider"]);
  }

  async get(id: number): Promise<AuthorClaim | null> {
    const row = await this.select().where("a.id", "=", id).executeTakeFirst();
    return row ? rowToClaim(row) : null;
  }

  /**
   * Records a user's claim to be the author at `position` of a paper. One live claim per user and
   * paper; a slot someone holds already cannot be claimed.
   */
  async create(claim: { paperId: string; position: number; userId: number; now: string }): Promise<NewClaimOutcome> {
    const paper = await this.db
      .selectFrom("papers")
      .select(["id", "authors"])
      .where("id", "=", claim.paperId)
      .executeTakeFirst();
    if (!paper) return "no-paper";
    const authors = JSON.parse(paper.authors) as { name: string }[];
    const author = authors[claim.position];
    if (!author) return "no-author";
    const held = await this.db
      .selectFrom("author_claims")
      .select("id")
      .where("paper_id", "=", claim.paperId)
      .where("author_position", "=", claim.position)
      .where("status", "=", "approved")
      .executeTakeFirst();
    if (held) return "slot-taken";
    try {
      const row = await this.db
        .insertInto("author_claims")
        .values({
          paper_id: claim.paperId,
          author_position: claim.position,
          author_name: author.name,
          user_id: claim.userId,
          status: "pending",
          created_at: claim.now,
          decided_at: null,
          decided_by: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const created = await this.get(row.id);
      if (!created) throw new Error(`claim ${row.id} vanished after it was made`);
      return created;
    } catch (error) {
      if (isUniqueViolation(error)) return "already-claimed";
      throw error;
    }
  }

  /**
   * Approves or rejects a pending claim, exactly once: the status changes only from pending (one
   * conditional UPDATE, which a concurrent decision waits on and then finds decided), and the
   * audit row is written in the same transaction, so two moderators deciding at once make one
   * decision and one log entry.
   */
  async decide(decision: {
    id: number;
    approve: boolean;
    moderatorId: number;
    reason: string;
    now: string;
  }): Promise<DecisionOutcome> {
    const status: ClaimStatus = decision.approve ? "approved" : "rejected";
    let outcome: "decided" | "unchanged" | "slot-taken";
    try {
      outcome = await this.db.transaction().execute(async (trx) => {
        const changed = await trx
          .updateTable("author_claims")
          .set({ status, decided_at: decision.now, decided_by: decision.moderatorId })
          .where("id", "=", decision.id)
          .where("status", "=", "pending")
          .returning(["user_id", "paper_id", "author_name"])
          .executeTakeFirst();
        if (!changed) return "unchanged" as const;
        await recordAction(trx, {
          moderatorId: decision.moderatorId,
          action: decision.approve ? "approve claim" : "reject claim",
          subjectKind: "claim",
          subject: String(decision.id),
          userId: changed.user_id,
          reason: decision.reason || `${changed.author_name} on ${changed.paper_id}`,
          now: decision.now,
        });
        return "decided" as const;
      });
    } catch (error) {
      // Another claim of the slot was approved first (author_claims_slot): the transaction rolled back.
      if (!isUniqueViolation(error)) throw error;
      outcome = "slot-taken";
    }
    const claim = await this.get(decision.id);
    if (!claim) return { status: "not-found" };
    if (outcome === "unchanged") return { status: "already-decided", claim };
    return { status: outcome, claim };
  }

  /** Claims with a status, oldest first (the queue), or newest first for decided ones. */
  async list(options: { status: ClaimStatus; limit: number; offset?: number }): Promise<AuthorClaim[]> {
    const rows = await this.select()
      .where("a.status", "=", options.status)
      .orderBy("a.id", options.status === "pending" ? "asc" : "desc")
      .limit(options.limit)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(rowToClaim);
  }

  async countPending(): Promise<number> {
    const { n } = await this.db
      .selectFrom("author_claims")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** A user's claims on one paper that still stand (pending or approved). */
  async ofUser(userId: number, paperId: string): Promise<AuthorClaim[]> {
    const rows = await this.select()
      .where("a.user_id", "=", userId)
      .where("a.paper_id", "=", paperId)
      .where("a.status", "!=", "rejected")
      .execute();
    return rows.map(rowToClaim);
  }

  /** A user's approved claims, newest paper first: the papers their profile lists as theirs. */
  async approvedOf(userId: number): Promise<AuthorClaim[]> {
    const rows = await this.select()
      .where("a.user_id", "=", userId)
      .where("a.status", "=", "approved")
      .orderBy("p.published_at", "desc")
      .orderBy("a.paper_id")
      .execute();
    return rows.map(rowToClaim);
  }

  /** The live accounts whose approved claims name an author as `name` (on any paper): the author page links them. */
  async accountsNamed(name: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom("users as u")
      .selectAll("u")
      .where("u.deleted_at", "is", null)
      .where("u.banned_at", "is", null)
      .where("u.id", "in", (eb) =>
        eb
          .selectFrom("author_claims")
          .select("user_id")
          .where("author_name", "=", name)
          .where("status", "=", "approved"),
      )
      .orderBy("u.username_key")
      .execute();
    return rows.map(rowToUser);
  }

  /** For each of these papers, its author slots that approved claims hold, with their live (unbanned) accounts. */
  async claimedAuthors(paperIds: string[]): Promise<Map<string, ClaimedAuthor[]>> {
    const claimed = new Map<string, ClaimedAuthor[]>();
    if (paperIds.length === 0) return claimed;
    const rows = await this.db
      .selectFrom("author_claims as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .selectAll("u")
      .select(["a.paper_id", "a.author_position", "a.decided_at"])
      .where("a.paper_id", "in", [...new Set(paperIds)])
      .where("a.status", "=", "approved")
      .where("u.deleted_at", "is", null)
      .where("u.banned_at", "is", null)
      .orderBy("a.author_position")
      .execute();
    for (const { paper_id, author_position, decided_at, ...user } of rows) {
      const list = claimed.get(paper_id) ?? [];
      list.push({ position: author_position, user: rowToUser(user), approvedAt: decided_at ?? "" });
      claimed.set(paper_id, list);
    }
    return claimed;
  }
}
