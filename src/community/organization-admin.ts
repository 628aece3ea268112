import type { User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { mustModerate } from "./rules.ts";

// Hugging Face account names: letters, digits, '-', '_' and '.', starting with a letter or digit.
const organizationName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const FULLNAME_MAX = 200;

function mustAdmin(user: User | null): User {
  const admin = mustModerate(user);
  if (admin.role !== "admin") throw new CommunityError("forbidden", "only admins manage organisations");
  return admin;
}

/**
 * Organisations run from this site: admins create them and add members; a member links a paper
 * they submitted to their organisation, and it shows on the organisation's page.
 */
export class OrganizationAdmin {
  constructor(private readonly deps: CommunityDeps) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private async organization(name: string) {
    const found = await this.deps.store.organizations.byName(name);
    if (!found) throw new CommunityError("not-found", `organisation ${name} not found`);
    return found;
  }

  async create(actor: User | null, name: string, fullname?: string) {
    const admin = mustAdmin(actor);
    const trimmed = name.trim();
    if (!organizationName.test(trimmed)) {
      throw new CommunityError("invalid", "name: letters, digits, '-', '_' and '.', up to 96, as on Hugging Face", {
        field: "name",
      });
    }
    const full = fullname?.trim() ?? "";
    if (full.length > FULLNAME_MAX) {
      throw new CommunityError("invalid", `full name: at most ${FULLNAME_MAX} characters`, { field: "fullname" });
    }
    const created = await this.deps.store.organizationMembers.create({
      name: trimmed,
      fullname: full || null,
      adminId: admin.id,
      now: this.now(),
    });
    if (created === "taken") throw new CommunityError("conflict", `an organisation named ${trimmed} exists`);
    return created;
  }

  async setMember(actor: User | null, name: string, username: string, remove = false) {
    const admin = mustAdmin(actor);
    const organization = await this.organization(name);
    const user = await this.deps.store.users.byUsername(username.trim());
    if (!user || user.deleted) throw new CommunityError("not-found", `user ${username} not found`);
    return this.deps.store.organizationMembers.setMember({
      organizationId: organization.id,
      organizationName: organization.name,
      user,
      remove,
      adminId: admin.id,
      now: this.now(),
    });
  }

  /** Organisations with members here; moderators may look, admins change them. */
  list(actor: User | null) {
    mustModerate(actor);
    return this.deps.store.organizationMembers.withMembers();
  }

  /** The organisations a user belongs to (their papers' pages offer to link them). */
  of(user: User) {
    return this.deps.store.organizationMembers.of(user.id);
  }

  /** Links a paper the user submitted to one of their organisations. */
  async attach(user: User, name: string, paperId: string) {
    const organization = await this.organization(name);
    const outcome = await this.deps.store.organizationMembers.attach({
      organizationId: organization.id,
      paperId,
      userId: user.id,
    });
    if (outcome === "not-member") throw new CommunityError("forbidden", `you are not a member of ${organization.name}`);
    if (outcome === "not-submitter") {
      throw new CommunityError("forbidden", "members link papers they submitted to the feed themselves");
    }
    return { organization, outcome };
  }
}
