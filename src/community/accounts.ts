import type { Logger } from "pino";
import type { Mailer, OutgoingMail } from "../mail/index.ts";
import type { ApiToken, EmailTokenPurpose, Role, Session, Store, TokenScope, User } from "../store/index.ts";
import { CommunityError } from "./errors.ts";
import { consume, rateRules, spend } from "./limits.ts";
import {
  alreadyRegisteredMail,
  emailChangeMail,
  emailChangeNoticeMail,
  type MailSite,
  resetMail,
  verificationMail,
} from "./mails.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { checkDisplayName, checkEmail, checkPassword, checkTokenName, checkUsername, rules } from "./rules.ts";
import { hashSecret, newSecret } from "./secrets.ts";

export interface CommunityDeps {
  store: Store;
  mailer: Mailer;
  site: MailSite;
  logger: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** A session just started: the token goes into the cookie, and is never stored as such. */
export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface SignedIn {
  user: User;
  session: Session;
}

/** Whether the mail a request promised went out; the request succeeds either way. */
export type MailOutcome = { mailed: true } | { mailed: false; notice: string };

const API_TOKEN_PREFIX = "pb_";

/** Signing up and in, mailed links, passwords, addresses, API tokens and deleting accounts. */
export class Accounts {
  private readonly store: Store;
  private readonly clock: () => Date;

