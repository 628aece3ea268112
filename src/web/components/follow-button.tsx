import type { FollowKind } from "../../store/index.ts";
import { paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";

export interface FollowState {
  kind: FollowKind;
  value: string;
  /** The visitor's form token; null when nobody is signed in. */
  csrfToken: string | null;
  following: boolean;
  /** The page to come back to. */
  returnTo: string;
  /** What is followed, as the button names it for screen readers. */
  label: string;
}

/** Follow / Unfollow as a form; a link to log in for visitors. */
export function FollowButton(props: FollowState) {
  if (!props.csrfToken) {
    return (
      <a class="button follow-form" href={paths.login(props.returnTo)}>
        Log in to follow<span class="visually-hidden">{` ${props.label}`}</span>
      </a>
    );
  }
  return (
    <form method="post" action={paths.follow()} class="follow-form">
      <TokenField token={props.csrfToken} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="value" value={props.value} />
      <input type="hidden" name="following" value={props.following ? "0" : "1"} />
      <input type="hidden" name="next" value={props.returnTo} />
      <button type="submit" aria-pressed={props.following ? "true" : "false"}>
        {props.following ? "Following" : "Follow"}
        <span class="visually-hidden">{` ${props.label}`}</span>
      </button>
    </form>
  );
}
