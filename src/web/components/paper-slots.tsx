import type { Paper } from "../../papers/paper.ts";
import { plural } from "../paths.ts";
import { PaperCards } from "./paper-card.tsx";

// Stable places with stable ids: the comments and similar-papers features fill these in.

export function CommentsSection({ paper }: { paper: Paper }) {
  return (
    <section id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {paper.numComments === 0 ? (
        <p class="muted">No comments yet.</p>
      ) : (
        <p class="muted">{`${plural(paper.numComments, "comment")} on the Hugging Face discussion.`}</p>
      )}
    </section>
  );
}

/** Papers like this one, once a similarity source provides them; nothing shows while there are none. */
export function SimilarPapers({ papers }: { papers: Paper[] }) {
  return (
    <section id="similar-papers" aria-labelledby="similar-heading" hidden={papers.length === 0}>
      <h2 id="similar-heading">Similar papers</h2>
      <PaperCards papers={papers} headingLevel={3} />
    </section>
  );
}
