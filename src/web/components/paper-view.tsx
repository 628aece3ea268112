import { arxivLinks } from "../../papers/links.ts";
import type { Paper } from "../../papers/paper.ts";
import { categoryLabel } from "../categories.ts";
import { bibtex, highwireDate } from "../citation.ts";
import { formatDay, formatInstant, paths, safeUrl } from "../paths.ts";
import { Layout, type Site } from "./layout.tsx";
import { organizationOf, PaperLinks } from "./paper-card.tsx";
import { CommentsSection, SimilarPapers, UpvoteBox } from "./paper-slots.tsx";
import { TexText } from "./tex-text.tsx";

export interface PaperViewProps {
  site: Site;
  paper: Paper;
  /** Days the paper is on the daily feed. */
  feedDays: string[];
  similar: Paper[];
}

const DESCRIPTION_LENGTH = 300;

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

/** Citation metadata for reference managers (Highwire Press tags: Zotero, Google Scholar) and link previews. */
function PaperHead({ site, paper }: { site: Site; paper: Paper }) {
  const links = arxivLinks(paper);
  const url = `${site.baseUrl}${paths.paper(paper.id)}`;
  const description = shorten(paper.abstract, DESCRIPTION_LENGTH);
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
      <meta property="og:title" content={paper.title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={paper.title} />
      <meta name="twitter:description" content={description} />
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
    </>
  );
}

/** One paper: everything about it, with room for votes, comments and similar papers. */
export function PaperView({ site, paper, feedDays, similar }: PaperViewProps) {
  const links = arxivLinks(paper);
  const organization = organizationOf(paper);
  const code = safeUrl(paper.githubRepo);
  return (
    <Layout
      site={site}
      title={paper.title}
      description={shorten(paper.abstract, DESCRIPTION_LENGTH)}
      canonicalPath={paths.paper(paper.id)}
      head={<PaperHead site={site} paper={paper} />}
    >
      <div class="paper">
        <article>
          <p class="muted">{`arXiv:${paper.id}${paper.version ? ` (v${paper.version})` : ""}`}</p>
          <h1>
            <TexText text={paper.title} />
          </h1>
          <p class="authors">
            {paper.authors.map((a, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={paths.author(a.name)}>{a.name}</a>
                {a.affiliation ? <span class="muted">{` (${a.affiliation})`}</span> : null}
              </>
            ))}
          </p>
          <p class="meta">
            {organization ? <>{organization} · </> : null}
            Published <time datetime={paper.publishedAt}>{formatInstant(paper.publishedAt)}</time>
            {paper.updatedAt ? (
              <>
                {" · Updated "}
                <time datetime={paper.updatedAt}>{formatInstant(paper.updatedAt)}</time>
              </>
            ) : null}
            {feedDays.length > 0 ? (
              <>
                {" · On the daily feed "}
                {feedDays.map((day, i) => (
                  <>
                    {i > 0 ? ", " : ""}
                    <a href={paths.day(day)}>{formatDay(day)}</a>
                  </>
                ))}
              </>
            ) : null}
          </p>
          <section aria-labelledby="abstract-heading">
            <h2 id="abstract-heading">Abstract</h2>
            <p class="abstract">
              <TexText text={paper.abstract} />
            </p>
          </section>
          {paper.comment ? (
            <p class="meta">
              <strong>Comments:</strong> {paper.comment}
            </p>
          ) : null}
          {paper.journalRef ? (
            <p class="meta">
              <strong>Journal reference:</strong> {paper.journalRef}
            </p>
          ) : null}
          <section id="cite" aria-labelledby="cite-heading">
            <h2 id="cite-heading">Cite as</h2>
            <pre class="bibtex">
              <code>{bibtex(paper)}</code>
            </pre>
            <p>
              <a href={paths.bibtex(paper.id)} download>
                Download BibTeX
              </a>
            </p>
          </section>
          <CommentsSection paper={paper} />
          <SimilarPapers papers={similar} />
        </article>
        <aside class="side" aria-label="About this paper">
          <UpvoteBox paper={paper} />
          <section aria-labelledby="links-heading">
            <h2 id="links-heading">Read</h2>
            <ul class="links">
              <li>
                <a href={links.abstract}>arXiv abstract</a>
              </li>
              <li>
                <a href={links.pdf}>PDF</a>
              </li>
              {links.html ? (
                <li>
                  <a href={links.html}>HTML</a>
                </li>
              ) : null}
              <PaperLinks paper={paper} />
              {paper.doi ? (
                <li>
                  <a href={`https://doi.org/${encodeURI(paper.doi)}`}>{`DOI ${paper.doi}`}</a>
                </li>
              ) : null}
            </ul>
            {code && paper.hf.githubStars !== undefined ? (
              <p class="muted">{`${paper.hf.githubStars.toLocaleString("en-US")} GitHub stars`}</p>
            ) : null}
          </section>
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
                    <time datetime={v.created}>{formatInstant(v.created)}</time>
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
