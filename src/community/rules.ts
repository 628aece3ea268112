import type { Comment, Role, User } from "../store/index.ts";
import { CommunityError } from "./errors.ts";

/** The community's rules in one place: who may do what, how long, how often. */
export const rules = {
  username: { min: 2, max: 32 },
  displayNameMax: 64,
  emailMax: 254,
  password: { min: 8, max: 256 },
  commentMax: 10_000,
  reportReasonMax: 500,
  moderationReasonMax: 500,
  tokenNameMax: 64,
  /** A comment can be edited this long after it was made; afterwards it stands (or is deleted). */
  commentEditWindowMs: 15 * 60_000,
  /** Papers one user may put on one feed day. */
  submissionsPerDay: 10,
  /** A session lasts this long after its last use. */
  sessionLifetimeMs: 30 * 86_400_000,
  /** A session's expiry moves on at most this often, so most requests write nothing. */
  sessionRefreshMs: 86_400_000,
  /** How long each mailed link works. */
  linkLifetimeMs: { verify: 2 * 86_400_000, reset: 3_600_000, email_change: 86_400_000 },
} as const;

// Letters, digits, _ and -: safe in a URL path and in a mail, and no look-alike characters.
const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// Deliberately loose: the mailed link is the real test of an address.
const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// Names of pages and endpoints that a /users/{name} path must never shadow.
const reservedUsernames = new Set([
  "admin",
  "administrator",
  "moderator",
  "root",
  "system",
  "paperboy",
  "deleted",
  "me",
]);

function invalid(field: string, message: string): never {
  throw new CommunityError("invalid", message, { field });
}

export function checkUsername(username: string): string {
  const name = username.trim();
  const { min, max } = rules.username;
  if (name.length < min || name.length > max) invalid("username", `username: ${min} to ${max} characters`);
  if (!usernamePattern.test(name)) {
    invalid("username", "username: letters, digits, _ and - only, starting with a letter or digit");
  }
  if (reservedUsernames.has(name.toLowerCase())) invalid("username", `username: "${name}" is reserved`);
  return name;
}

export function checkEmail(email: string): string {
  const address = email.trim();
  if (address.length > rules.emailMax || !emailPattern.test(address)) {
    invalid("email", "email: not an e-mail address like ada@example.org");
  }
  return address;
}

export function checkDisplayName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? "";
  if (trimmed.length > rules.displayNameMax)
    invalid("displayName", `display name: at most ${rules.displayNameMax} characters`);
  return trimmed === "" ? null : trimmed;
}

export function checkPassword(password: string, user: { username: string; email: string }): string {
  const { min, max } = rules.password;
  if (password.length < min) invalid("password", `password: at least ${min} characters`);
  if (password.length > max) invalid("password", `password: at most ${max} characters`);
  const lower = password.toLowerCase();
  if (lower === user.username.toLowerCase() || lower === user.email.toLowerCase()) {
    invalid("password", "password: must not be your username or e-mail address");
  }
  return password;
}

export function checkCommentBody(body: string): string {
  if (body.trim() === "") invalid("body", "comment: write something");
  if (body.length > rules.commentMax)
    invalid("body", `comment: at most ${rules.commentMax.toLocaleString("en-US")} characters`);
  return body;
}

export function checkReportReason(reason: string): string {
  const text = reason.trim();
  if (text === "") invalid("reason", "report: say what is wrong with the comment");
  if (text.length > rules.reportReasonMax) invalid("reason", `report: at most ${rules.reportReasonMax} characters`);
  return text;
}

export function checkTokenName(name: string): string {
  const text = name.trim();
  if (text === "" || text.length > rules.tokenNameMax)
    invalid("name", `token name: 1 to ${rules.tokenNameMax} characters`);
  return text;
}

export const isModerator = (role: Role) => role === "moderator" || role === "admin";

/** Moderators' pages and actions refuse everyone else. */
export function mustModerate(user: User | null | undefined): User {
  if (!user) throw new CommunityError("unauthenticated", "log in as a moderator");
  if (!isModerator(user.role)) throw new CommunityError("forbidden", "only moderators may do this");
  return user;
}

/** Why a moderator acted: said in the audit log, and to other moderators beside what was hidden. */
export function checkModerationReason(reason: string | undefined, required = true): string {
  const text = (reason ?? "").trim();
  if (required && text === "") invalid("reason", "reason: say why, for the other moderators");
  if (text.length > rules.moderationReasonMax) {
    invalid("reason", `reason: at most ${rules.moderationReasonMax} characters`);
  }
  return text;
}

/**
 * Who may ban whom: moderators ban users; admins ban anyone but themselves. Roles are an
 * admin's to give.
 */
export function canBan(actor: User, target: User): boolean {
  if (actor.id === target.id) return false;
  return actor.role === "admin" || (isModerator(actor.role) && target.role === "user");
}

/** Votes, comments and submissions need an account whose address is verified. */
export function mustParticipate(user: User): void {
  if (!user.emailVerified) {
    throw new CommunityError(
      "forbidden",
      "verify your e-mail address first: open the link we mailed you (or ask for a new one in settings)",
    );
  }
}

/** The author may edit within the window; nobody edits a deleted comment. */
export function canEdit(user: User, comment: Comment, now: Date): boolean {
  return (
    !comment.deleted &&
    !comment.hidden &&
    comment.author?.id === user.id &&
    now.getTime() - Date.parse(comment.createdAt) < rules.commentEditWindowMs
  );
}

/** The author or a moderator may delete. */
export function canDelete(user: User, comment: Comment): boolean {
  return !comment.deleted && (comment.author?.id === user.id || isModerator(user.role));
}
