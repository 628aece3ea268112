import type { Child } from "hono/jsx";
import { arxivLinks } from "../../papers/links.ts";
import { organizationLabel } from "../../papers/organization.ts";
import type { Paper } from "../../papers/paper.ts";
import type { FeedEntry } from "../../store/listings.ts";
import { categoryLabel } from "../categories.ts";
import { bibtex, highwireDate } from "../citation.ts";
import { type HfAccount, huggingFacePageOf, submitterOf, thumbnailOf } from "../hf.ts";
import { plainText, readableText } from "../latex.ts";
import { dateOf, formatDate, formatDay, paths, safeUrl } from "../paths.ts";
import { socialCardVersion } from "../social-card.ts";
import { Comments, type CommentsProps } from "./comments.tsx";
import { Layout, type Site } from "./layout.tsx";
import { AuthorList, PaperLinks } from "./paper-card.tsx";
import { OrganizationLink, useOrganizationOf } from "./paper-organization.tsx";
import { SimilarPapers } from "./paper-slots.tsx";
import { SaveBox } from "./save-box.tsx";
import { TexText } from "./tex-text.tsx";
import { UpvoteBox } from "./upvote-box.tsx";

export interface PaperViewProps {
  site: Site;
  paper: Paper;
  /** Its entries on the daily feed, earliest first. */
  feedEntries: FeedEntry[];
  similar: Paper[];
  discussion: Omit<CommentsProps, "paper">;
  /** Under the authors: the visitor's claim to be one of them, or the way to make one. */
  authorship?: Child;
  /** At the foot, for moderators: hide from the feed, lock the discussion. */
  moderation?: Child;
}

const DESCRIPTION_LENGTH = 300;
// Collaboration papers can list hundreds of authors; the rest fold away.
const AUTHORS_SHOWN = 30;

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

/** Citation metadata for reference managers (Highwire Press tags: Zotero, Google Scholar) and link previews. */
function PaperHead({ site, paper }: { site: Site; paper: Paper }) {
  const links = arxivLinks(paper);
  const url = `${site.baseUrl}${paths.paper(paper.id)}`;
  const title = plainText(paper.title);
  const description = shorten(plainText(paper.abstract), DESCRIPTION_LENGTH);
  const credited = useOrganizationOf(paper.id);
  const version = socialCardVersion(paper, credited ? organizationLabel(credited) : null);
  const image = `${site.baseUrl}${paths.socialCard(paper.id, version)}`;
  // `<` escaped so no string in the data can close the script element.
  const jsonLd = JSON.stringify({
    "@context": "https://schema.org",
    "@type": "ScholarlyArticle",
    headline: paper.title,
    name: paper.title,
    abstract: paper.abstract,
    author: paper.authors.map((a) => ({ "@type": "Person", name: a.name })),
    datePublished: paper.publishedAt,
    ...(paper.updatedAt ? { dateModified: paper.updatedAt } : {}),
    identifier: `arXiv:${paper.id}`,
    url,
    sameAs: links.abstract,
    image,
    keywords: paper.categories.join(", "),
    ...(paper.doi ? { doi: paper.doi } : {}),
  }).replaceAll("<", "\\u003c");
  return (
    <>
      <meta name="citation_title" content={paper.title} />
      {paper.authors.map((a) => (
        <meta name="citation_author" content={a.name} />
      ))}
      <meta name="citation_publication_date" content={highwireDate(paper.publishedAt)} />
      <meta name="citation_online_date" content={highwireDate(paper.updatedAt ?? paper.publishedAt)} />
      <meta name="citation_arxiv_id" content={paper.id} />
      <meta name="citation_pdf_url" content={links.pdf} />
      <meta name="citation_abstract_html_url" content={links.abstract} />
      {paper.doi ? <meta name="citation_doi" content={paper.doi} /> : null}
      {paper.journalRef ? <meta name="citation_journal_title" content={paper.journalRef} /> : null}
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="og:image" content={image} />
      <meta property="og:image:type" content="image/png" />
      <meta property="og:image:width" content="1200" />
      <meta property="og:image:height" content="630" />
      <meta property="og:image:alt" content={`${title}: title card`} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={image} />
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
    </>
  );
}

