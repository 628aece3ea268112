import type { Paper } from "../../papers/paper.ts";
import { plural } from "../paths.ts";
import { PaperCards } from "./paper-card.tsx";

// Stable ids: the votes, comments and similar-papers features fill these places in.

export function UpvoteBox({ paper }: { paper: Paper }) {
  return (
    <section id="upvotes" aria-labelledby="upvotes-heading">
      <h2 id="upvotes-heading">Upvotes</h2>
      <p class="upvote-box">
        <span aria-hidden="true">▲</span>
        <strong>{paper.upvotes.toLocaleString("en-US")}</strong>
        <span class="muted">{paper.upvotes === 1 ? "upvote" : "upvotes"}</span>
      </p>
    </section>
  );
}

export function CommentsSection({ paper }: { paper: Paper }) {
  return (
    <section id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{`Comments (${paper.numComments.toLocaleString("en-US")})`}</h2>
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
