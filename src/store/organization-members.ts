import type { Kysely } from "kysely";
import { recordAction } from "./moderation.ts";
import type { Database } from "./schema.ts";
import { isUniqueViolation, rowToUser, type User } from "./users.ts";

/** An organisation as its members and admins manage it. */
export interface ManagedOrganization {
  id: number;
  name: string;
  fullname: string | null;
  members: User[];
}

export type AttachOutcome = "done" | "unchanged" | "not-member" | "not-submitter";

/**
 * Organisation administration on top of the organisations table (store/organizations.ts): admins
 * create organisations and add members (both in the audit log); a member links a paper they
 * submitted to their organisation.
 */
export class OrganizationMemberRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A new organisation; "taken" when the name (whatever its case) exists. */
  async create(org: { name: string; fullname: string | null; adminId: number; now: string }) {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("organizations")
          .values({
            name: org.name,
            name_key: org.name.toLowerCase(),
            fullname: org.fullname,
            avatar_url: null,
            created_at: org.now,
          })
          .returning(["id", "name"])
          .executeTakeFirstOrThrow();
        await recordAction(trx, {
          moderatorId: org.adminId,
          action: "create organization",
          subjectKind: "organization",
          subject: org.name,
          reason: org.fullname ?? "",
          now: org.now,
        });
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return "taken" as const;
      throw error;
    }
  }

  /** Adds (or, with `remove`, takes away) a member; "unchanged" when it already was so. */
  async setMember(change: {
    organizationId: number;
    organizationName: string;
    user: User;
    remove?: boolean;
    adminId: number;
    now: string;
  }): Promise<"done" | "unchanged"> {
    return this.db.transaction().execute(async (trx) => {
      const result = change.remove
        ? await trx
            .deleteFrom("organization_members")
            .where("organization_id", "=", change.organizationId)
            .where("user_id", "=", change.user.id)
            .executeTakeFirst()
            .then((r) => Number(r.numDeletedRows))
        : await trx
            .insertInto("organization_members")
            .values({
              organization_id: change.organizationId,
              user_id: change.user.id,
              added_by: change.adminId,
              created_at: change.now,
            })
            .onConflict((oc) => oc.columns(["organization_id", "user_id"]).doNothing())
            .executeTakeFirst()
            .then((r) => Number(r.numInsertedOrUpdatedRows ?? 0));
      if (result === 0) return "unchanged";
      await recordAction(trx, {
        moderatorId: change.adminId,
        action: change.remove ? "remove member" : "add member",
        subjectKind: "organization",
        subject: change.organizationName,
        userId: change.user.id,
        reason: "",
        now: change.now,
      });
      return "done";
    });
  }

  /** Organisations that have members here, with them, by name. */
  async withMembers(): Promise<ManagedOrganization[]> {
    const rows = await this.db
      .selectFrom("organization_members as m")
      .innerJoin("organizations as o", "o.id", "m.organization_id")
      .innerJoin("users as u", "u.id", "m.user_id")
      .selectAll("u")
      .select(["o.id as organization_id", "o.name as organization_name", "o.fullname as organization_fullname"])
      .where("u.deleted_at", "is", null)
      .orderBy("o.name_key")
      .orderBy("u.username_key")
      .execute();
    const byId = new Map<number, ManagedOrganization>();
    for (const { organization_id, organization_name, organization_fullname, ...user } of rows) {
      const org = byId.get(organization_id) ?? {
        id: organization_id,
        name: organization_name,
        fullname: organization_fullname,
        members: [],
      };
      org.members.push(rowToUser(user));
      byId.set(organization_id, org);
    }
    return [...byId.values()];
  }

  /** The organisations a user is a member of, by name. */
  async of(userId: number): Promise<{ id: number; name: string; fullname: string | null }[]> {
    return this.db
      .selectFrom("organization_members as m")
      .innerJoin("organizations as o", "o.id", "m.organization_id")
      .select(["o.id", "o.name", "o.fullname"])
      .where("m.user_id", "=", userId)
      .orderBy("o.name_key")
      .execute();
  }

  /** Links a paper to an organisation for a member who submitted it to the feed. */
  async attach(link: { organizationId: number; paperId: string; userId: number }): Promise<AttachOutcome> {
    const member = await this.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", link.organizationId)
      .where("user_id", "=", link.userId)
      .executeTakeFirst();
    if (!member) return "not-member";
    const submitted = await this.db
      .selectFrom("feed_entries")
      .select("paper_id")
      .where("paper_id", "=", link.paperId)
      .where("submitter_id", "=", link.userId)
      .executeTakeFirst();
    if (!submitted) return "not-submitter";
    const inserted = await this.db
      .insertInto("paper_organizations")
      .values({
        paper_id: link.paperId,
        organization_id: link.organizationId,
        source: "member",
        attached_by: link.userId,
      })
      .onConflict((oc) => oc.columns(["paper_id", "organization_id"]).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0 ? "unchanged" : "done";
  }
}