/** Someone on Hugging Face: linked to their page there when we can. */
function HfName({ account }: { account: HfAccount }) {
  return account.url ? <a href={account.url}>{account.label}</a> : account.label;
}

/** Upvote, then the ways to read the paper: what a reader came for, right under the authors. */
function PaperActions({ paper }: { paper: Paper }) {
  const links = arxivLinks(paper);
  return (
    <div class="actions">
      <UpvoteBox paper={paper} />
      <ul class="action-links">
        <li>
          <a class="button primary" href={links.pdf}>
            PDF
          </a>
        </li>
        <li>
          <a class="button" href={links.abstract}>
            arXiv
          </a>
        </li>
        {links.html ? (
          <li>
            <a class="button" href={links.html}>
              HTML
            </a>
          </li>
        ) : null}
        <PaperLinks paper={paper} />
      </ul>
      <SaveBox paper={paper} />
    </div>
  );
}

/** Hugging Face's AI summary and keywords, labelled as machine-written as Hugging Face labels them. */
function AiSummary({ paper }: { paper: Paper }) {
  const { aiSummary, aiKeywords = [] } = paper.hf;
  if (!aiSummary && aiKeywords.length === 0) return null;
  return (
    <section class="ai-summary" aria-labelledby="ai-summary-heading">
      <h2 id="ai-summary-heading">
        AI summary <span class="badge">AI-generated</span>
      </h2>
      {aiSummary ? (
        <p>
          <TexText text={aiSummary} />
        </p>
      ) : null}
      {aiKeywords.length > 0 ? (
        <>
          <h3 class="visually-hidden">Keywords</h3>
          <ul class="tags">
            {aiKeywords.map((keyword) => (
              <li>
                <a href={`${paths.search()}?${new URLSearchParams({ q: `"${keyword.replaceAll('"', "")}"` })}`}>
                  {keyword}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p class="meta">
        Written by a language model for the Hugging Face daily papers
        {paper.hf.aiSummaryModel ? ` (${paper.hf.aiSummaryModel})` : ""}, not by the authors.
      </p>
    </section>
  );
}

/**
 * Hugging Face's preview image of the paper. When it can't load (offline, or a policy forbids
 * it) a drawn stand-in with the title shows instead: the image's ::after where browsers draw one
 * for a broken image, else the box beneath it.
 */
function Thumbnail({ paper, url }: { paper: Paper; url: string }) {
  const title = readableText(paper.title);
  return (
    <figure class="thumbnail">
      <div class="thumbnail-fallback" aria-hidden="true">
        {title}
      </div>
      <img
        src={url}
        alt=""
        data-fallback={title}
        width="1200"
        height="648"
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
      />
    </figure>
  );
}

/** The facts about the paper: dates, the feed, who submitted it, where it is from. */
function PaperFacts({ paper, feedEntries }: { paper: Paper; feedEntries: FeedEntry[] }) {
  const organization = useOrganizationOf(paper.id);
  // Someone who submitted it here has no Hugging Face page to link to.
  const accounts = feedEntries.flatMap((e) => {
    const account = submitterOf(e.submittedBy);
    return account ? [e.source === "user" ? { ...account, url: null } : account] : [];
  });
  const submitters = [...new Map(accounts.map((s) => [s.label, s])).values()];
  const huggingFace = huggingFacePageOf(
    paper,
    feedEntries.map((e) => e.source),
  );
  const code = safeUrl(paper.githubRepo);
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">About this paper</h2>
      <dl class="facts">
        <dt>Published</dt>
        <dd>
          <time datetime={dateOf(paper.publishedAt)}>{formatDate(paper.publishedAt)}</time>
        </dd>
        {paper.updatedAt ? (
          <>
            <dt>Updated</dt>
            <dd>
              <time datetime={dateOf(paper.updatedAt)}>{formatDate(paper.updatedAt)}</time>
            </dd>
          </>
        ) : null}
        {feedEntries.length > 0 ? (
          <>
            <dt>On the daily feed</dt>
            <dd>
              {feedEntries.map((entry, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <a href={paths.day(entry.day)}>{formatDay(entry.day)}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {submitters.length > 0 ? (
          <>
            <dt>Submitted by</dt>
            <dd>
              {submitters.map((s, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <HfName account={s} />
                </>
              ))}
            </dd>
          </>
        ) : null}
        {organization ? (
          <>
            <dt>Organisation</dt>
            <dd>
              <OrganizationLink organization={organization} />
            </dd>
          </>
        ) : null}
        {code && paper.hf.githubStars !== undefined ? (
          <>
            <dt>GitHub stars</dt>
            <dd>{paper.hf.githubStars.toLocaleString("en-US")}</dd>
          </>
        ) : null}
        {paper.doi ? (
          <>
            <dt>DOI</dt>
            <dd>
              <a href={`https://doi.org/${encodeURI(paper.doi)}`}>{paper.doi}</a>
            </dd>
          </>
        ) : null}
        {paper.journalRef ? (
          <>
            <dt>Journal reference</dt>
            <dd>{paper.journalRef}</dd>
          </>
        ) : null}
        {paper.comment ? (
          <>
            <dt>Authors' comment</dt>
            <dd>{paper.comment}</dd>
          </>
        ) : null}
      </dl>
      {huggingFace ? (
        <p>
          <a href={huggingFace}>On Hugging Face</a>
        </p>
      ) : null}
    </section>
  );
}

/** One paper: title, authors and the ways to read it first, then everything else about it. */
export function PaperView({ site, paper, feedEntries, similar, discussion, authorship, moderation }: PaperViewProps) {
  const links = arxivLinks(paper);
  const thumbnail = thumbnailOf(paper);
  return (
    <Layout
      site={site}
      title={plainText(paper.title)}
      description={shorten(plainText(paper.abstract), DESCRIPTION_LENGTH)}
      canonicalPath={paths.paper(paper.id)}
      head={<PaperHead site={site} paper={paper} />}
    >
      <div class="paper">
        <article class="paper-main">
          <header class="paper-head">
            <p class="muted paper-id">
              {`arXiv:${paper.id}${paper.version ? ` (v${paper.version})` : ""} · Published `}
              <time datetime={dateOf(paper.publishedAt)}>{formatDate(paper.publishedAt)}</time>
            </p>
            <h1>
              <TexText text={paper.title} />
            </h1>
            <div class="authors">
              <AuthorList authors={paper.authors} paperId={paper.id} shown={AUTHORS_SHOWN} withAffiliations />
              {authorship}
            </div>
          </header>
          <PaperActions paper={paper} />
          <section aria-labelledby="abstract-heading">
            <h2 id="abstract-heading">Abstract</h2>
            <p class="abstract">
              <TexText text={paper.abstract} />
            </p>
          </section>
          <AiSummary paper={paper} />
          <section id="cite" aria-labelledby="cite-heading">
            <h2 id="cite-heading">Cite as</h2>
            <pre class="bibtex">
              <code>{bibtex(paper)}</code>
            </pre>
            <p>
              <a class="button" href={paths.bibtex(paper.id)} download>
                Download BibTeX
              </a>
            </p>
          </section>
          <Comments paper={paper} {...discussion} />
          {moderation}
          <SimilarPapers papers={similar} />
        </article>
        <aside class="side" aria-label="About this paper">
          {thumbnail ? <Thumbnail paper={paper} url={thumbnail} /> : null}
          <PaperFacts paper={paper} feedEntries={feedEntries} />
          {paper.categories.length > 0 ? (
            <section aria-labelledby="categories-heading">
              <h2 id="categories-heading">Categories</h2>
              <ul class="tags">
                {paper.categories.map((category) => (
                  <li>
                    <a href={paths.category(category)}>{categoryLabel(category)}</a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {paper.versions.length > 0 ? (
            <section aria-labelledby="versions-heading">
              <h2 id="versions-heading">Versions</h2>
              <ul class="links">
                {paper.versions.map((v) => (
                  <li>
                    <a href={`${links.abstract}v${v.version}`}>{`v${v.version}`}</a>{" "}
                    <time datetime={dateOf(v.created)}>{formatDate(v.created)}</time>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </Layout>
  );
}
