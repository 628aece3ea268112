import type { Child } from "hono/jsx";
import type { Paper } from "../../papers/paper.ts";
import type { AuthorRecord } from "../../papers/record.ts";
import { categoryName } from "../categories.ts";
import type { HfAccount } from "../hf.ts";
import { dateOf, formatDate, paths, plural, safeUrl } from "../paths.ts";
import { AuthorBadge } from "./claimed-authors.tsx";
import { OrganizationLink, useOrganizationOf } from "./paper-organization.tsx";
import { SaveBox } from "./save-box.tsx";
import { TexText } from "./tex-text.tsx";
import { UpvoteBox } from "./upvote-box.tsx";

/**
 * Names with their commas; each name and its comma stay on one line, so no line starts with a
 * comma. `all` is the paper's whole list, which says each author's place (for claim badges).
 */
function joined(
  authors: AuthorRecord[],
  all: AuthorRecord[],
  paperId: string | undefined,
  withAffiliations: boolean,
  gapAfter?: number,
) {
  return authors.map((author, i) => (
    <>
      <span class="author">
        <a href={paths.author(author.name)}>{author.name}</a>
        {paperId ? <AuthorBadge paperId={paperId} position={all.indexOf(author)} /> : null}
        {withAffiliations && author.affiliation ? <span class="muted">{` (${author.affiliation})`}</span> : null}
        {i === authors.length - 1 ? "" : i === gapAfter ? ", …," : ","}
      </span>{" "}
    </>
  ));
}

/**
 * Authors in paper order; beyond `shown` the rest fold into a disclosure that works without
 * JavaScript, up to `folded` of them (a collaboration can list thousands), then a link to
 * `allAt`. The author named `keep` (whose page lists the paper) always stays in sight.
 */
export function AuthorList(props: {
  authors: AuthorRecord[];
  /** The paper's id, for the badges of authors who claimed it here. */
  paperId?: string;
  shown: number;
  keep?: string;
  withAffiliations?: boolean;
  folded?: number;
  allAt?: string;
}) {
  const { authors, shown, keep, withAffiliations = false, folded = Number.POSITIVE_INFINITY } = props;
  const list = (some: AuthorRecord[], gapAfter?: number) =>
    joined(some, authors, props.paperId, withAffiliations, gapAfter);
  if (authors.length <= shown + 1) return <>{list(authors)}</>;
  const kept = keep === undefined ? -1 : authors.findIndex((a) => a.name === keep);
  const visible = kept >= shown ? [...authors.slice(0, shown), authors[kept] as AuthorRecord] : authors.slice(0, shown);
  const rest = authors.filter((a) => !visible.includes(a));
  return (
    <>
      {list(visible, kept > shown ? shown - 1 : undefined)}
      <details>
        <summary>{`+${plural(rest.length, "more author")}`}</summary>
        {list(rest.slice(0, folded))}
        {rest.length > folded && props.allAt ? (
          <a href={props.allAt}>{`and ${(rest.length - folded).toLocaleString("en-US")} more`}</a>
        ) : null}
      </details>
    </>
  );
}

const hasLinks = (paper: Paper) => safeUrl(paper.githubRepo) !== null || safeUrl(paper.projectPage) !== null;

/** Code and project page links as list items, when the paper has them. */
export function PaperLinks({ paper }: { paper: Paper }) {
  const code = safeUrl(paper.githubRepo);
  const project = safeUrl(paper.projectPage);
  return (
    <>
      {code ? (
        <li>
          <a href={code}>Code</a>
        </li>
      ) : null}
      {project ? (
        <li>
          <a href={project}>Project page</a>
        </li>
      ) : null}
    </>
  );
}

const FOLDED_ON_CARDS = 25;

export interface PaperCardProps {
  paper: Paper;
  headingLevel?: 2 | 3;
  /** The title as shown, e.g. with a search's matches marked; by default the title typeset. */
  title?: Child;
  /** A passage of the abstract under the authors, e.g. where a search matched. */
  snippet?: Child;
  /** Adds a "More like this" link to the paper's similar papers. */
  moreLikeThis?: boolean;
  /** The author whose page this is: never folded away. */
  author?: string;
  /** Who put the paper on the feed, on feed pages. */
  submitter?: HfAccount | null;
  /** More about the paper in this list, under its tags: a collection's note, why it is in My feed. */
  children?: Child;
}

/** A paper in a list: what a reader needs to decide whether to open it. */
export function PaperCard(props: PaperCardProps) {
  const { paper, headingLevel = 2 } = props;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const organization = useOrganizationOf(paper.id);
  return (
    <article class="card">
      <UpvoteBox paper={paper} compact />
      <div class="card-body">
        <Heading>
          <a href={paths.paper(paper.id)}>{props.title ?? <TexText text={paper.title} />}</a>
        </Heading>
        <div class="authors">
          <AuthorList
            authors={paper.authors}
            paperId={paper.id}
            shown={3}
            keep={props.author}
            folded={FOLDED_ON_CARDS}
            allAt={paths.paper(paper.id)}
          />
        </div>
        {props.snippet ? <p class="snippet">{props.snippet}</p> : null}
        <p class="meta">
          {organization ? (
            <>
              <OrganizationLink organization={organization} />
              {" · "}
            </>
          ) : null}
          Published <time datetime={dateOf(paper.publishedAt)}>{formatDate(paper.publishedAt)}</time>
          {props.submitter ? ` · Submitted by ${props.submitter.label}` : null}
          {paper.numComments > 0 ? (
            <>
              {" · "}
              <a href={`${paths.paper(paper.id)}#comments`}>{plural(paper.numComments, "comment")}</a>
            </>
          ) : null}
        </p>
        {paper.categories.length > 0 || hasLinks(paper) || props.moreLikeThis ? (
          <ul class="tags">
            {paper.categories.map((category) => (
              <li>
                <a href={paths.category(category)} title={categoryName(category)}>
                  {category}
                </a>
              </li>
            ))}
            <PaperLinks paper={paper} />
            {props.moreLikeThis ? (
              <li>
                <a href={paths.similar(paper.id)}>
                  More like this<span class="visually-hidden">{`: ${paper.title}`}</span>
                </a>
              </li>
            ) : null}
          </ul>
        ) : null}
        {props.children}
        <SaveBox paper={paper} />
      </div>
    </article>
  );
}

export interface CardItem {
  paper: Paper;
  submitter?: HfAccount | null;
}

/** A list of paper cards, as feeds, listings and similar papers show them. */
export function PaperCards({
  papers,
  headingLevel,
  author,
}: {
  papers: (Paper | CardItem)[];
  headingLevel?: 2 | 3;
  author?: string;
}) {
  return (
    <ul class="cards">
      {papers.map((item) => {
        const { paper, submitter } = "paper" in item ? item : { paper: item, submitter: null };
        return (
          <li>
            <PaperCard paper={paper} headingLevel={headingLevel} author={author} submitter={submitter} />
          </li>
        );
      })}
    </ul>
  );
}
