import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { CommunityError, refusalStatus, rules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { Paper } from "../../papers/paper.ts";
import { ClaimsContext } from "../components/claimed-authors.tsx";
import { FormMessage, TokenField } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { OrganizationsContext } from "../components/paper-organization.tsx";
import { VoteContext, type VoteView } from "../components/upvote-box.tsx";
import { paths } from "../paths.ts";
import { localPath, readForm } from "../session.ts";
import { MessagePage } from "./account.tsx";
import { formPage, type PageContext, postForm, siteOf, wantsJson } from "./respond.tsx";

/** The visitor's votes among the papers a page shows, for its upvote buttons (VoteContext). */
export async function voteViewFor(c: PageContext, papers: Paper[]): Promise<VoteView> {
  const viewer = c.get("viewer");
  const url = new URL(c.req.url);
  const returnTo = `${url.pathname}${url.search}`;
  if (viewer?.via !== "session") return { csrfToken: null, upvoted: new Set(), returnTo, collections: [] };
  const community = c.get("community");
  const [upvoted, collections] = await Promise.all([
    community.votes.upvotedBy(
      viewer.user,
      papers.map((p) => p.id),
    ),
    community.collections.of(viewer.user, viewer.user),
  ]);
  return {
    csrfToken: viewer.session.csrfToken,
    upvoted,
    returnTo,
    collections: collections.map(({ slug, title }) => ({ slug, title })),
  };
}

/**
 * A page of paper cards, its upvote buttons knowing the visitor's votes, its authors their claims
 * and its papers their organisations.
 */
export async function withVotes(c: PageContext, papers: Paper[], page: Child) {
  const ids = papers.map((p) => p.id);
  const [votes, claims, organizations] = await Promise.all([
    voteViewFor(c, papers),
    c.get("community").claims.claimedAuthors(ids),
    c.get("app").store.organizations.ofPapers(ids),
  ]);
  return (
    <VoteContext.Provider value={votes}>
      <ClaimsContext.Provider value={claims}>
        <OrganizationsContext.Provider value={organizations}>{page}</OrganizationsContext.Provider>
      </ClaimsContext.Provider>
    </VoteContext.Provider>
  );
}

/** The paper a /papers/{id}/{action} path names (old-style ids hold a slash). */
function paperIdIn(c: PageContext, action: string): string {
  const raw = decodeURIComponent(c.req.path.slice("/papers/".length, -(action.length + 1)));
  const parsed = parseArxivId(raw);
  if (!parsed) throw new CommunityError("invalid", `"${raw}" is not an arXiv id`);
  return parsed.id;
}

export function signedInUser(c: PageContext) {
  const viewer = c.get("viewer");
  return viewer?.via === "session" ? viewer.user : null;
}

/**
 * The answer to a visitor who sent a form that needs an account: 401 with `{ "error" }` when it
 * came from background-form.js, else the login page, which leads back to `next`.
 */
export function logInFirst(c: PageContext, error: string, next?: string): Response {
  return wantsJson(c) ? c.json({ error }, 401) : c.redirect(paths.login(next), 303);
}

/** A comment that could not be posted, with its text kept for another try. */
function CommentRetryPage({
  c,
  action,
  body,
  parentId,
  error,
}: {
  c: PageContext;
  action: string;
  body: string;
  parentId?: string;
  error: string;
}) {
  const site = siteOf(c);
  return (
    <Layout site={site} title="Your comment">
      <div class="narrow">
        <h1>Your comment</h1>
        <FormMessage error={error} />
        <form method="post" action={action} class="stacked">
          <TokenField token={site.viewer?.csrfToken ?? ""} />
          {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
          <p class="field">
            <label for="retry-body">Comment</label>
            <textarea id="retry-body" name="body" rows={8} maxlength={rules.commentMax} required>
              {body}
            </textarea>
          </p>
          <p>
            <button type="submit">Send</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}

/** Upvotes and comments sent from paper pages and cards, as forms that work without JavaScript. */
export function registerPaperActions(app: Hono<AppEnv>): void {
  postForm(app, "/papers/:rest{.+/upvote}", async (c) => {
    const id = paperIdIn(c, "upvote");
    const user = signedInUser(c);
    if (!user) return logInFirst(c, "log in to upvote", paths.paper(id));
    const form = await readForm(c);
    const state = await c.get("community").votes.set(user, id, form.upvoted !== "0");
    return wantsJson(c) ? c.json(state) : c.redirect(localPath(form.next, paths.paper(id)), 303);
  });

  postForm(app, "/papers/:rest{.+/comments}", async (c) => {
    const id = paperIdIn(c, "comments");
    const user = signedInUser(c);
    if (!user) return c.redirect(paths.login(`${paths.paper(id)}#comments`), 303);
    const form = await readForm(c);
    const body = form.body ?? "";
    const parentId = form.parentId ? Number(form.parentId) : null;
    try {
      if (parentId !== null && !Number.isSafeInteger(parentId)) {
        throw new CommunityError("invalid", "the comment you answer does not exist");
      }
      const comment = await c.get("community").comments.post(user, id, body, parentId);
      return c.redirect(paths.comment(id, comment.id), 303);
    } catch (error) {
      if (!(error instanceof CommunityError) || error.refusal === "not-found") throw error;
      if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
      return c.html(
        <CommentRetryPage
          c={c}
          action={paths.comments(id)}
          body={body}
          parentId={form.parentId}
          error={error.message}
        />,
        refusalStatus[error.refusal],
      );
    }
  });

  const commentId = (c: PageContext) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id < 1)
      throw new CommunityError("not-found", `comment ${c.req.param("id")} not found`);
    return id;
  };
  const requireUser = (c: PageContext) => {
    const user = signedInUser(c);
    if (!user) throw new CommunityError("unauthenticated", "log in first");
    return user;
  };

  formPage(app, "/comments/:id/edit", async (c) => {
    const comment = await c.get("community").comments.get(commentId(c));
    if (!signedInUser(c)) return c.redirect(paths.login(paths.comment(comment.paperId, comment.id)), 303);
    return c.html(
      <CommentRetryPage
        c={c}
        action={paths.commentAction(comment.id, "edit")}
        body={comment.body}
        error={comment.deleted ? "This comment was deleted." : ""}
      />,
    );
  });
  postForm(app, "/comments/:id/edit", async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const id = commentId(c);
    try {
      const comment = await c.get("community").comments.edit(user, id, form.body ?? "");
      return c.redirect(paths.comment(comment.paperId, comment.id), 303);
    } catch (error) {
      if (!(error instanceof CommunityError) || error.refusal === "not-found") throw error;
      return c.html(
        <CommentRetryPage
          c={c}
          action={paths.commentAction(id, "edit")}
          body={form.body ?? ""}
          error={error.message}
        />,
        refusalStatus[error.refusal],
      );
    }
  });

  postForm(app, "/comments/:id/delete", async (c) => {
    const user = requireUser(c);
    await readForm(c);
    const community = c.get("community");
    const comment = await community.comments.get(commentId(c));
    await community.comments.remove(user, comment.id);
    return c.redirect(`${paths.paper(comment.paperId)}#comments`, 303);
  });

  postForm(app, "/comments/:id/report", async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const community = c.get("community");
    const comment = await community.comments.get(commentId(c));
    await community.comments.report(user, comment.id, form.reason ?? "");
    return MessagePage(
      c,
      "Thank you",
      <p>
        {"The moderators will look at the comment. "}
        <a href={paths.comment(comment.paperId, comment.id)}>Back to the discussion</a>
      </p>,
    );
  });
}