  constructor(private readonly deps: CommunityDeps) {
    this.store = deps.store;
    this.clock = deps.now ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private later(ms: number): string {
    return new Date(this.clock().getTime() + ms).toISOString();
  }

  /**
   * No mail goes where the outbox sends none (an address whose server refused mail for good, or a
   * banned account's while the ban lasts), whoever asks for one (a reset, someone signing up with
   * it or moving to it); the asker hears what anyone hears, so nothing tells them why.
   */
  private async send(mail: OutgoingMail): Promise<MailOutcome> {
    if (await this.store.outbox.isSuppressed(mail.to)) {
      this.deps.logger.info({ subject: mail.subject }, "no mail to a suppressed or banned address");
      return { mailed: true };
    }
    try {
      await this.deps.mailer.send(mail);
      return { mailed: true };
    } catch (error) {
      this.deps.logger.warn({ err: error, to: mail.to, subject: mail.subject }, "mail not sent");
      return { mailed: false, notice: "We could not send the mail just now; please ask for a new one in a while." };
    }
  }

  private async mailLink(user: User, purpose: EmailTokenPurpose, email: string, path: string): Promise<MailOutcome> {
    const { secret, hash } = newSecret();
    const lifetime = rules.linkLifetimeMs[purpose];
    // Housekeeping on the way: links used or expired are kept no longer.
    await this.store.emailTokens.deleteExpired(this.now());
    await this.store.emailTokens.create({
      tokenHash: hash,
      userId: user.id,
      purpose,
      email,
      now: this.now(),
      expiresAt: this.later(lifetime),
    });
    const link = `${this.deps.site.baseUrl}${path}/${secret}`;
    const compose = { verify: verificationMail, reset: resetMail, email_change: emailChangeMail }[purpose];
    return this.send(compose(this.deps.site, email, user.username, link, lifetime));
  }

  /**
   * Creates an unverified account and mails a verification link. When the address already has
   * an account its owner gets a mail saying so, and the answer is the same: sign-up never tells
   * a stranger which addresses have accounts. A taken username is said, as names are public.
   */
  async signUp(input: {
    username: string;
    email: string;
    password: string;
    displayName?: string | null;
  }): Promise<MailOutcome> {
    const username = checkUsername(input.username);
    const email = checkEmail(input.email);
    const password = checkPassword(input.password, { username, email });
    const displayName = checkDisplayName(input.displayName);
    const created = await this.store.users.create({
      username,
      displayName,
      email,
      passwordHash: await hashPassword(password),
      now: this.now(),
    });
    if (created === "username-taken") {
      throw new CommunityError("conflict", `username: "${username}" is taken`, { field: "username" });
    }
    if (created === "email-taken") {
      const owner = await this.store.users.byEmail(email);
      if (!owner?.email) return { mailed: true };
      return this.send(alreadyRegisteredMail(this.deps.site, owner.email, owner.username));
    }
    return this.mailLink(created, "verify", email, "/verify");
  }

  /** An account made by an administrator (CLI): verified, with any role. */
  async createUser(input: { username: string; email: string; password: string; role: Role }): Promise<User> {
    const username = checkUsername(input.username);
    const email = checkEmail(input.email);
    const password = checkPassword(input.password, { username, email });
    const created = await this.store.users.create({
      username,
      email,
      passwordHash: await hashPassword(password),
      role: input.role,
      verified: true,
      now: this.now(),
    });
    if (created === "username-taken") throw new CommunityError("conflict", `username "${username}" is taken`);
    if (created === "email-taken") throw new CommunityError("conflict", `e-mail address ${email} has an account`);
    return created;
  }

  async resendVerification(user: User): Promise<MailOutcome> {
    if (user.emailVerified || !user.email) return { mailed: true };
    await spend(this.store, `mail:${user.id}`, rateRules.mailsPerAccount, "mails");
    return this.mailLink(user, "verify", user.email, "/verify");
  }

  /** Uses a verification link; it proves the mailbox, so it also signs its owner in. */
  async verifyEmail(token: string): Promise<{ user: User; session: NewSession } | null> {
    const used = await this.store.emailTokens.consume(hashSecret(token), "verify", this.now());
    if (!used || !(await this.store.users.markVerified(used.userId, used.email, this.now()))) return null;
    const user = await this.store.users.byId(used.userId);
    if (!user) return null;
    return { user, session: await this.startSession(user) };
  }

  async startSession(user: User): Promise<NewSession> {
    const { secret, hash } = newSecret();
    const csrfToken = newSecret().secret;
    const now = this.now();
    const expiresAt = this.later(rules.sessionLifetimeMs);
    await this.store.sessions.deleteExpired(now);
    await this.store.sessions.create({
      idHash: hash,
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { token: secret, csrfToken, expiresAt };
  }

  /** The session a cookie's token opens, its expiry moved on now and then (`renewed`: the cookie's should move too). */
  async session(token: string): Promise<(SignedIn & { renewed: boolean }) | null> {
    const now = this.clock();
    const found = await this.store.sessions.find(hashSecret(token), now.toISOString());
    if (!found) return null;
    if (now.getTime() - Date.parse(found.session.lastSeenAt) < rules.sessionRefreshMs)
      return { ...found, renewed: false };
    const expiresAt = this.later(rules.sessionLifetimeMs);
    await this.store.sessions.extend(found.session.idHash, now.toISOString(), expiresAt);
    return { user: found.user, session: { ...found.session, lastSeenAt: now.toISOString(), expiresAt }, renewed: true };
  }

  /**
   * Checks a username or address and password. Every failure reads the same and takes as long,
   * so the answer never says whether an account exists. A banned account is told it is suspended,
   * but only once the password is right, so the notice tells a guesser nothing.
   */
  async logIn(login: string, password: string): Promise<{ user: User; session: NewSession }> {
    await spend(
      this.store,
      `login-account:${login.trim().toLowerCase()}`,
      rateRules.logInPerAccount,
      "login attempts for this account",
    );
    const found = await this.store.users.credentials(login.slice(0, rules.emailMax));
    const ok = await verifyPassword(found?.passwordHash ?? null, password.slice(0, rules.password.max));
    if (!found || !ok) throw new CommunityError("unauthenticated", "wrong username, e-mail address or password");
    if (found.user.banned) {
      throw new CommunityError("forbidden", "this account is suspended: a moderator banned it, so it cannot log in");
    }
    return { user: found.user, session: await this.startSession(found.user) };
  }

  async logOut(token: string): Promise<void> {
    await this.store.sessions.delete(hashSecret(token));
  }

  /** Mails a reset link if the address has a live account that is not banned; the answer is the same either way. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.store.users.byEmail(email.trim().slice(0, rules.emailMax));
    if (!user?.email || user.deleted || user.banned) return;
    const allowed = await consume(this.store, `reset-account:${user.id}`, rateRules.resetPerAccount);
    // Saying "too many" here would tell that the account exists: the surplus requests mail nothing.
    if (!allowed.ok) return;
    await this.mailLink(user, "reset", user.email, "/reset");
  }

  async resetLinkWorks(token: string): Promise<boolean> {
    return (await this.store.emailTokens.peek(hashSecret(token), "reset", this.now())) !== null;
  }

  /** Uses a reset link: new password, every other session ended, the address counted verified, signed in. */
  async resetPassword(token: string, password: string): Promise<{ user: User; session: NewSession }> {
    const hash = hashSecret(token);
    const gone = () => new CommunityError("not-found", "this reset link has expired or was used; ask for a new one");
    const link = await this.store.emailTokens.peek(hash, "reset", this.now());
    const user = link ? await this.store.users.byId(link.userId) : null;
    if (!link || !user?.email || user.deleted || user.banned) throw gone();
    // Checked before the link is used up, so a password that breaks a rule costs no new mail.
    checkPassword(password, { username: user.username, email: user.email });
    if (!(await this.store.emailTokens.consume(hash, "reset", this.now()))) throw gone();
    await this.store.users.setPassword(user.id, await hashPassword(password));
    await this.store.emailTokens.revokeAll(user.id, "reset", this.now());
    await this.store.sessions.deleteForUser(user.id);
    await this.store.users.markVerified(user.id, link.email, this.now());
    const fresh = (await this.store.users.byId(user.id)) ?? user;
    return { user: fresh, session: await this.startSession(fresh) };
  }

  private async checkCurrentPassword(user: User, password: string): Promise<void> {
    const stored = await this.store.users.passwordHash(user.id);
    if (!(await verifyPassword(stored, password.slice(0, rules.password.max)))) {
      throw new CommunityError("forbidden", "current password: wrong password", { field: "currentPassword" });
    }
  }

  /** Changes the password and ends every other session of the account. */
  async changePassword(signedIn: SignedIn, current: string, next: string): Promise<void> {
    const { user } = signedIn;
    checkPassword(next, { username: user.username, email: user.email ?? "" });
    await this.checkCurrentPassword(user, current);
    await this.store.users.setPassword(user.id, await hashPassword(next));
    await this.store.sessions.deleteForUser(user.id, signedIn.session.idHash);
  }

  /** Mails a confirmation link to the new address and a notice to the old one; nothing changes until the link is used. */
  async requestEmailChange(user: User, password: string, newEmail: string): Promise<MailOutcome> {
    const email = checkEmail(newEmail);
    await this.checkCurrentPassword(user, password);
    await spend(this.store, `mail:${user.id}`, rateRules.mailsPerAccount, "mails");
    if (user.email) await this.send(emailChangeNoticeMail(this.deps.site, user.email, user.username, email));
    return this.mailLink(user, "email_change", email, "/email");
  }

  async confirmEmailChange(token: string): Promise<User> {
    const used = await this.store.emailTokens.consume(hashSecret(token), "email_change", this.now());
    if (!used)
      throw new CommunityError("not-found", "this link has expired or was used; ask for a new one in settings");
    if (!(await this.store.users.changeEmail(used.userId, used.email, this.now()))) {
      throw new CommunityError("conflict", `${used.email} belongs to another account now`);
    }
    const user = await this.store.users.byId(used.userId);
    if (!user) throw new CommunityError("not-found", "the account is gone");
    return user;
  }

  /** Deletes the account (see UserRepository.delete) once its password is confirmed. */
  async deleteAccount(user: User, password: string): Promise<void> {
    await this.checkCurrentPassword(user, password);
    await this.store.users.delete(user.id, this.now());
  }

  async setDisplayName(user: User, displayName: string | null): Promise<void> {
    await this.store.users.setDisplayName(user.id, checkDisplayName(displayName));
  }

  /** A new personal API token; its secret is shown this once and only its hash is kept. */
  async createApiToken(user: User, name: string, scope: TokenScope): Promise<{ secret: string; token: ApiToken }> {
    const { secret, hash } = newSecret(API_TOKEN_PREFIX);
    const token = await this.store.apiTokens.create({
      userId: user.id,
      name: checkTokenName(name),
      scope,
      tokenHash: hash,
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      now: this.now(),
    });
    return { secret, token };
  }

  listApiTokens(user: User): Promise<ApiToken[]> {
    return this.store.apiTokens.list(user.id);
  }

  async revokeApiToken(user: User, id: number): Promise<void> {
    if (!(await this.store.apiTokens.revoke(user.id, id, this.now()))) {
      throw new CommunityError("not-found", `you have no token ${id}`);
    }
  }

  /** The account and scope an `Authorization: Bearer` token carries; null for anything else. */
  async bearer(secret: string): Promise<{ user: User; scope: TokenScope } | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 100) return null;
    const found = await this.store.apiTokens.authenticate(hashSecret(secret), this.now());
    return found ? { user: found.user, scope: found.token.scope } : null;
  }
}
