import type { Child } from "hono/jsx";

/** The token every form posts back, so that only this site's pages can submit it. */
export const TokenField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** What went wrong with the last submission, read out by screen readers as it appears. */
export function FormMessage({ error, notice }: { error?: string | null; notice?: string | null }) {
  if (error) {
    return (
      <p class="form-error" role="alert">
        {error}
      </p>
    );
  }
  return notice ? (
    <p class="form-notice" role="status">
      {notice}
    </p>
  ) : null;
}

export interface FieldProps {
  /** Unique on the page: the input's id is made from it. */
  id: string;
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "url";
  value?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  hint?: Child;
}

/** A labelled input, its hint tied to it for assistive technology. */
export function Field(props: FieldProps) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <p class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        minlength={props.minLength}
        maxlength={props.maxLength}
        aria-describedby={hintId}
      />
      {props.hint ? (
        <small id={hintId} class="muted">
          {props.hint}
        </small>
      ) : null}
    </p>
  );
}
