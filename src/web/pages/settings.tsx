import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { CommunityError, isModerator, profileRules, refusalStatus, rules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import type { ApiToken, ProfileFields, Subscriber, User } from "../../store/index.ts";
import { Field, FormMessage, PasswordField, SiteForm, TokenField } from "../components/forms.tsx";
import { Layout, LogOut } from "../components/layout.tsx";
import { formatDate, paths } from "../paths.ts";
import { clearSessionCookie, readForm } from "../session.ts";
import { MessagePage } from "./account.tsx";
import { changeDigest, DigestSettings } from "./digest-settings.tsx";
import { changeFeedToken, FeedSettings } from "./feed-settings.tsx";
import { formPage, type PageContext, postForm, siteOf } from "./respond.tsx";

type Section = "profile" | "verification" | "digest" | "feed" | "password" | "email" | "tokens" | "delete";

interface Outcome {
  section: Section;
  error?: string;
  notice?: string;
  /** A token just created: shown this once. */
  secret?: string;
}

const sectionPath = (section: Section) => `${paths.settings()}/${section}`;

/** One part of the settings, with what became of its form when that was the one sent. */
function Part(props: { section: Section; title: string; outcome?: Outcome; children?: Child }) {
  const { outcome, section } = props;
  return (
    <section aria-labelledby={`${section}-heading`}>
      <h2 id={`${section}-heading`}>{props.title}</h2>
      {outcome?.section === section ? <FormMessage error={outcome.error} notice={outcome.notice} /> : null}
      {props.children}
    </section>
  );
}

const Submit = ({ label, danger }: { label: string; danger?: boolean }) => (
  <p>
    <button type="submit" class={danger ? "danger" : undefined}>
      {label}
    </button>
  </p>
);

function TokenList({ tokens, csrf }: { tokens: ApiToken[]; csrf: string }) {
  if (tokens.length === 0) return <p class="muted">No tokens yet.</p>;
  return (
    <ul class="token-list">
      {tokens.map((token) => (
        <li>
          <strong>{token.name}</strong> <code>{`${token.prefix}…`}</code>{" "}
          {token.scope === "write" ? "read and write" : "read only"}
          {" · made "}
          <time datetime={token.createdAt}>{formatDate(token.createdAt)}</time>
          {token.lastUsedAt ? (
            <>
              {" · last used "}
              <time datetime={token.lastUsedAt}>{formatDate(token.lastUsedAt)}</time>
            </>
          ) : (
            " · never used"
          )}
          <form method="post" action={`${sectionPath("tokens")}/${token.id}/revoke`} class="inline">
            <TokenField token={csrf} />
            <button type="submit">
              Revoke<span class="visually-hidden">{` ${token.name}`}</span>
            </button>
          </form>
        </li>
      ))}
    </ul>
  );
}

function SettingsPage({
  c,
  user,
  profile,
  tokens,
  subscription,
  feedToken,
  outcome,
}: {
  c: PageContext;
  user: User;
  profile: ProfileFields;
  tokens: ApiToken[];
  subscription: Subscriber | null;
  feedToken: string | null;
  outcome?: Outcome;
}) {
  const site = siteOf(c);
  const csrf = site.viewer?.csrfToken ?? "";
  return (
    <Layout site={site} title="Settings">
      <div class="narrow settings">
        <h1>Settings</h1>
        <p>{`Signed in as ${user.username}${user.email ? ` (${user.email})` : ""}.`}</p>
        <ul class="settings-links">
          <li>
            <a href={paths.user(user.username)}>Your profile</a>
          </li>
          <li>
            <a href={paths.myFeed()}>My feed</a>
          </li>
          <li>
            <a href={paths.submit()}>Submit a paper</a>
          </li>
          {isModerator(user.role) ? (
            <li>
              <a href={paths.admin()}>Moderation</a>
            </li>
          ) : null}
          <li>
            <LogOut csrfToken={csrf} />
          </li>
        </ul>

        <Part section="profile" title="Profile" outcome={outcome}>
          <SiteForm action={sectionPath("profile")} token={csrf}>
            <Field
              id="display-name"
              name="displayName"
              label="Display name"
              value={user.displayName ?? ""}
              autocomplete="name"
              maxLength={rules.displayNameMax}
              hint="Shown beside your username; leave empty to show only the username."
            />
            <p class="field">
              <label for="bio">Bio</label>
              <textarea id="bio" name="bio" rows={3} maxlength={profileRules.bioMax} aria-describedby="bio-hint">
                {profile.bio}
              </textarea>
              <small id="bio-hint" class="muted">
                {`A few words about you, on your profile; at most ${profileRules.bioMax} characters.`}
              </small>
            </p>
            {Array.from({ length: profileRules.links }, (_, i) => (
              <Field
                id={`link-${i + 1}`}
                name={`link${i + 1}`}
                type="url"
                label={`Link ${i + 1}`}
                value={profile.links[i] ?? ""}
                maxLength={profileRules.linkMax}
              />
            ))}
            <p class="check">
              <input
                id="upvotes-public"
                name="upvotesPublic"
                type="checkbox"
                value="1"
                checked={profile.upvotesPublic}
              />
              <label for="upvotes-public">Show the papers I upvote on my profile</label>
            </p>
            <Submit label="Save profile" />
          </SiteForm>
        </Part>

        {user.emailVerified ? null : (
          <Part section="verification" title="Verify your address" outcome={outcome}>
            <p>Until your address is verified you can read but not vote, comment or submit.</p>
            <SiteForm action={sectionPath("verification")} token={csrf}>
              <Submit label="Mail me a new link" />
            </SiteForm>
          </Part>
        )}

        <Part section="digest" title="Digest by e-mail" outcome={outcome}>
          <DigestSettings action={sectionPath("digest")} user={user} subscription={subscription} csrf={csrf} />
        </Part>

        <Part section="feed" title="My feed in a feed reader" outcome={outcome}>
          <FeedSettings action={sectionPath("feed")} baseUrl={site.baseUrl} token={feedToken} csrf={csrf} />
        </Part>

        <Part section="password" title="Password" outcome={outcome}>
          <SiteForm action={sectionPath("password")} token={csrf}>
            <PasswordField id="current-password" name="currentPassword" label="Current password" kind="current" />
            <PasswordField id="next-password" label="New password" kind="new" hint="Other devices are logged out." />
            <Submit label="Change password" />
          </SiteForm>
        </Part>

        <Part section="email" title="E-mail address" outcome={outcome}>
          <SiteForm action={sectionPath("email")} token={csrf}>
            <Field
              id="new-email"
              name="email"
              type="email"
              label="New address"
              autocomplete="email"
              required
              maxLength={rules.emailMax}
              hint="It changes once you open the link we mail there."
            />
            <PasswordField id="email-password" label="Password" kind="current" />
            <Submit label="Change address" />
          </SiteForm>
        </Part>

        <Part section="tokens" title="API tokens" outcome={outcome}>
          <p>
            {"For scripts and tools: send a token as "}
            <code>Authorization: Bearer …</code> to the <a href="/docs">API</a>. Read tokens read your account; write
            tokens also vote, comment and submit.
          </p>
          {outcome?.secret ? (
            <p class="new-token">
              <label for="new-token">Your new token; copy it now, it is not shown again:</label>
              <input id="new-token" type="text" readonly value={outcome.secret} />
            </p>
          ) : null}
          <TokenList tokens={tokens} csrf={csrf} />
          <SiteForm action={sectionPath("tokens")} token={csrf}>
            <Field
              id="token-name"
              name="name"
              label="Token name"
              required
              maxLength={rules.tokenNameMax}
              hint="e.g. laptop script"
            />
            <fieldset>
              <legend>Scope</legend>
              <label>
                <input type="radio" name="scope" value="read" checked /> Read
              </label>
              <label>
                <input type="radio" name="scope" value="write" /> Read and write
              </label>
            </fieldset>
            <Submit label="Create token" />
          </SiteForm>
        </Part>

        <Part section="delete" title="Delete account" outcome={outcome}>
          <p>
            Your votes are removed, your comments read "[deleted]" (replies to them stay), papers you submitted stay on
            the feed without your name, digests stop. This cannot be undone.
          </p>
          <SiteForm action={sectionPath("delete")} token={csrf}>
            <PasswordField id="delete-password" label="Password" kind="current" />
            <Submit label="Delete my account" danger />
          </SiteForm>
        </Part>
      </div>
    </Layout>
  );
}

/** The signed-in browser session, or a redirect to log in (settings are not for API tokens). */
function sessionOf(c: PageContext) {
  const viewer = c.get("viewer");
  return viewer?.via === "session" ? viewer : null;
}

/** /settings: profile, verification, password, address, API tokens, deleting the account. */
export function registerSettingsPages(app: Hono<AppEnv>): void {
  const render = async (
    c: PageContext,
    outcome?: Outcome,
    status: 200 | 400 | 401 | 403 | 404 | 409 | 424 | 429 = 200,
  ) => {
    const viewer = sessionOf(c);
    if (!viewer) return c.redirect(paths.login(paths.settings()), 303);
    const user = (await c.get("app").store.users.byId(viewer.user.id)) ?? viewer.user;
    const [tokens, profile, subscription, feedToken] = await Promise.all([
      c.get("community").accounts.listApiTokens(user),
      c.get("community").profiles.fields(user),
      user.email ? c.get("app").store.subscribers.findByEmail(user.email) : null,
      c.get("app").store.feedTokens.of(user.id),
    ]);
    return c.html(
      <SettingsPage
        c={c}
        user={user}
        profile={profile}
        tokens={tokens}
        subscription={subscription}
        feedToken={feedToken}
        outcome={outcome}
      />,
      status,
    );
  };

  formPage(app, paths.settings(), (c) => render(c));

  /** A settings form: its outcome is shown in its own section of the page. */
  const action = (
    section: Section,
    act: (c: PageContext, form: Record<string, string>) => Promise<Outcome | Response>,
  ) => {
    postForm(app, sectionPath(section), async (c) => {
      if (!sessionOf(c)) return c.redirect(paths.login(paths.settings()), 303);
      const form = await readForm(c);
      try {
        const outcome = await act(c, form);
        return outcome instanceof Response ? outcome : render(c, outcome);
      } catch (error) {
        if (!(error instanceof CommunityError)) throw error;
        if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
        return render(c, { section, error: error.message }, refusalStatus[error.refusal]);
      }
    });
  };

  const accounts = (c: PageContext) => c.get("community").accounts;
  const signedIn = (c: PageContext) => {
    const viewer = sessionOf(c);
    if (!viewer) throw new CommunityError("unauthenticated", "log in first");
    return viewer;
  };

  action("profile", async (c, form) => {
    const { user } = signedIn(c);
    await c.get("community").profiles.update(user, {
      bio: form.bio ?? "",
      links: Array.from({ length: profileRules.links }, (_, i) => form[`link${i + 1}`] ?? ""),
      upvotesPublic: form.upvotesPublic === "1",
    });
    await accounts(c).setDisplayName(user, form.displayName ?? "");
    return { section: "profile", notice: "Profile saved." };
  });
  action("verification", async (c) => {
    const outcome = await accounts(c).resendVerification(signedIn(c).user);
    return outcome.mailed
      ? { section: "verification", notice: "We mailed you a new link." }
      : { section: "verification", error: outcome.notice };
  });
  action("digest", async (c, form) => ({ section: "digest", ...(await changeDigest(c, signedIn(c).user, form)) }));
  action("feed", async (c, form) => ({ section: "feed", ...(await changeFeedToken(c, signedIn(c).user, form)) }));
  action("password", async (c, form) => {
    await accounts(c).changePassword(signedIn(c), form.currentPassword ?? "", form.password ?? "");
    return { section: "password", notice: "Password changed; other devices are logged out." };
  });
  action("email", async (c, form) => {
    const outcome = await accounts(c).requestEmailChange(signedIn(c).user, form.password ?? "", form.email ?? "");
    return outcome.mailed
      ? {
          section: "email",
          notice: `We mailed a link to ${(form.email ?? "").trim()}; the address changes once you open it.`,
        }
      : { section: "email", error: outcome.notice };
  });
  action("tokens", async (c, form) => {
    const scope = form.scope === "write" ? "write" : "read";
    const { secret, token } = await accounts(c).createApiToken(signedIn(c).user, form.name ?? "", scope);
    return { section: "tokens", notice: `Token "${token.name}" created.`, secret };
  });
  postForm(app, `${sectionPath("tokens")}/:id/revoke`, async (c) => {
    const viewer = sessionOf(c);
    if (!viewer) return c.redirect(paths.login(paths.settings()), 303);
    await readForm(c);
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) throw new CommunityError("not-found", `you have no token ${c.req.param("id")}`);
    await accounts(c).revokeApiToken(viewer.user, id);
    return render(c, { section: "tokens", notice: "Token revoked." });
  });
  action("delete", async (c, form) => {
    const { user } = signedIn(c);
    await accounts(c).deleteAccount(user, form.password ?? "");
    if (user.email) await c.get("inbox").unsubscribeAddress(user.email);
    clearSessionCookie(c);
    c.set("viewer", null);
    return MessagePage(c, "Account deleted", <p>Your account is deleted. Thank you for taking part.</p>);
  });
}
