import type { Paper } from "../../papers/paper.ts";
import { PaperCards } from "./paper-card.tsx";

// A stable place with a stable id: the similar-papers feature fills it in.

/** Papers like this one, once a similarity source provides them; nothing shows while there are none. */
export function SimilarPapers({ papers }: { papers: Paper[] }) {
  return (
    <section id="similar-papers" aria-labelledby="similar-heading" hidden={papers.length === 0}>
      <h2 id="similar-heading">Similar papers</h2>
      <PaperCards papers={papers} headingLevel={3} />
    </section>
  );
}
