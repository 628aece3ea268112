import type { Child } from "hono/jsx";
import type { Paper } from "../../papers/paper.ts";
import { type FeedRef, plural } from "../paths.ts";
import { Layout, type Section, type Site } from "./layout.tsx";
import { Pager } from "./pager.tsx";
import { PaperCards } from "./paper-card.tsx";

export interface PaperListViewProps {
  site: Site;
  title: string;
  /** Shown under the title, before the paper count. */
  intro?: Child;
  section?: Section;
  papers: Paper[];
  total: number;
  page: number;
  pageSize: number;
  /** Path of the list's first page; later pages add ?page=N. */
  path: string;
  /** The feed that follows this list. */
  feed?: FeedRef;
  /** On an author's page: their name, never folded away on the cards. */
  author?: string;
  /** Shown above the cards, e.g. what the list leaves out. */
  notice?: Child;
}

const pageHref = (path: string, page: number) => (page > 1 ? `${path}?page=${page}` : path);

/** A paged list of papers: trending, an author's, a category's. */
export function PaperListView(props: PaperListViewProps) {
  return (
    <Layout
      site={props.site}
      title={props.page > 1 ? `${props.title} (page ${props.page})` : props.title}
      description={`${props.title}: ${plural(props.total, "paper")} on ${props.site.name}.`}
      canonicalPath={pageHref(props.path, props.page)}
      section={props.section}
      feeds={props.feed ? [props.feed] : undefined}
    >
      <h1>{props.title}</h1>
      <p class="muted">
        {props.intro}
        {props.intro ? " · " : null}
        {plural(props.total, "paper")}
      </p>
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      {props.papers.length === 0 ? (
        <div class="empty">
          <p>No papers here yet.</p>
        </div>
      ) : (
        <PaperCards papers={props.papers} author={props.author} />
      )}
      <Pager
        page={props.page}
        pageCount={Math.ceil(props.total / props.pageSize)}
        href={(n) => pageHref(props.path, n)}
      />
    </Layout>
  );
}
