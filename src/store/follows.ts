import { type Kysely, sql } from "kysely";
import { addDays, type DayRange } from "../calendar/periods.ts";
import type { Paper } from "../papers/paper.ts";
import type { DatabaseKind } from "./connection.ts";
import { feedEntriesOf, takenOffTheFeed } from "./feed.ts";
import { papersByIds } from "./paper-rows.ts";
import type { Database, FollowKind } from "./schema.ts";
import { lockUser } from "./users.ts";

export interface Follow {
  kind: FollowKind;
  value: string;
  createdAt: string;
}

/** A followed author, category or organisation that put a paper on someone's feed. */
export interface FollowReason {
  kind: FollowKind;
  value: string;
}

export interface PersonalFeedItem {
  paper: Paper;
  reasons: FollowReason[];
}

export interface PersonalFeedPage {
  items: PersonalFeedItem[];
  /** Papers on the whole feed, for paging. */
  total: number;
}

/** What users follow, and the papers that brings them ("My feed"). */
export class FollowRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  /** Follows (or stops following); repeating either changes nothing. False when the account is gone. */
  async set(userId: number, kind: FollowKind, value: string, following: boolean, now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await lockUser(trx, this.kind, userId, "share"))) return false;
      if (following) {
        await trx
          .insertInto("follows")
          .values({ user_id: userId, kind, value, created_at: now })
          .onConflict((oc) => oc.columns(["user_id", "kind", "value"]).doNothing())
          .execute();
      } else {
        await trx
          .deleteFrom("follows")
          .where("user_id", "=", userId)
          .where("kind", "=", kind)
          .where("value", "=", value)
          .execute();
      }
      return true;
    });
  }

  async ofUser(userId: number): Promise<Follow[]> {
    const rows = await this.db
      .selectFrom("follows")
      .select(["kind", "value", "created_at"])
      .where("user_id", "=", userId)
      .orderBy("kind")
      .orderBy("value")
      .execute();
    return rows.map((r) => ({ kind: r.kind, value: r.value, createdAt: r.created_at }));
  }

  async count(userId: number): Promise<number> {
    const { n } = await this.db
      .selectFrom("follows")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /**
   * How a follow target is spelt here, when papers know it: an author's name as papers give it, a
   * category code, an organisation's name (found whatever its case). Null when no paper has it.
   */
  async canonical(kind: FollowKind, value: string): Promise<string | null> {
    if (kind === "organization") {
      const row = await this.db
        .selectFrom("organizations")
        .select("name")
        .where("name_key", "=", value.trim().toLowerCase())
        .executeTakeFirst();
      return row?.name ?? null;
    }
    const row =
      kind === "author"
        ? await this.db
            .selectFrom("paper_authors")
            .select("name as v")
            .where("name", "=", value)
            .limit(1)
            .executeTakeFirst()
        : await this.db
            .selectFrom("paper_categories")
            .select("category as v")
            .where("category", "=", value)
            .limit(1)
            .executeTakeFirst();
    return row?.v ?? null;
  }

  async isFollowing(userId: number, kind: FollowKind, value: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("follows")
      .select("user_id")
      .where("user_id", "=", userId)
      .where("kind", "=", kind)
      .where("value", "=", value)
      .executeTakeFirst();
    return row !== undefined;
  }

  async followerCount(kind: FollowKind, value: string): Promise<number> {
    const { n } = await this.db
      .selectFrom("follows as f")
      .innerJoin("users as u", "u.id", "f.user_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("f.kind", "=", kind)
      .where("f.value", "=", value)
      .where("u.deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Each user's papers by followed authors, in followed categories or from followed organisations. */
  private followedPapers(userIds: readonly number[]) {
    return this.db
      .selectFrom("paper_authors as pa")
      .innerJoin("follows as f", (j) => j.onRef("f.value", "=", "pa.name").on("f.kind", "=", "author"))
      .select(["f.user_id", "pa.paper_id"])
      .where("f.user_id", "in", userIds)
      .union(
        this.db
          .selectFrom("paper_categories as pc")
          .innerJoin("follows as f", (j) => j.onRef("f.value", "=", "pc.category").on("f.kind", "=", "category"))
          .select(["f.user_id", "pc.paper_id"])
          .where("f.user_id", "in", userIds),
      )
      .union(
        this.db
          .selectFrom("paper_organizations as po")
          .innerJoin("organizations as o", "o.id", "po.organization_id")
          .innerJoin("follows as f", (j) => j.onRef("f.value", "=", "o.name").on("f.kind", "=", "organization"))
          .select(["f.user_id", "po.paper_id"])
          .where("f.user_id", "in", userIds),
      );
  }

  /**
   * Papers from what the user follows, newest first, each with what brought it; one a moderator
   * took off the feed is left out here as from the feed's pages.
   */
  async feed(userId: number, limit: number, offset: number): Promise<PersonalFeedPage> {
    const followed = this.db
      .selectFrom("papers as p")
      .where((eb) =>
        eb.and([
          eb("p.id", "in", eb.selectFrom(this.followedPapers([userId]).as("f")).select("f.paper_id")),
          eb("p.id", "not in", takenOffTheFeed(this.db)),
        ]),
      );
    const rows = await followed
      .select("p.id")
      .orderBy("p.published_at", "desc")
      .orderBy("p.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute();
    const { n } = await followed.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const ids = rows.map((r) => r.id);
    const papers = await papersByIds(this.db, ids);
    const reasons = await this.reasons(userId, ids);
    return {
      items: papers.map((paper) => ({ paper, reasons: reasons.get(paper.id) ?? [] })),
      total: Number(n),
    };
  }

  /**
   * For several users at once, the papers from what each follows that are new in the days `range`:
   * published then (on arXiv) or put on the daily feed then, and not taken off it (as in `feed`).
   * Newest first, at most `limit` a user; users with none are absent.
   */
  async newIn(userIds: readonly number[], range: DayRange, limit: number): Promise<Map<number, Paper[]>> {
    const found = new Map<number, Paper[]>();
    if (userIds.length === 0) return found;
    const ranked = this.db
      .selectFrom(this.followedPapers(userIds).as("f"))
      .innerJoin("papers as p", "p.id", "f.paper_id")
      .select([
        "f.user_id",
        "f.paper_id",
        sql<number>`row_number() over (partition by f.user_id order by p.published_at desc, p.id desc)`.as("rank"),
      ])
      .where((eb) =>
        eb.and([
          eb("p.id", "not in", takenOffTheFeed(this.db)),
          eb.or([
            eb.and([
              eb("p.published_at", ">=", `${range.from}T00:00:00.000Z`),
              eb("p.published_at", "<", `${addDays(range.to, 1)}T00:00:00.000Z`),
            ]),
            eb.exists(feedEntriesOf(this.db, eb.ref("p.id"), range)),
          ]),
        ]),
      );
    const rows = await this.db
      .selectFrom(ranked.as("r"))
      .select(["r.user_id", "r.paper_id"])
      .where("r.rank", "<=", limit)
      .orderBy("r.user_id")
      .orderBy("r.rank")
      .execute();
    const papers = new Map(
      (await papersByIds(this.db, [...new Set(rows.map((r) => r.paper_id))])).map((p) => [p.id, p]),
    );
    for (const row of rows) {
      const paper = papers.get(row.paper_id);
      if (paper) found.set(row.user_id, [...(found.get(row.user_id) ?? []), paper]);
    }
    return found;
  }

  private async reasons(userId: number, ids: string[]): Promise<Map<string, FollowReason[]>> {
    const found = new Map<string, FollowReason[]>();
    if (ids.length === 0) return found;
    const rows = await sql<{ paper_id: string; kind: FollowKind; value: string }>`
      SELECT pa.paper_id, f.kind, f.value FROM paper_authors pa
        JOIN follows f ON f.kind = 'author' AND f.value = pa.name AND f.user_id = ${userId}
        WHERE pa.paper_id IN (${sql.join(ids)})
      UNION SELECT pc.paper_id, f.kind, f.value FROM paper_categories pc
        JOIN follows f ON f.kind = 'category' AND f.value = pc.category AND f.user_id = ${userId}
        WHERE pc.paper_id IN (${sql.join(ids)})
      UNION SELECT po.paper_id, f.kind, f.value FROM paper_organizations po
        JOIN organizations o ON o.id = po.organization_id
        JOIN follows f ON f.kind = 'organization' AND f.value = o.name AND f.user_id = ${userId}
        WHERE po.paper_id IN (${sql.join(ids)})`.execute(this.db);
    const order: Record<FollowKind, number> = { author: 0, organization: 1, category: 2 };
    for (const row of rows.rows) found.set(row.paper_id, [...(found.get(row.paper_id) ?? []), row]);
    for (const list of found.values()) {
      list.sort((a, b) => order[a.kind] - order[b.kind] || a.value.localeCompare(b.value));
    }
    return new Map([...found].map(([id, list]) => [id, list.map(({ kind, value }) => ({ kind, value }))] as const));
  }
}
