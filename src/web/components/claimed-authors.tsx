import { createContext, useContext } from "hono/jsx";
import { shownName } from "../../community/index.ts";
import type { ClaimedAuthor } from "../../store/index.ts";
import { paths } from "../paths.ts";

/** The authors of a page's papers whose claims moderators approved, by paper id: provided once per page. */
export const ClaimsContext = createContext<Map<string, ClaimedAuthor[]>>(new Map());

/** The badge beside a claimed author's name, linking to the account's profile. */
export function AuthorBadge({ paperId, position }: { paperId: string; position: number }) {
  const claim = useContext(ClaimsContext)
    .get(paperId)
    ?.find((c) => c.position === position);
  if (!claim) return null;
  return (
    <a class="author-badge" href={paths.user(claim.user.username)} title={`Verified author: @${claim.user.username}`}>
      <span aria-hidden="true">✓</span>
      <span class="visually-hidden">{` verified author, profile of ${shownName(claim.user)}`}</span>
    </a>
  );
}
