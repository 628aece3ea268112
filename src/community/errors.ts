/** Why a community action was refused; api/ and web/ turn each into its HTTP status. */
export type Refusal =
  /** The input is malformed or breaks a rule (400). */
  | "invalid"
  /** Nobody is signed in, or the credentials are wrong (401). */
  | "unauthenticated"
  /** Signed in, but not allowed to do this (403). */
  | "forbidden"
  | "not-found"
  /** It clashes with what is there (409), e.g. a username someone has. */
  | "conflict"
  /** Too much too fast (429, with retryAfterSeconds). */
  | "rate-limited"
  /** A service it needs (arXiv, the mail server) did not answer; nothing was changed (424). */
  | "unavailable";

export class CommunityError extends Error {
  override name = "CommunityError";
  constructor(
    readonly refusal: Refusal,
    message: string,
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** The HTTP status of each refusal. A service that is down is a 424, never a 5xx: the request failed, not us. */
export const refusalStatus = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "rate-limited": 429,
  unavailable: 424,
} as const satisfies Record<Refusal, number>;
