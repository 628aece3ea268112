import type { Child } from "hono/jsx";
import { rules } from "../../community/index.ts";

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

/** A password: `new` ones are held to the length rules (and the browser offers to make one up). */
export function PasswordField(props: {
  id: string;
  name?: string;
  label: string;
  kind: "current" | "new";
  hint?: Child;
}) {
  const fresh = props.kind === "new";
  return (
    <Field
      id={props.id}
      name={props.name ?? "password"}
      type="password"
      label={props.label}
      autocomplete={fresh ? "new-password" : "current-password"}
      required
      minLength={fresh ? rules.password.min : undefined}
      maxLength={rules.password.max}
      hint={props.hint}
    />
  );
}

/** A form that posts back to this site with the visitor's token, its fields and button inside. */
export function SiteForm(props: { action: string; token: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class="stacked">
      <TokenField token={props.token} />
      {props.children}
    </form>
  );
}
