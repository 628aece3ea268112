import type { Paper } from "../../papers/paper.ts";

// A stable place: the votes feature puts its upvote form here, on cards and on the paper page.

/** The ▲ box of a card (`compact`) or of the paper page, showing the paper's upvotes. */
export function UpvoteBox({ paper, compact = false }: { paper: Paper; compact?: boolean }) {
  const count = paper.upvotes.toLocaleString("en-US");
  return (
    <div class={compact ? "votes" : "votes votes-large"} id={compact ? undefined : "upvotes"}>
      <span class="arrow" aria-hidden="true">
        ▲
      </span>
      <span class="count">{count}</span>
      <span class="visually-hidden">{paper.upvotes === 1 ? " upvote" : " upvotes"}</span>
    </div>
  );
}
