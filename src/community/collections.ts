import { randomBytes } from "node:crypto";
import type { Collection, CollectionWithPapers, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";
import { spend } from "./limits.ts";
import { isModerator, mustParticipate } from "./rules.ts";

/** The rules of collections: sizes, how many, how often. */
export const collectionRules = {
  titleMax: 100,
  descriptionMax: 1000,
  noteMax: 500,
  perAccount: 200,
  papersPerCollection: 1000,
  /** Changes to collections (create, edit, add, remove, reorder) per account. */
  changes: { limit: 240, windowSeconds: 3600 },
} as const;

export interface NewCollection {
  title: string;
  description?: string;
  private?: boolean;
}

export interface CollectionEdit {
  title?: string;
  description?: string;
  private?: boolean;
  /** Paper ids in their new order (ids left out keep their order after these). */
  order?: string[];
}

function invalid(field: string, message: string): never {
  throw new CommunityError("invalid", message, { field });
}

function checkTitle(title: string): string {
  const text = title.replace(/\s+/g, " ").trim();
  if (text === "" || text.length > collectionRules.titleMax) {
    invalid("title", `title: 1 to ${collectionRules.titleMax} characters`);
  }
  return text;
}

function checkDescription(description: string): string {
  const text = description.trim();
  if (text.length > collectionRules.descriptionMax) {
    invalid("description", `description: at most ${collectionRules.descriptionMax} characters`);
  }
  return text;
}

function checkNote(note: string): string {
  const text = note.trim();
  if (text.length > collectionRules.noteMax) invalid("note", `note: at most ${collectionRules.noteMax} characters`);
  return text;
}

/** A slug from the title's letters and digits, then random hex so that equal titles never clash. */
export function slugFor(title: string): string {
  const words =
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 48)
      .replace(/-+$/, "") || "collection";
  return `${words}-${randomBytes(4).toString("hex")}`;
}

/**
 * Whether `viewer` may see the collection: a private one exists for its owner only; a banned
 * owner's public ones are hidden with the rest of their content, except from moderators.
 */
export function canSeeCollection(collection: Collection, viewer: User | null): boolean {
  if (collection.ownerId === viewer?.id) return true;
  if (collection.private) return false;
  return !collection.ownerBanned || (viewer !== null && isModerator(viewer.role));
}

/** Creating, showing and changing collections: private ones exist for their owner only. */
export class Collections {
  constructor(private readonly deps: CommunityDeps) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private async spend(user: User): Promise<void> {
    mustParticipate(user);
    await spend(this.deps.store, `collections:${user.id}`, collectionRules.changes, "changes to collections");
  }

  async create(user: User, fields: NewCollection): Promise<Collection> {
    const title = checkTitle(fields.title);
    const description = checkDescription(fields.description ?? "");
    await this.spend(user);
    const owned = await this.deps.store.collections.ofOwner(user.id, true);
    if (owned.length >= collectionRules.perAccount) {
      throw new CommunityError("conflict", `you have ${collectionRules.perAccount} collections, the most there can be`);
    }
    for (;;) {
      const made = await this.deps.store.collections.create(
        user.id,
        { slug: slugFor(title), title, description, private: fields.private === true },
        this.now(),
      );
      if (made === "no-user") throw new CommunityError("unauthenticated", "this account no longer exists");
      if (made !== "slug-taken") return made;
    }
  }

  /** A collection as `viewer` may see it: someone else's private one is "not found", as if it did not exist. */
  async view(viewer: User | null, slug: string): Promise<CollectionWithPapers> {
    const collection = await this.deps.store.collections.withPapers(slug);
    if (!collection || !canSeeCollection(collection, viewer)) {
      throw new CommunityError("not-found", `collection ${slug} not found`);
    }
    return collection;
  }

  /** The owner's collection; anyone else is refused (a private one is "not found" to them). */
  private async owned(user: User, slug: string): Promise<Collection> {
    const collection = await this.deps.store.collections.bySlug(slug);
    if (!collection || (collection.private && collection.ownerId !== user.id)) {
      throw new CommunityError("not-found", `collection ${slug} not found`);
    }
    if (collection.ownerId !== user.id) throw new CommunityError("forbidden", "this collection is someone else's");
    return collection;
  }

  /** A user's collections as `viewer` sees them: their private ones only to themselves. */
  async of(owner: User, viewer: User | null): Promise<Collection[]> {
    return this.deps.store.collections.ofOwner(owner.id, owner.id === viewer?.id);
  }

  async edit(user: User, slug: string, edit: CollectionEdit): Promise<CollectionWithPapers> {
    const collection = await this.owned(user, slug);
    const changes = {
      ...(edit.title !== undefined ? { title: checkTitle(edit.title) } : {}),
      ...(edit.description !== undefined ? { description: checkDescription(edit.description) } : {}),
      ...(edit.private !== undefined ? { private: edit.private } : {}),
    };
    await this.spend(user);
    const now = this.now();
    await this.deps.store.collections.update(collection.id, changes, now);
    if (edit.order) await this.deps.store.collections.reorder(collection.id, edit.order, now);
    return this.view(user, slug);
  }

  /** Moves one paper a place up or down. */
  async move(user: User, slug: string, paperId: string, direction: "up" | "down"): Promise<void> {
    await this.owned(user, slug);
    const collection = await this.view(user, slug);
    const ids = collection.items.map((i) => i.paper.id);
    const at = ids.indexOf(paperId);
    if (at < 0) throw new CommunityError("not-found", `paper ${paperId} is not in this collection`);
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to] as string, ids[at] as string];
    await this.spend(user);
    await this.deps.store.collections.reorder(collection.id, ids, this.now());
  }

  async remove(user: User, slug: string): Promise<void> {
    const collection = await this.owned(user, slug);
    await this.spend(user);
    await this.deps.store.collections.remove(collection.id);
  }

  /** Adds a paper (or, when it is there, sets its note). */
  async addPaper(user: User, slug: string, paperId: string, note?: string): Promise<"added" | "updated"> {
    const collection = await this.owned(user, slug);
    const text = note === undefined ? undefined : checkNote(note);
    await this.spend(user);
    if (collection.paperCount >= collectionRules.papersPerCollection) {
      throw new CommunityError("conflict", `a collection holds at most ${collectionRules.papersPerCollection} papers`);
    }
    const outcome = await this.deps.store.collections.addPaper(collection.id, paperId, text, this.now());
    if (outcome === "no-paper") throw new CommunityError("not-found", `paper ${paperId} not found`);
    if (outcome === "no-collection") throw new CommunityError("not-found", `collection ${slug} not found`);
    return outcome;
  }

  async removePaper(user: User, slug: string, paperId: string): Promise<void> {
    const collection = await this.owned(user, slug);
    await this.spend(user);
    if (!(await this.deps.store.collections.removePaper(collection.id, paperId, this.now()))) {
      throw new CommunityError("not-found", `paper ${paperId} is not in this collection`);
    }
  }
}
