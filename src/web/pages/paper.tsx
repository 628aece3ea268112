import type { Hono } from "hono";
import { isModerator, threadOf } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { decodedPath } from "../../http/request-path.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import { organizationLabel } from "../../papers/organization.ts";
import type { Paper } from "../../papers/paper.ts";
import { similarPapers } from "../../search/index.ts";
import { bibtex, fileNameFor } from "../citation.ts";
import { Authorship, PaperModeration } from "../components/paper-community.tsx";
import { PaperView } from "../components/paper-view.tsx";
import { paths } from "../paths.ts";
import { SocialCardCache, socialCardVersion } from "../social-card.ts";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, notFound, type PageContext, page, siteOf } from "./respond.tsx";

const SIMILAR_PAPERS = 6;
const socialCards = new SocialCardCache();

function notHere(c: PageContext, id: string) {
  return notFound(
    c,
    "Paper not found",
    <>
      {`arXiv:${id} is not in this library. `}
      <a href={`https://arxiv.org/abs/${id}`}>Look for it on arXiv</a>.
    </>,
  );
}

/** What /papers/<id>.<suffix> serves besides the page; other suffixes (.md, …) belong to other routes. */
const views = {
  bib: async (c: PageContext, paper: Paper) =>
    c.body(bibtex(paper), 200, {
      "Content-Type": "application/x-bibtex; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileNameFor(paper, "bib")}"`,
    }),
  png: async (c: PageContext, paper: Paper) => {
    const credited = (await c.get("app").store.organizations.ofPapers([paper.id])).get(paper.id);
    const organization = credited ? organizationLabel(credited) : null;
    const card = await socialCards.get(paper, organization, siteOf(c).name);
    // The page links the card with its version; an old version's URL gets the current card, briefly cached.
    const current = c.req.query("v") === socialCardVersion(paper, organization);
    c.header("Cache-Control", current ? "public, max-age=31536000, immutable" : "public, max-age=300");
    return c.body(new Uint8Array(card), 200, { "Content-Type": "image/png" });
  },
};
type View = keyof typeof views;

/**
 * /papers/<id>, /papers/<id>.bib (BibTeX) and /papers/<id>.png (the social card), where old-style
 * ids hold a slash (hep-th/9901001), so the id is the rest of the path.
 */
async function paperRoute(c: PageContext, next: () => Promise<void>) {
  // The raw path, decoded once: Hono's c.req.path is already partly decoded.
  const rest = (decodedPath(c.req.url) ?? "").slice("/papers/".length);
  const suffix = /\.([a-z]+)$/i.exec(rest)?.[1];
  if (suffix !== undefined && !Object.hasOwn(views, suffix)) return next();
  const view = suffix as View | undefined;
  const raw = view ? rest.slice(0, -view.length - 1) : rest;
  const parsed = parseArxivId(raw);
  if (!parsed) return badRequest(c, `"${raw}" is not an arXiv id like 2501.00010 or hep-th/9901001.`);
  if (raw !== parsed.id) return c.redirect(view ? `${paths.paper(parsed.id)}.${view}` : paths.paper(parsed.id), 301);

  const { store } = c.get("app");
  if (view) {
    const paper = await store.papers.get(parsed.id);
    return paper ? views[view](c, paper) : notHere(c, parsed.id);
  }
  const community = c.get("community");
  const viewer = c.get("viewer");
  const reader = viewer?.via === "session" ? viewer : null;
  const moderator = reader && isModerator(reader.user.role) ? reader.user : null;
  const [paper, feedEntries, similar, comments, lock, claims, moderation] = await Promise.all([
    store.papers.get(parsed.id),
    store.listings.feedEntriesOf(parsed.id),
    similarPapers(store, parsed.id, SIMILAR_PAPERS),
    community.comments.forPaper(parsed.id, reader?.user ?? null),
    community.moderation.lockOf(parsed.id),
    reader ? community.claims.mine(reader.user, parsed.id) : [],
    moderator ? community.moderation.paperState(moderator, parsed.id) : null,
  ]);
  if (!paper) return notHere(c, parsed.id);
  const submitted =
    reader !== null && feedEntries.some((e) => e.source === "user" && e.submittedBy?.name === reader.user.username);
  const organizations = submitted && reader ? await community.organizationAdmin.of(reader.user) : [];
  const discussion = {
    thread: threadOf(comments),
    viewer: reader ? { user: reader.user, csrfToken: reader.session.csrfToken } : null,
    now: new Date(),
    lock,
  };
  const neighbours = similar.map((s) => s.paper);
  return c.html(
    await withVotes(
      c,
      [paper, ...neighbours],
      <PaperView
        site={siteOf(c)}
        paper={paper}
        feedEntries={feedEntries}
        similar={neighbours}
        discussion={discussion}
        authorship={
          <Authorship
            paperId={paper.id}
            claims={claims}
            csrfToken={reader?.session.csrfToken ?? null}
            organizations={organizations}
          />
        }
        moderation={
          moderation && reader ? (
            <PaperModeration
              paperId={paper.id}
              csrfToken={reader.session.csrfToken}
              lock={moderation.lock}
              hidden={moderation.hidden}
            />
          ) : null
        }
      />,
    ),
  );
}

/** Registered after the feed routes, which share the /papers/ prefix. */
export function registerPaperPage(app: Hono<AppEnv>): void {
  page(app, "/papers/*", paperRoute);
}
