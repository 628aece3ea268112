import type { User } from "../store/index.ts";

/** Where a user's generated avatar is served (web/avatar.ts draws it). */
export const avatarPath = (username: string) => `/avatars/${encodeURIComponent(username)}.svg`;

/** The name shown for a user: their display name, or else their username. */
export const shownName = (user: Pick<User, "username" | "displayName">) => user.displayName ?? user.username;

/**
 * A local user in Hugging Face's `submittedBy` shape, so HF-compatible clients show our submitters
 * like theirs. `_id` is HF's 24-hex form, made from our id so that it is stable.
 */
export function submittedByOf(user: User, baseUrl: string): Record<string, unknown> {
  return {
    _id: user.id.toString(16).padStart(24, "0"),
    avatarUrl: `${baseUrl}${avatarPath(user.username)}`,
    fullname: shownName(user),
    name: user.username,
    type: "user",
    isPro: false,
    followerCount: 0,
  };
}
