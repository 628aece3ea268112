import { useContext } from "hono/jsx";
import type { Paper } from "../../papers/paper.ts";
import { paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";
import { VoteContext } from "./upvote-box.tsx";

/** Ids on a page must be unique and plain: a paper id with its dots and slashes made safe. */
const idFor = (paper: Paper) => `save-${paper.id.replace(/[^A-Za-z0-9]/g, "-")}`;

/**
 * "Save": puts the paper into one of the visitor's collections, or a new one named on the spot.
 * A disclosure holding a plain form, so it works without JavaScript (the answer is the
 * collection's page); static/collect.js sends it in the background and says where it went.
 * Nothing for visitors who are not signed in.
 */
export function SaveBox({ paper }: { paper: Paper }) {
  const view = useContext(VoteContext);
  if (!view?.csrfToken) return null;
  const id = idFor(paper);
  return (
    <details class="save">
      <summary>
        Save<span class="visually-hidden">{`: ${paper.title}`}</span>
      </summary>
      <form method="post" action={paths.save()} data-save>
        <TokenField token={view.csrfToken} />
        <input type="hidden" name="paper" value={paper.id} />
        <input type="hidden" name="next" value={view.returnTo} />
        {view.collections.length > 0 ? (
          <p class="field">
            <label for={`${id}-collection`}>Collection</label>
            <select id={`${id}-collection`} name="collection">
              {view.collections.map((c) => (
                <option value={c.slug}>{c.title}</option>
              ))}
              <option value="">New collection…</option>
            </select>
          </p>
        ) : (
          <input type="hidden" name="collection" value="" />
        )}
        <p class="field">
          <label for={`${id}-title`}>{view.collections.length > 0 ? "or a new one, titled" : "New collection"}</label>
          <input id={`${id}-title`} name="title" type="text" maxlength={100} />
        </p>
        <p>
          <button type="submit">Save</button> <output class="save-outcome" aria-live="polite" />
        </p>
      </form>
    </details>
  );
}
