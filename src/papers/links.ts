import type { Paper } from "./paper.ts";

export interface ArxivLinks {
  abstract: string;
  pdf: string;
  /** arXiv renders HTML only for new-style ids. */
  html: string | null;
}

/** Where to read a paper on arXiv. */
export function arxivLinks(paper: Pick<Paper, "id">): ArxivLinks {
  return {
    abstract: `https://arxiv.org/abs/${paper.id}`,
    pdf: `https://arxiv.org/pdf/${paper.id}`,
    html: paper.id.includes("/") ? null : `https://arxiv.org/html/${paper.id}`,
  };
}

/** The path of a paper's page on this site; old-style ids keep their slash, as on arxiv.org. */
export function paperPath(id: string): string {
  return `/papers/${id}`;
}
