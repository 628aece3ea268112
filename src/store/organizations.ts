import { type Kysely, sql, type Transaction } from "kysely";
import { type NamedOrganization, organizationIn } from "../papers/organization.ts";
import type { Paper } from "../papers/paper.ts";
import { papersByIds } from "./paper-rows.ts";
import type { Database } from "./schema.ts";

export interface Organization {
  id: number;
  /** As Hugging Face spells it: the page's address. */
  name: string;
  /** The name shown: the full name when there is one. */
  fullname: string | null;
  avatarUrl: string | null;
  paperCount: number;
}

export interface OrganizationPaper {
  paper: Paper;
  /** The feed day it is listed on (its latest), or null when it is on no feed day. */
  feedDate: string | null;
}

export interface OrganizationPapersPage {
  items: OrganizationPaper[];
  total: number;
}

/**
 * Points re-ingested papers at the organisations their Hugging Face data names (creating those),
 * inside the ingest's transaction. Only links from Hugging Face (`source = 'hf'`) are replaced.
 */
export async function linkOrganizations(trx: Transaction<Database>, papers: Paper[], now: string): Promise<void> {
  if (papers.length === 0) return;
  const named = papers.flatMap((paper) => {
    const organization = organizationIn(paper.hf);
    return organization ? [{ paper: paper.id, ...organization, key: organization.name.toLowerCase() }] : [];
  });
  const byKey = new Map(named.map((n) => [n.key, n]));
  for (const organization of byKey.values()) {
    await trx
      .insertInto("organizations")
      .values({
        name: organization.name,
        name_key: organization.key,
        fullname: organization.fullname,
        avatar_url: organization.avatar,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.column("name_key").doUpdateSet((eb) => ({
          fullname: eb.fn.coalesce(eb.ref("excluded.fullname"), eb.ref("organizations.fullname")),
          avatar_url: eb.fn.coalesce(eb.ref("excluded.avatar_url"), eb.ref("organizations.avatar_url")),
        })),
      )
      .execute();
  }
  const ids = papers.map((p) => p.id);
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .deleteFrom("paper_organizations")
      .where("source", "=", "hf")
      .where("paper_id", "in", ids.slice(i, i + 500))
      .execute();
  }
  if (named.length === 0) return;
  const keys = [...byKey.keys()];
  const rows = await trx.selectFrom("organizations").select(["id", "name_key"]).where("name_key", "in", keys).execute();
  const idOf = new Map(rows.map((r) => [r.name_key, r.id]));
  const links = named.flatMap((n) => {
    const id = idOf.get(n.key);
    return id === undefined ? [] : [{ paper_id: n.paper, organization_id: id, source: "hf" }];
  });
  for (let i = 0; i < links.length; i += 300) {
    await trx
      .insertInto("paper_organizations")
      .values(links.slice(i, i + 300))
      .onConflict((oc) => oc.columns(["paper_id", "organization_id"]).doNothing())
      .execute();
  }
}

/** Organisations and their papers. */
export class OrganizationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom("organizations as o")
      .select(["o.id", "o.name", "o.fullname", "o.avatar_url"])
      .select((eb) =>
        eb
          .selectFrom("paper_organizations as po")
          .whereRef("po.organization_id", "=", "o.id")
          .select((e) => e.fn.countAll<number>().as("n"))
          .as("paper_count"),
      );
  }

  /**
   * The organisation each of these papers is credited to, the one place pages ask: the one
   * Hugging Face names, else one a member linked it to. Papers with none are left out.
   */
  async ofPapers(paperIds: string[]): Promise<Map<string, NamedOrganization>> {
    const credited = new Map<string, NamedOrganization>();
    if (paperIds.length === 0) return credited;
    const rows = await this.db
      .selectFrom("paper_organizations as po")
      .innerJoin("organizations as o", "o.id", "po.organization_id")
      .select(["po.paper_id", "o.name", "o.fullname", "o.avatar_url"])
      .where("po.paper_id", "in", [...new Set(paperIds)])
      .orderBy(sql`CASE WHEN po.source = 'hf' THEN 0 ELSE 1 END`)
      .orderBy("o.name_key")
      .execute();
    for (const row of rows) {
      if (!credited.has(row.paper_id)) {
        credited.set(row.paper_id, { name: row.name, fullname: row.fullname, avatar: row.avatar_url });
      }
    }
    return credited;
  }

  /** By name, whatever its case. */
  async byName(name: string): Promise<Organization | null> {
    const row = await this.select().where("o.name_key", "=", name.trim().toLowerCase()).executeTakeFirst();
    return row
      ? {
          id: row.id,
          name: row.name,
          fullname: row.fullname,
          avatarUrl: row.avatar_url,
          paperCount: Number(row.paper_count),
        }
      : null;
  }

  /** The organisation's papers, newest feed day first and most upvoted first within a day. */
  async papers(organizationId: number, limit: number, offset: number): Promise<OrganizationPapersPage> {
    const latestDay = sql<string | null>`(SELECT MAX(fe.feed_date) FROM feed_entries fe WHERE fe.paper_id = p.id)`;
    const rows = await this.db
      .selectFrom("paper_organizations as po")
      .innerJoin("papers as p", "p.id", "po.paper_id")
      .select(["p.id"])
      .select(latestDay.as("feed_date"))
      .where("po.organization_id", "=", organizationId)
      .orderBy(sql`COALESCE(${latestDay}, '')`, "desc")
      .orderBy("p.upvotes", "desc")
      .orderBy("p.id")
      .limit(limit)
      .offset(offset)
      .execute();
    const { n } = await this.db
      .selectFrom("paper_organizations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("organization_id", "=", organizationId)
      .executeTakeFirstOrThrow();
    const papers = new Map(
      (
        await papersByIds(
          this.db,
          rows.map((r) => r.id),
        )
      ).map((p) => [p.id, p]),
    );
    return {
      items: rows.flatMap((r) => {
        const paper = papers.get(r.id);
        return paper ? [{ paper, feedDate: r.feed_date }] : [];
      }),
      total: Number(n),
    };
  }
}
