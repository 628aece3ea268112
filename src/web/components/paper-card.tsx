import type { Child } from "hono/jsx";
import type { Paper } from "../../papers/paper.ts";
import type { AuthorRecord } from "../../papers/record.ts";
import { categoryName } from "../categories.ts";
import { formatInstant, paths, plural, safeUrl } from "../paths.ts";
import { TexText } from "./tex-text.tsx";

/** The organisation Hugging Face lists for a paper, when it knows one. */
export function organizationOf(paper: Paper): string | null {
  const name = paper.hf.organization?.fullname ?? paper.hf.organization?.name;
  return typeof name === "string" && name.trim() !== "" ? name : null;
}

const AuthorLink = ({ author }: { author: AuthorRecord }) => <a href={paths.author(author.name)}>{author.name}</a>;

function joined(authors: AuthorRecord[]) {
  return authors.map((author, i) => (
    <>
      {i > 0 ? ", " : ""}
      <AuthorLink author={author} />
    </>
  ));
}

/** Authors in paper order; beyond `shown` the rest fold into a disclosure that works without JavaScript. */
function AuthorList({ authors, shown }: { authors: AuthorRecord[]; shown: number }) {
  if (authors.length <= shown + 1) return <>{joined(authors)}</>;
  const rest = authors.slice(shown);
  return (
    <>
      {joined(authors.slice(0, shown))}
      {", "}
      <details>
        <summary>{`+${plural(rest.length, "more author")}`}</summary>
        {joined(rest)}
      </details>
    </>
  );
}

/** A paper's categories as list items linking to their pages; arXiv's names show on hover. */
function CategoryTags({ categories }: { categories: string[] }) {
  return (
    <>
      {categories.map((category) => (
        <li>
          <a href={paths.category(category)} title={categoryName(category)}>
            {category}
          </a>
        </li>
      ))}
    </>
  );
}

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

export interface PaperCardProps {
  paper: Paper;
  headingLevel?: 2 | 3;
  /** The title as shown, e.g. with a search's matches marked; by default the title typeset. */
  title?: Child;
  /** A passage of the abstract under the authors, e.g. where a search matched. */
  snippet?: Child;
  /** Adds a "More like this" link to the paper's similar papers. */
  moreLikeThis?: boolean;
}

/** A paper in a list: what a reader needs to decide whether to open it. */
export function PaperCard({ paper, headingLevel = 2, title, snippet, moreLikeThis = false }: PaperCardProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const organization = organizationOf(paper);
  return (
    <article class="card">
      <div class="votes" title="Upvotes">
        <span class="arrow" aria-hidden="true">
          ▲
        </span>
        <span>{paper.upvotes.toLocaleString("en-US")}</span>
        <span class="visually-hidden">upvotes</span>
      </div>
      <div class="card-body">
        <Heading>
          <a href={paths.paper(paper.id)}>{title ?? <TexText text={paper.title} />}</a>
        </Heading>
        <p class="authors">
          <AuthorList authors={paper.authors} shown={3} />
        </p>
        {snippet ? <p class="snippet">{snippet}</p> : null}
        <p class="meta">
          {organization ? <>{organization} · </> : null}
          Published <time datetime={paper.publishedAt}>{formatInstant(paper.publishedAt)}</time>
          {" · "}
          {plural(paper.numComments, "comment")}
        </p>
        <ul class="tags" aria-label="Categories and links">
          <CategoryTags categories={paper.categories} />
          <PaperLinks paper={paper} />
          {moreLikeThis ? (
            <li>
              <a href={paths.similar(paper.id)}>
                More like this<span class="visually-hidden">{`: ${paper.title}`}</span>
              </a>
            </li>
          ) : null}
        </ul>
      </div>
    </article>
  );
}

/** A list of paper cards, as feeds, listings and similar papers show them. */
export function PaperCards({ papers, headingLevel }: { papers: Paper[]; headingLevel?: 2 | 3 }) {
  return (
    <ul class="cards">
      {papers.map((paper) => (
        <li>
          <PaperCard paper={paper} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}
