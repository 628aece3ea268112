import type { Kysely } from "kysely";
import type { Paper } from "../papers/paper.ts";
import { papersByIds } from "./paper-rows.ts";
import type { Database } from "./schema.ts";

/** What a profile says besides the account. */
export interface ProfileFields {
  bio: string;
  links: string[];
  upvotesPublic: boolean;
}

export interface ProfileComment {
  id: number;
  paperId: string;
  paperTitle: string;
  body: string;
  createdAt: string;
}

export interface DatedPaper {
  paper: Paper;
  /** When it was submitted or upvoted. */
  at: string;
}

/** What a user's profile page lists: their fields, submissions, comments and upvotes. */
export class ProfileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async fields(userId: number): Promise<ProfileFields> {
    const row = await this.db
      .selectFrom("users")
      .select(["bio", "links", "upvotes_public"])
      .where("id", "=", userId)
      .executeTakeFirst();
    return {
      bio: row?.bio ?? "",
      links: row ? (JSON.parse(row.links) as string[]) : [],
      upvotesPublic: row?.upvotes_public === 1,
    };
  }

  async setFields(userId: number, fields: ProfileFields): Promise<void> {
    await this.db
      .updateTable("users")
      .set({ bio: fields.bio, links: JSON.stringify(fields.links), upvotes_public: fields.upvotesPublic ? 1 : 0 })
      .where("id", "=", userId)
      .where("deleted_at", "is", null)
      .execute();
  }

  private async withPapers(rows: { paper_id: string; at: string }[]): Promise<DatedPaper[]> {
    const papers = new Map(
      (
        await papersByIds(
          this.db,
          rows.map((r) => r.paper_id),
        )
      ).map((p) => [p.id, p]),
    );
    return rows.flatMap((r) => {
      const paper = papers.get(r.paper_id);
      return paper ? [{ paper, at: r.at }] : [];
    });
  }

  /** Papers the user put on the feed, latest feed day first. */
  async submissions(userId: number, limit: number): Promise<DatedPaper[]> {
    const rows = await this.db
      .selectFrom("feed_entries")
      .select(["paper_id", "feed_date as at"])
      .where("submitter_id", "=", userId)
      .orderBy("feed_date", "desc")
      .orderBy("paper_id")
      .limit(limit)
      .execute();
    return this.withPapers(rows);
  }

  /** Papers the user upvoted, latest first. */
  async upvoted(userId: number, limit: number): Promise<DatedPaper[]> {
    const rows = await this.db
      .selectFrom("votes")
      .select(["paper_id", "created_at as at"])
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("paper_id")
      .limit(limit)
      .execute();
    return this.withPapers(rows);
  }

  /** The user's comments that are not deleted, latest first, with their papers' titles. */
  async comments(userId: number, limit: number): Promise<ProfileComment[]> {
    const rows = await this.db
      .selectFrom("comments as c")
      .innerJoin("papers as p", "p.id", "c.paper_id")
      .select(["c.id", "c.paper_id", "p.title", "c.body", "c.created_at"])
      .where("c.user_id", "=", userId)
      .where("c.deleted_at", "is", null)
      .orderBy("c.id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      paperId: r.paper_id,
      paperTitle: r.title,
      body: r.body,
      createdAt: r.created_at,
    }));
  }
}
