import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Paper } from "../papers/paper.ts";
import type { DatabaseKind } from "./connection.ts";
import { papersByIds } from "./paper-rows.ts";
import type { CollectionsTable, Database } from "./schema.ts";
import { isUniqueViolation, lockUser } from "./users.ts";

/** A collection without its papers, as lists show it. */
export interface Collection {
  id: number;
  slug: string;
  ownerId: number;
  ownerUsername: string;
  title: string;
  description: string;
  private: boolean;
  /** Its owner is banned: the ban hides even their public collections, from all but moderators. */
  ownerBanned: boolean;
  createdAt: string;
  updatedAt: string;
  paperCount: number;
}

export interface CollectionItem {
  paper: Paper;
  note: string;
  addedAt: string;
}

export interface CollectionWithPapers extends Collection {
  items: CollectionItem[];
}

export interface CollectionChanges {
  title?: string;
  description?: string;
  private?: boolean;
}

type CollectionRow = Selectable<CollectionsTable> & {
  username: string;
  banned_at: string | null;
  paper_count: number | string | null;
};

function rowToCollection(row: CollectionRow): Collection {
  return {
    id: row.id,
    slug: row.slug,
    ownerId: row.owner_id,
    ownerUsername: row.username,
    title: row.title,
    description: row.description,
    private: row.private === 1,
    ownerBanned: row.banned_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paperCount: Number(row.paper_count),
  };
}

