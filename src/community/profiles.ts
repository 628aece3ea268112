import type { Collection, DatedPaper, ProfileComment, ProfileFields, User } from "../store/index.ts";
import type { CommunityDeps } from "./accounts.ts";
import { CommunityError } from "./errors.ts";

export const profileRules = {
  bioMax: 300,
  links: 4,
  linkMax: 200,
  /** How many of each list a profile shows. */
  listed: 20,
} as const;

/** A profile as its visitor may see it: upvotes only when the owner made them public, private collections only to the owner. */
export interface Profile {
  user: User;
  fields: ProfileFields;
  submissions: DatedPaper[];
  comments: ProfileComment[];
  collections: Collection[];
  /** Null when the owner keeps upvotes to themselves (and the visitor is someone else). */
  upvoted: DatedPaper[] | null;
}

function checkLinks(links: string[]): string[] {
  const kept = links.map((l) => l.trim()).filter((l) => l !== "");
  if (kept.length > profileRules.links) {
    throw new CommunityError("invalid", `links: at most ${profileRules.links}`, { field: "links" });
  }
  for (const link of kept) {
    let url: URL | null = null;
    try {
      url = new URL(link);
    } catch {}
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || link.length > profileRules.linkMax) {
      throw new CommunityError("invalid", `links: "${link.slice(0, 80)}" is not an http(s) address`, {
        field: "links",
      });
    }
  }
  return kept;
}

/** Profile pages and what their owners say on them. */
export class Profiles {
  constructor(private readonly deps: CommunityDeps) {}

  async view(username: string, viewer: User | null): Promise<Profile> {
    const { store } = this.deps;
    const user = await store.users.byUsername(username);
    if (!user || user.deleted) throw new CommunityError("not-found", `user ${username} not found`);
    const fields = await store.profiles.fields(user.id);
    const own = viewer?.id === user.id;
    const [submissions, comments, collections, upvoted] = await Promise.all([
      store.profiles.submissions(user.id, profileRules.listed),
      store.profiles.comments(user.id, profileRules.listed),
      store.collections.ofOwner(user.id, own),
      fields.upvotesPublic || own ? store.profiles.upvoted(user.id, profileRules.listed) : Promise.resolve(null),
    ]);
    return { user, fields, submissions, comments, collections, upvoted };
  }

  fields(user: User): Promise<ProfileFields> {
    return this.deps.store.profiles.fields(user.id);
  }

  async update(user: User, fields: ProfileFields): Promise<void> {
    const bio = fields.bio.trim();
    if (bio.length > profileRules.bioMax) {
      throw new CommunityError("invalid", `bio: at most ${profileRules.bioMax} characters`, { field: "bio" });
    }
    await this.deps.store.profiles.setFields(user.id, {
      bio,
      links: checkLinks(fields.links),
      upvotesPublic: fields.upvotesPublic,
    });
  }
}
