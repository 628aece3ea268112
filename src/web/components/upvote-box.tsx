import { createContext, useContext } from "hono/jsx";
import type { Paper } from "../../papers/paper.ts";
import { paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";

/** What a page knows about its visitor's votes: provided once per page (VoteContext), read by every ▲ box. */
export interface VoteView {
  /** The visitor's form token; null when nobody is signed in. */
  csrfToken: string | null;
  /** The papers on the page the visitor has upvoted. */
  upvoted: Set<string>;
  /** Where a vote made without JavaScript returns to: the page it was made on. */
  returnTo: string;
}

export const VoteContext = createContext<VoteView | null>(null);

/**
 * The ▲ box of a card (`compact`) or of the paper page, with the paper's upvotes. Signed in, it is
 * a form that toggles the visitor's vote (static/vote.js sends it without leaving the page);
 * otherwise a link to log in and come back.
 */
export function UpvoteBox({ paper, compact = false }: { paper: Paper; compact?: boolean }) {
  const votes = useContext(VoteContext);
  const boxClass = compact ? "votes" : "votes votes-large";
  const id = compact ? undefined : "upvotes";
  const label = (
    <>
      <span class="arrow" aria-hidden="true">
        ▲
      </span>
      <span class="count" data-upvote-count>
        {paper.upvotes.toLocaleString("en-US")}
      </span>
      <span class="visually-hidden">{paper.upvotes === 1 ? " upvote" : " upvotes"}</span>
    </>
  );
  if (!votes?.csrfToken) {
    return (
      <a class={boxClass} id={id} href={paths.login(votes?.returnTo)} title="Log in to upvote">
        {label}
      </a>
    );
  }
  const upvoted = votes.upvoted.has(paper.id);
  return (
    <form class="vote-form" id={id} method="post" action={paths.upvote(paper.id)} data-upvote>
      <TokenField token={votes.csrfToken} />
      <input type="hidden" name="next" value={votes.returnTo} />
      <input type="hidden" name="upvoted" value={upvoted ? "0" : "1"} />
      <button
        type="submit"
        class={boxClass}
        aria-pressed={upvoted ? "true" : "false"}
        title={upvoted ? "Take back your upvote" : "Upvote"}
      >
        <span class="visually-hidden">Upvote: </span>
        {label}
      </button>
    </form>
  );
}
