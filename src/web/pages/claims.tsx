import type { Hono } from "hono";
import { CommunityError } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { FormMessage, SiteForm } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { TexText } from "../components/tex-text.tsx";
import { paths } from "../paths.ts";
import { readForm } from "../session.ts";
import { MessagePage } from "./account.tsx";
import { formPage, type PageContext, postForm, siteOf } from "./respond.tsx";

/** The paper a /papers/{id}/{action} path names (old-style ids hold a slash). */
function paperIdOf(c: PageContext, action = "claim"): string {
  const raw = decodeURIComponent(c.req.path.slice("/papers/".length, -(action.length + 1)));
  const parsed = parseArxivId(raw);
  if (!parsed) throw new CommunityError("invalid", `"${raw}" is not an arXiv id`);
  return parsed.id;
}

async function ClaimPage(c: PageContext, paperId: string, error?: string) {
  const paper = await c.get("app").store.papers.get(paperId);
  if (!paper) throw new CommunityError("not-found", `paper ${paperId} not found`);
  const site = siteOf(c);
  return c.html(
    <Layout site={site} title="Claim authorship">
      <div class="narrow">
        <h1>Claim authorship</h1>
        <p>
          <a href={paths.paper(paper.id)}>
            <TexText text={paper.title} />
          </a>
        </p>
        <p class="muted">
          A moderator checks each claim. Once approved, your name on the paper carries a badge that leads to your
          profile, and the paper is listed there.
        </p>
        <FormMessage error={error} />
        <SiteForm action={paths.claim(paper.id)} token={site.viewer?.csrfToken ?? ""}>
          <fieldset>
            <legend>Which author are you?</legend>
            {paper.authors.map((author, position) => (
              <p class="choice">
                <input type="radio" id={`author-${position}`} name="position" value={String(position)} required />{" "}
                <label for={`author-${position}`}>{author.name}</label>
              </p>
            ))}
          </fieldset>
          <p>
            <button type="submit">Claim</button>
          </p>
        </SiteForm>
      </div>
    </Layout>,
    error ? 400 : 200,
  );
}

/**
 * A signed-in reader claims to be one of a paper's authors (moderators decide on /admin/claims);
 * a member of an organisation links a paper they submitted to it.
 */
export function registerClaimPages(app: Hono<AppEnv>): void {
  postForm(app, "/papers/:rest{.+/organization}", async (c) => {
    const id = paperIdOf(c, "organization");
    const viewer = c.get("viewer");
    if (viewer?.via !== "session") return c.redirect(paths.login(paths.paper(id)), 303);
    const form = await readForm(c);
    const { organization } = await c
      .get("community")
      .organizationAdmin.attach(viewer.user, form.organization ?? "", id);
    return c.redirect(paths.organization(organization.name), 303);
  });

  formPage(app, "/papers/:rest{.+/claim}", async (c) => {
    const id = paperIdOf(c);
    if (c.get("viewer")?.via !== "session") return c.redirect(paths.login(paths.claim(id)), 303);
    return ClaimPage(c, id);
  });

  postForm(app, "/papers/:rest{.+/claim}", async (c) => {
    const id = paperIdOf(c);
    const viewer = c.get("viewer");
    if (viewer?.via !== "session") return c.redirect(paths.login(paths.claim(id)), 303);
    const form = await readForm(c);
    const position = Number(form.position);
    if (form.position === undefined || !Number.isSafeInteger(position))
      return ClaimPage(c, id, "Choose the author you are.");
    const claim = await c.get("community").claims.claim(viewer.user, id, { position });
    return MessagePage(
      c,
      "Claim sent",
      <p>
        {`Thank you. A moderator will look at your claim to be ${claim.authorName}. `}
        <a href={paths.paper(id)}>Back to the paper</a>
      </p>,
    );
  });
}
