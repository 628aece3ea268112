import type { Hono } from "hono";
import { CommunityError, refusalStatus, rules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { Field, FormMessage, TokenField } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { formatDay, paths } from "../paths.ts";
import { readForm } from "../session.ts";
import { formPage, type PageContext, postForm, siteOf } from "./respond.tsx";

function SubmitPage({ c, value, error }: { c: PageContext; value?: string; error?: string }) {
  const site = siteOf(c);
  return (
    <Layout site={site} title="Submit a paper">
      <div class="narrow">
        <h1>Submit a paper</h1>
        <p>
          {`Put an arXiv paper on today's daily feed, with your name on it. A paper already picked for the feed stays where it is; you can submit ${rules.submissionsPerDay} papers a day.`}
        </p>
        {site.viewer && !site.viewer.verified ? (
          <p class="form-error">
            Verify your e-mail address first: open the link we mailed you, or ask for a new one in your{" "}
            <a href={paths.settings()}>settings</a>.
          </p>
        ) : null}
        <FormMessage error={error} />
        <form method="post" action={paths.submit()} class="stacked">
          <TokenField token={site.viewer?.csrfToken ?? ""} />
          <Field
            id="submit-paper"
            name="paper"
            label="arXiv id or link"
            value={value}
            required
            maxLength={500}
            hint="e.g. 2501.00010 or https://arxiv.org/abs/2501.00010"
          />
          <p>
            <button type="submit">Submit</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}

/** /submit: a signed-in user puts a paper on today's feed (New York day). */
export function registerSubmitPage(app: Hono<AppEnv>): void {
  const signedIn = (c: PageContext) => c.get("viewer")?.via === "session";

  formPage(app, paths.submit(), (c) =>
    signedIn(c) ? c.html(<SubmitPage c={c} />) : c.redirect(paths.login(paths.submit()), 303),
  );

  postForm(app, paths.submit(), async (c) => {
    const viewer = c.get("viewer");
    if (viewer?.via !== "session") return c.redirect(paths.login(paths.submit()), 303);
    const form = await readForm(c);
    try {
      const submission = await c.get("community").submissions.submit(viewer.user, form.paper ?? "");
      const { paper, feedDate } = submission;
      return c.html(
        <Layout site={siteOf(c)} title={submission.status === "submitted" ? "Submitted" : "Already on the feed"}>
          <div class="narrow">
            <h1>{submission.status === "submitted" ? "Submitted" : "Already on the feed"}</h1>
            <p>
              <a href={paths.paper(paper.id)}>{paper.title}</a>
              {submission.status === "submitted"
                ? " is on the daily feed of "
                : " was put on the daily feed already, on "}
              <a href={paths.day(feedDate)}>{formatDay(feedDate)}</a>.
            </p>
            <p>
              <a href={paths.submit()}>Submit another paper</a>
            </p>
          </div>
        </Layout>,
      );
    } catch (error) {
      if (!(error instanceof CommunityError)) throw error;
      if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
      return c.html(<SubmitPage c={c} value={form.paper} error={error.message} />, refusalStatus[error.refusal]);
    }
  });
}
