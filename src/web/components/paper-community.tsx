import type { AuthorClaim, DiscussionLock, HiddenFeedEntry } from "../../store/index.ts";
import { paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";

/** For a member of organisations who submitted the paper: link it to one of them. */
function LinkToOrganization(props: {
  paperId: string;
  csrfToken: string;
  organizations: { name: string; fullname: string | null }[];
}) {
  return (
    <form method="post" action={paths.paperOrganization(props.paperId)} class="inline">
      <TokenField token={props.csrfToken} />
      <label for="link-organization">You submitted this paper: link it to</label>{" "}
      <select id="link-organization" name="organization">
        {props.organizations.map((org) => (
          <option value={org.name}>{org.fullname ?? org.name}</option>
        ))}
      </select>{" "}
      <button type="submit">Link</button>
    </form>
  );
}

/**
 * Under the authors: the visitor's claim to be one of them, or the way to make one; and for a
 * submitter who belongs to organisations, the form that links the paper to one.
 */
export function Authorship(props: {
  paperId: string;
  claims: AuthorClaim[];
  csrfToken: string | null;
  organizations: { name: string; fullname: string | null }[];
}) {
  const { paperId, claims } = props;
  return (
    <>
      <ClaimNote paperId={paperId} claims={claims} />
      {props.csrfToken && props.organizations.length > 0 ? (
        <LinkToOrganization paperId={paperId} csrfToken={props.csrfToken} organizations={props.organizations} />
      ) : null}
    </>
  );
}

function ClaimNote({ paperId, claims }: { paperId: string; claims: AuthorClaim[] }) {
  const claim = claims[0];
  if (claim) {
    return (
      <p class="muted authorship">
        {claim.status === "approved"
          ? `You are listed as ${claim.authorName}.`
          : `Your claim to be ${claim.authorName} is waiting for a moderator.`}
      </p>
    );
  }
  return (
    <p class="authorship">
      <a href={paths.claim(paperId)}>Are you an author? Claim the paper</a>
    </p>
  );
}

function PaperAction(props: {
  paperId: string;
  action: "hide" | "unhide" | "lock" | "unlock";
  label: string;
  csrfToken: string;
  reason: boolean;
}) {
  const id = `moderate-${props.action}`;
  return (
    <form method="post" action={paths.adminPaperAction(props.action)} class="stacked">
      <TokenField token={props.csrfToken} />
      <input type="hidden" name="paper" value={props.paperId} />
      <input type="hidden" name="next" value={paths.paper(props.paperId)} />
      {props.reason ? (
        <>
          <label for={id}>Why? (moderators see this)</label>
          <input id={id} name="reason" required maxlength={500} />
        </>
      ) : null}
      <button type="submit">{props.label}</button>
    </form>
  );
}

/** A moderator's tools at the foot of a paper's page: take it off the feed, lock its discussion, and undo both. */
export function PaperModeration(props: {
  paperId: string;
  csrfToken: string;
  lock: DiscussionLock | null;
  hidden: HiddenFeedEntry[];
}) {
  const { paperId, csrfToken, lock, hidden } = props;
  return (
    <section id="moderation" aria-labelledby="moderation-heading" class="moderation">
      <h2 id="moderation-heading">Moderation</h2>
      {hidden.length > 0 ? (
        <>
          <p>{`Off the feed since ${hidden[0]?.hiddenAt.slice(0, 10)} (${hidden[0]?.moderator}): ${hidden[0]?.reason}`}</p>
          <PaperAction
            paperId={paperId}
            action="unhide"
            label="Put back on the feed"
            csrfToken={csrfToken}
            reason={false}
          />
        </>
      ) : (
        <details>
          <summary>Hide from the feed</summary>
          <PaperAction paperId={paperId} action="hide" label="Hide from the feed" csrfToken={csrfToken} reason />
        </details>
      )}
      {lock ? (
        <>
          <p>{`Discussion locked by ${lock.moderator}: ${lock.reason}`}</p>
          <PaperAction
            paperId={paperId}
            action="unlock"
            label="Unlock the discussion"
            csrfToken={csrfToken}
            reason={false}
          />
        </>
      ) : (
        <details>
          <summary>Lock the discussion</summary>
          <PaperAction paperId={paperId} action="lock" label="Lock the discussion" csrfToken={csrfToken} reason />
        </details>
      )}
    </section>
  );
}