/** Collections and their papers. Who may see or change which is the community's rule (community/collections.ts). */
export class CollectionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
  ) {}

  private select() {
    return this.db
      .selectFrom("collections as c")
      .innerJoin("users as u", "u.id", "c.owner_id")
      .selectAll("c")
      .select(["u.username", "u.banned_at"])
      .select((eb) =>
        eb
          .selectFrom("collection_papers as cp")
          .whereRef("cp.collection_id", "=", "c.id")
          .select((e) => e.fn.countAll<number>().as("n"))
          .as("paper_count"),
      )
      .where("u.deleted_at", "is", null);
  }

  /** The new collection, or "slug-taken" when its slug is someone's already (the caller picks another). */
  async create(
    ownerId: number,
    fields: { slug: string; title: string; description: string; private: boolean },
    now: string,
  ): Promise<Collection | "slug-taken" | "no-user"> {
    try {
      const id = await this.db.transaction().execute(async (trx) => {
        if (!(await lockUser(trx, this.kind, ownerId, "share"))) return null;
        const row = await trx
          .insertInto("collections")
          .values({
            slug: fields.slug,
            owner_id: ownerId,
            title: fields.title,
            description: fields.description,
            private: fields.private ? 1 : 0,
            created_at: now,
            updated_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return row.id;
      });
      if (id === null) return "no-user";
      return (await this.byId(id)) ?? "no-user";
    } catch (error) {
      if (isUniqueViolation(error)) return "slug-taken";
      throw error;
    }
  }

  async byId(id: number): Promise<Collection | null> {
    const row = await this.select().where("c.id", "=", id).executeTakeFirst();
    return row ? rowToCollection(row) : null;
  }

  async bySlug(slug: string): Promise<Collection | null> {
    const row = await this.select().where("c.slug", "=", slug).executeTakeFirst();
    return row ? rowToCollection(row) : null;
  }

  /** A collection with its papers in their order. */
  async withPapers(slug: string): Promise<CollectionWithPapers | null> {
    const collection = await this.bySlug(slug);
    if (!collection) return null;
    const rows = await this.db
      .selectFrom("collection_papers")
      .select(["paper_id", "note", "added_at"])
      .where("collection_id", "=", collection.id)
      .orderBy("position")
      .orderBy("added_at")
      .execute();
    const papers = new Map(
      (
        await papersByIds(
          this.db,
          rows.map((r) => r.paper_id),
        )
      ).map((p) => [p.id, p]),
    );
    const items = rows.flatMap((r) => {
      const paper = papers.get(r.paper_id);
      return paper ? [{ paper, note: r.note, addedAt: r.added_at }] : [];
    });
    return { ...collection, items };
  }

  /** A user's collections, most recently changed first; their private ones only when `withPrivate`. */
  async ofOwner(ownerId: number, withPrivate: boolean): Promise<Collection[]> {
    let query = this.select().where("c.owner_id", "=", ownerId);
    if (!withPrivate) query = query.where("c.private", "=", 0);
    const rows = await query.orderBy("c.updated_at", "desc").orderBy("c.id", "desc").execute();
    return rows.map(rowToCollection);
  }

  /** Collections anyone may see: public, and their owner not banned. */
  private listed() {
    return this.select().where("c.private", "=", 0).where("u.banned_at", "is", null);
  }

  /** Listed collections, most recently changed first (MCP lists them as resources). */
  async publicOnes(limit: number): Promise<Collection[]> {
    const rows = await this.listed().orderBy("c.updated_at", "desc").orderBy("c.id", "desc").limit(limit).execute();
    return rows.map(rowToCollection);
  }

  /** Listed collections whose title holds the text (any case), most recently changed first. */
  async publicMatching(text: string, limit: number): Promise<Collection[]> {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await this.listed()
      .where(sql<boolean>`lower(c.title) LIKE ${pattern} ESCAPE '\\'`)
      .orderBy("c.updated_at", "desc")
      .orderBy("c.id", "desc")
      .limit(limit)
      .execute();
    return rows.map(rowToCollection);
  }

  async update(id: number, changes: CollectionChanges, now: string): Promise<void> {
    await this.db
      .updateTable("collections")
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.private !== undefined ? { private: changes.private ? 1 : 0 } : {}),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom("collections").where("id", "=", id).execute();
  }

  /**
   * Locks the collection's row for a change to its papers, so that concurrent adds number their
   * positions one after another (SQLite's writers take turns anyway). False when it is gone.
   */
  private async lock(trx: Transaction<Database>, id: number): Promise<boolean> {
    const read = trx.selectFrom("collections").select("id").where("id", "=", id);
    return (await (this.kind === "postgres" ? read.forUpdate() : read).executeTakeFirst()) !== undefined;
  }

  /**
   * Adds a paper at the end (or sets its note when it is there already, keeping its place).
   * "no-paper" when no such paper is stored.
   */
  async addPaper(
    id: number,
    paperId: string,
    note: string | undefined,
    now: string,
  ): Promise<"added" | "updated" | "no-paper" | "no-collection"> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await this.lock(trx, id))) return "no-collection";
      const paper = await trx.selectFrom("papers").select("id").where("id", "=", paperId).executeTakeFirst();
      if (!paper) return "no-paper";
      const existing = await trx
        .selectFrom("collection_papers")
        .select("position")
        .where("collection_id", "=", id)
        .where("paper_id", "=", paperId)
        .executeTakeFirst();
      if (existing) {
        if (note !== undefined) {
          await trx
            .updateTable("collection_papers")
            .set({ note })
            .where("collection_id", "=", id)
            .where("paper_id", "=", paperId)
            .execute();
        }
      } else {
        const { last } = await trx
          .selectFrom("collection_papers")
          .select((eb) => eb.fn.max("position").as("last"))
          .where("collection_id", "=", id)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("collection_papers")
          .values({
            collection_id: id,
            paper_id: paperId,
            position: last === null ? 0 : Number(last) + 1,
            note: note ?? "",
            added_at: now,
          })
          .execute();
      }
      await trx.updateTable("collections").set({ updated_at: now }).where("id", "=", id).execute();
      return existing ? "updated" : "added";
    });
  }

  /** Takes a paper out; false when it was not in the collection. */
  async removePaper(id: number, paperId: string, now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await this.lock(trx, id))) return false;
      const { numDeletedRows } = await trx
        .deleteFrom("collection_papers")
        .where("collection_id", "=", id)
        .where("paper_id", "=", paperId)
        .executeTakeFirst();
      if (Number(numDeletedRows) === 0) return false;
      await trx.updateTable("collections").set({ updated_at: now }).where("id", "=", id).execute();
      return true;
    });
  }

  /**
   * Puts the papers in this order: `paperIds` first as given, any others after them in their
   * current order. Ids not in the collection are ignored.
   */
  async reorder(id: number, paperIds: string[], now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.lock(trx, id))) return;
      const current = (
        await trx
          .selectFrom("collection_papers")
          .select("paper_id")
          .where("collection_id", "=", id)
          .orderBy("position")
          .orderBy("added_at")
          .execute()
      ).map((r) => r.paper_id);
      const present = new Set(current);
      const first = [...new Set(paperIds)].filter((p) => present.has(p));
      const order = [...first, ...current.filter((p) => !first.includes(p))];
      for (const [position, paperId] of order.entries()) {
        await trx
          .updateTable("collection_papers")
          .set({ position })
          .where("collection_id", "=", id)
          .where("paper_id", "=", paperId)
          .execute();
      }
      await trx.updateTable("collections").set({ updated_at: now }).where("id", "=", id).execute();
    });
  }

  /** Which of the owner's collections hold each of these papers (for "saved" marks on cards). */
  async holding(ownerId: number, paperIds: string[]): Promise<Map<string, number[]>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("collection_papers as cp")
      .innerJoin("collections as c", "c.id", "cp.collection_id")
      .select(["cp.paper_id", "cp.collection_id"])
      .where("c.owner_id", "=", ownerId)
      .where("cp.paper_id", "in", [...new Set(paperIds)])
      .execute();
    const held = new Map<string, number[]>();
    for (const row of rows) held.set(row.paper_id, [...(held.get(row.paper_id) ?? []), row.collection_id]);
    return held;
  }
}
