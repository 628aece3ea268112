import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { addressRules, CommunityError, type RateRule, refusalStatus, rules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { rateLimit } from "../../http/rate-limit.ts";
import { Field, FormMessage, PasswordField, SiteForm } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { paths } from "../paths.ts";
import {
  clearSessionCookie,
  formToken,
  localPath,
  readForm,
  sessionToken,
  setSessionCookie,
  signIn,
} from "../session.ts";
import { errorPage, formPage, type PageContext, postForm, siteOf } from "./respond.tsx";

/** A page with one message: what happened and where to go next. */
export function MessagePage(c: PageContext, title: string, body: Child, status: 200 | 400 | 404 | 409 = 200) {
  return c.html(
    <Layout site={siteOf(c)} title={title}>
      <div class="narrow">
        <h1>{title}</h1>
        {body}
      </div>
    </Layout>,
    status,
  );
}

function statusOf(error: CommunityError) {
  return refusalStatus[error.refusal];
}

const passwordHint = `At least ${rules.password.min} characters; a few words make a good one.`;

function SignUpPage(c: PageContext, values: Record<string, string> = {}, error?: string) {
  return (
    <Layout site={siteOf(c)} title="Sign up">
      <div class="narrow">
        <h1>Sign up</h1>
        <p>With an account you can upvote papers, comment on them and submit new ones.</p>
        <FormMessage error={error} />
        <SiteForm action={paths.signup()} token={formToken(c)}>
          <Field
            id="signup-username"
            name="username"
            label="Username"
            value={values.username}
            autocomplete="username"
            required
            minLength={rules.username.min}
            maxLength={rules.username.max}
            hint="Letters, digits, _ and -; shown with what you post."
          />
          <Field
            id="signup-email"
            name="email"
            type="email"
            label="E-mail address"
            value={values.email}
            autocomplete="email"
            required
            maxLength={rules.emailMax}
            hint="We mail you a link to verify it; it is never shown."
          />
          <PasswordField id="signup-password" label="Password" kind="new" hint={passwordHint} />
          <p>
            <button type="submit">Sign up</button>
          </p>
        </SiteForm>
        <p>
          Have an account? <a href={paths.login()}>Log in</a>.
        </p>
      </div>
    </Layout>
  );
}

function LogInPage(c: PageContext, next: string, values: Record<string, string> = {}, error?: string, notice?: string) {
  return (
    <Layout site={siteOf(c)} title="Log in">
      <div class="narrow">
        <h1>Log in</h1>
        <FormMessage error={error} notice={notice} />
        <SiteForm action={paths.login()} token={formToken(c)}>
          <input type="hidden" name="next" value={next} />
          <Field
            id="login-name"
            name="login"
            label="Username or e-mail address"
            value={values.login}
            autocomplete="username"
            required
            maxLength={rules.emailMax}
          />
          <PasswordField id="login-password" label="Password" kind="current" />
          <p>
            <button type="submit">Log in</button>
          </p>
        </SiteForm>
        <p>
          <a href={paths.reset()}>Forgot your password?</a> · New here? <a href={paths.signup()}>Sign up</a>.
        </p>
      </div>
    </Layout>
  );
}

function ResetRequestPage(c: PageContext, error?: string) {
  return (
    <Layout site={siteOf(c)} title="Reset your password">
      <div class="narrow">
        <h1>Reset your password</h1>
        <p>We mail a link to choose a new password to the address of your account.</p>
        <FormMessage error={error} />
        <SiteForm action={paths.reset()} token={formToken(c)}>
          <Field
            id="reset-email"
            name="email"
            type="email"
            label="E-mail address"
            autocomplete="email"
            required
            maxLength={rules.emailMax}
          />
          <p>
            <button type="submit">Mail me a link</button>
          </p>
        </SiteForm>
      </div>
    </Layout>
  );
}

function NewPasswordPage(c: PageContext, token: string, error?: string) {
  return (
    <Layout site={siteOf(c)} title="Choose a new password">
      <div class="narrow">
        <h1>Choose a new password</h1>
        <FormMessage error={error} />
        <SiteForm action={`${paths.reset()}/${token}`} token={formToken(c)}>
          <PasswordField id="new-password" label="New password" kind="new" hint={passwordHint} />
          <p>
            <button type="submit">Set password and log in</button>
          </p>
        </SiteForm>
      </div>
    </Layout>
  );
}

const expiredLink = (what: string) => (
  <p>
    {`This ${what} link has expired or was already used. `}
    <a href={paths.settings()}>Ask for a new one in your settings</a> (log in first), or{" "}
    <a href={paths.reset()}>reset your password</a>.
  </p>
);

/** Counts a form's POSTs per client address in the database; a 429 page says when to come back. */
function limitPerAddress(app: Hono<AppEnv>, path: string, rule: RateRule, what: string): void {
  app.post(
    path,
    rateLimit({
      bucket: `form:${path}`,
      limit: () => rule.limit,
      windowSeconds: rule.windowSeconds,
      refuse: (c, refusal) =>
        errorPage(
          c,
          429,
          "Slow down",
          `Too many ${what} from your address; try again in ${refusal.retryAfterSeconds} s.`,
        ),
    }),
  );
}

/** Sign up, verify, log in and out, and reset a forgotten password. */
export function registerAccountPages(app: Hono<AppEnv>): void {
  limitPerAddress(app, paths.signup(), addressRules.signUp, "sign-ups");
  limitPerAddress(app, paths.login(), addressRules.logIn, "login attempts");
  limitPerAddress(app, paths.reset(), addressRules.reset, "reset requests");
  formPage(app, paths.signup(), (c) => c.html(SignUpPage(c)));
  postForm(app, paths.signup(), async (c) => {
    const form = await readForm(c);
    try {
      const outcome = await c
        .get("community")
        .accounts.signUp({ username: form.username ?? "", email: form.email ?? "", password: form.password ?? "" });
      return MessagePage(
        c,
        "Check your inbox",
        <>
          <p>
            {`We sent a link to ${(form.email ?? "").trim()}. Open it to verify your address and log in; `}
            then you can upvote, comment and submit papers.
          </p>
          {outcome.mailed ? null : <FormMessage error={outcome.notice} />}
          <p>
            No mail? Look in the spam folder, or <a href={paths.login()}>log in</a> and ask for a new link in your
            settings.
          </p>
        </>,
      );
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      return c.html(
        SignUpPage(c, { username: form.username ?? "", email: form.email ?? "" }, error.message),
        statusOf(error),
      );
    }
  });

  formPage(app, "/verify/:token", async (c) => {
    const verified = await c.get("community").accounts.verifyEmail(c.req.param("token"));
    if (!verified) {
      const viewer = c.get("viewer");
      if (viewer?.user.emailVerified) {
        return MessagePage(c, "Address verified", <p>Your address is verified already.</p>);
      }
      return MessagePage(c, "Link expired", expiredLink("verification"), 404);
    }
    await signIn(c, verified.session);
    return MessagePage(
      c,
      "Address verified",
      <p>
        {`Welcome, ${verified.user.username}: you are logged in and can now upvote, comment and `}
        <a href={paths.submit()}>submit papers</a>. <a href={paths.home()}>See today's papers</a>.
      </p>,
    );
  });

  formPage(app, paths.login(), (c) => {
    const next = localPath(c.req.query("next"));
    if (c.get("viewer")) return c.redirect(next, 303);
    return c.html(LogInPage(c, next));
  });
  postForm(app, paths.login(), async (c) => {
    const form = await readForm(c);
    const next = localPath(form.next);
    try {
      const { session } = await c.get("community").accounts.logIn(form.login ?? "", form.password ?? "");
      setSessionCookie(c, session);
      return c.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
      return c.html(LogInPage(c, next, { login: form.login ?? "" }, error.message), statusOf(error));
    }
  });

  postForm(app, paths.logout(), async (c) => {
    await readForm(c);
    const token = sessionToken(c);
    if (token) await c.get("community").accounts.logOut(token);
    clearSessionCookie(c);
    return c.redirect(paths.home(), 303);
  });

  formPage(app, paths.reset(), (c) => c.html(ResetRequestPage(c)));
  postForm(app, paths.reset(), async (c) => {
    const form = await readForm(c);
    try {
      await c.get("community").accounts.requestPasswordReset(form.email ?? "");
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
      return c.html(ResetRequestPage(c, error.message), statusOf(error));
    }
    return MessagePage(
      c,
      "Check your inbox",
      <p>
        {`If an account has the address ${(form.email ?? "").trim()}, we have mailed it a link to choose a new password. `}
        The link works for an hour.
      </p>,
    );
  });

  formPage(app, "/reset/:token", async (c) => {
    const token = c.req.param("token");
    if (!(await c.get("community").accounts.resetLinkWorks(token))) {
      return MessagePage(c, "Link expired", expiredLink("reset"), 404);
    }
    return c.html(NewPasswordPage(c, token));
  });
  postForm(app, "/reset/:token", async (c) => {
    const form = await readForm(c);
    const token = c.req.param("token");
    try {
      const { session } = await c.get("community").accounts.resetPassword(token, form.password ?? "");
      setSessionCookie(c, session);
      return c.redirect(paths.settings(), 303);
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      if (error.refusal === "not-found") return MessagePage(c, "Link expired", expiredLink("reset"), 404);
      return c.html(NewPasswordPage(c, token, error.message), statusOf(error));
    }
  });

  formPage(app, "/email/:token", async (c) => {
    try {
      const user = await c.get("community").accounts.confirmEmailChange(c.req.param("token"));
      return MessagePage(c, "Address changed", <p>{`Your account's address is now ${user.email}.`}</p>);
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      return MessagePage(c, "Address not changed", <p>{error.message}</p>, error.refusal === "conflict" ? 409 : 404);
    }
  });
}
